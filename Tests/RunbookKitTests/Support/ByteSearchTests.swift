import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// The linear searches behind guardrails, masking and substitution agree with a plain search.
final class ByteSearchTests: XCTestCase {
    /// Every start offset of `pattern` in `text`, by trying each position.
    private func naiveOffsets(_ pattern: [UInt8], in text: [UInt8]) -> [Int] {
        guard !pattern.isEmpty, pattern.count <= text.count else { return [] }
        return (0...(text.count - pattern.count)).filter { Array(text[$0..<($0 + pattern.count)]) == pattern }
    }

    /// Short words over a two-letter alphabet: every overlap and border shape comes up.
    private func word(_ random: inout SeededRandom, maxLength: Int) -> [UInt8] {
        (0..<random.below(maxLength + 1)).map { _ in random.oneIn(2) ? UInt8(ascii: "a") : UInt8(ascii: "b") }
    }

    func testByteSearchFindsWhatAPlainSearchFinds() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<3000 {
            let pattern = word(&random, maxLength: 6)
            let text = word(&random, maxLength: 30)
            let from = random.below(text.count + 1)
            let expected = naiveOffsets(pattern, in: text).first { $0 >= from }
            XCTAssertEqual(ByteSearch(pattern).firstOffset(in: text, from: from), expected,
                           "pattern \(pattern) text \(text) from \(from)")
        }
    }

    func testPatternSetReportsTheFirstPlaceOfEachPatternThatOccurs() {
        var random = SeededRandom(seed: 11)
        for _ in 0..<1500 {
            let patterns = (0..<random.below(6)).map { _ in word(&random, maxLength: 4) }
            var set = PatternSet(patterns)
            // The same set over several texts: what one text reported must not hide anything in the next.
            for _ in 0..<3 {
                let text = word(&random, maxLength: 25)
                let found = set.firstOccurrences(in: text)
                let expected = patterns.enumerated().compactMap { index, pattern in
                    naiveOffsets(pattern, in: text).first.map { (index, $0) }
                }
                XCTAssertEqual(found.map { "\($0.pattern)@\($0.start)" }.sorted(),
                               expected.map { "\($0.0)@\($0.1)" }.sorted(), "patterns \(patterns) text \(text)")
            }
        }
    }

    func testReplacingEveryOccurrence() {
        XCTAssertEqual("a|b||c".replacingEvery("|", with: "\\|"), "a\\|b\\|\\|c")
        XCTAssertEqual("aaaa".replacingEvery("aa", with: "b"), "bb")
        XCTAssertEqual("tok tok".replacingEvery("tok", with: "••••"), "•••• ••••")
        XCTAssertEqual("é and e".replacingEvery("e", with: "x"), "é and x")
        XCTAssertEqual("unchanged".replacingEvery("", with: "x"), "unchanged")
    }

    func testFoldingMatchesLowercasedAndMapsBackToColumns() {
        let text = "Ünïcode → CURL /OAuth/Token"
        let folded = FoldedText(text)
        XCTAssertEqual(folded.bytes, Array(text.lowercased().utf8))
        let offset = try? XCTUnwrap(ByteSearch(FoldedText.fold("/oauth/TOKEN")).firstOffset(in: folded.bytes))
        XCTAssertEqual(folded.characterOffsets(of: [offset ?? 0]), [15])
    }

    func testSubstitutionIsOnePassAndLeavesUnknownNamesAlone() {
        let text = "{{A}} {{B}} {{{A}}} {{ A }} {{C}}"
        XCTAssertEqual(Variable.substituting(text, values: ["A": "{{B}}", "B": "2"]), "{{B}} 2 {{{B}}} {{ A }} {{C}}")
        XCTAssertEqual(Variable.references(in: String(repeating: "{", count: 5) + "{{X_1}}}").map(\.0), ["X_1"])
    }

    func testControlCharactersAreShownEscaped() {
        XCTAssertEqual("S\rX".escapingControlCharacters, "S\\rX")
        XCTAssertEqual("a\u{1B}[31mb\nc\td\u{7F}\u{85}".escapingControlCharacters, "a\\u{1B}[31mb\\nc\\td\\u{7F}\\u{85}")
        XCTAssertEqual("plain é → ok".escapingControlCharacters, "plain é → ok")
        let diagnostic = Diagnostic(path: "rb/x\r.md", location: SourceLocation(line: 3, column: 1), severity: .warning,
                                    message: "step \"S\rX\" has no Expect: line", rule: "no-expect")
        XCTAssertEqual(diagnostic.description, #"rb/x\r.md:3:1: warning: step "S\rX" has no Expect: line [no-expect]"#)
    }
}
