import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookSupport

/// `Format:` patterns matched in linear time: the same answers as a backtracking engine, never its hangs.
final class LinearPatternTests: XCTestCase {
    /// Patterns without a catastrophic case, and values around them: Swift's `Regex` is the reference.
    static let agreeing: [(String, [String])] = [
        ("[a-z]{3}[0-9]", ["nyc3", "ams", "NYC3", "nyc34", ""]),
        ("^[0-9a-f]{4}$", ["beef", "beeF", "bee", "beef0"]),
        ("[0-9]+", ["80", "80a", "", "0"]),
        ("a|bc|", ["a", "bc", "", "b", "abc"]),
        ("(ab)*c?", ["", "ab", "ababc", "abac", "c"]),
        ("x{2,}y{0,2}", ["xx", "xxxyy", "x", "xxyyy"]),
        ("(?:ab|a)(?<rest>b)?c", ["abc", "ac", "abbc", "bc"]),
        (#"\d+\.\d+\s\w+"#, ["1.5 ms", "1.5ms", "a.5 ms"]),
        (#"[^\s,]+(,[^\s,]+)*"#, ["a,b,c", "a,,b", "a b"]),
        ("[-a-c]+[a\\-]", ["-ab-", "ba", "d-"]),
        ("a.c", ["abc", "a\nc", "ac"]),
        ("[\\]x]+", ["]x]", "y"]),
        ("a{,2}", ["a{,2}", "aa", "aaa"]),
        ("a{x}", ["a{x}", "a"]),
        ("https://[a-z.]+(/[a-z]*)*", ["https://intelliwatt.com/api/admin", "http://x"]),
    ]

    func testAnswersLikeABacktrackingEngineWhereThatOneIsSafe() throws {
        for (pattern, values) in Self.agreeing {
            let linear = try LinearPattern(pattern)
            let reference = try Regex(pattern)
            for value in values {
                XCTAssertEqual(linear.wholeMatch(value), (try reference.wholeMatch(in: value)) != nil, "`\(pattern)` on \(value.debugDescription)")
            }
        }
    }

    func testPatternsWithoutALinearMatchAreRefusedWithAReason() {
        let refused: [(String, String)] = [
            (#"(a)\1"#, "a back-reference `\\1`"),
            ("(?=a)a", "`(?` look-arounds and flags"),
            ("(?i)a", "`(?` look-arounds and flags"),
            ("a++", "a possessive quantifier"),
            (#"\bword"#, "`\\b`, which Format: does not support"),
            ("[unclosed", "a `[` that never closes"),
            ("(a", "a `(` that never closes"),
            ("a)", "an unmatched `)`"),
            ("*a", "`*` with nothing before it"),
            ("[z-a]", "a range out of order"),
            ("(a{100}){100}", "it is too large"),
        ]
        for (pattern, reason) in refused {
            XCTAssertThrowsError(try LinearPattern(pattern), pattern) { error in
                let message = (error as? LinearPattern.Problem)?.message ?? ""
                XCTAssertTrue(message.hasPrefix(reason), "`\(pattern)`: \(message)")
            }
        }
    }

    /// Issue 13 item 3: `(a+)+b` against 29 `a`s and a `c` took a backtracking engine minutes.
    func testANestedQuantifierOnAHostileValueAnswersAtOnce() throws {
        let value = String(repeating: "a", count: 29) + "c"
        let seconds = try FuzzSettings.time {
            XCTAssertFalse(try LinearPattern("(a+)+b").wholeMatch(value))
            XCTAssertFalse(try LinearPattern("(a|a)*b").wholeMatch(String(repeating: "a", count: LinearPattern.maxValue)))
            XCTAssertTrue(try LinearPattern("(a+)+b").wholeMatch(String(repeating: "a", count: 29) + "b"))
        }
        XCTAssertLessThan(seconds, 1, "a hostile pattern took \(seconds) s")
    }

    func testLintAndAWalksFormatCheckFinishOnTheReproducer() throws {
        let value = String(repeating: "a", count: 29) + "c"
        let runbook = RunbookParser.parse(source: """
            # Hang

            ## Variables
            - `NAME`: a name. Format: `(a+)+b` Default: `\(value)`

            ## Use it
            Where: here

            Echo {{NAME}}.

            Expect: x.
            """, id: "hang")
        var diagnostics: [Diagnostic] = []
        let seconds = FuzzSettings.time {
            diagnostics = Linter().lint([runbook])
            XCTAssertEqual(runbook.variables[0].problem(with: value), "it does not match `(a+)+b`")
        }
        XCTAssertLessThan(seconds, 1, "lint took \(seconds) s")
        XCTAssertEqual(diagnostics.map(\.message),
                       ["the Default: of NAME does not fit its own Format: (`(a+)+b`): it does not match `(a+)+b`; fix one of them"])
        XCTAssertEqual(runbook.variables[0].problem(with: String(repeating: "a", count: LinearPattern.maxValue + 1) + "b"),
                       "it is longer than 4096 characters, more than a pattern is tested on")
    }
}
