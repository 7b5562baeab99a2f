import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// Runbooks shaped to find quadratic scans: one long line of braces, thousands of guardrails, a
/// very long Expect. Each must take at most `FuzzSettings.slowdownAllowed` times what a normal
/// runbook of its size takes through lint, show and start's rendering.
final class HostileShapeTests: XCTestCase {
    /// A runbook with one step, made of `parts`.
    static func runbook(preamble: String = "", sections: String = "", step: String) -> String {
        "# Hostile\n\n\(preamble)\n\n\(sections)\n\n## The step {#s}\nWhere: here\n\n\(step)\n\nExpect: ok\n"
    }

    /// Every shape at about `size` bytes, by name.
    static func shapes(_ size: Int) -> [(String, String)] {
        let n = size
        let k = Int(Double(n / 2).squareRoot())
        func lines(_ count: Int, _ line: (Int) -> String) -> String { (0..<count).map(line).joined(separator: "\n") }
        return [
            ("a line of braces", runbook(step: String(repeating: "{", count: n))),
            ("references never closed", runbook(step: String(repeating: "{{A", count: n / 3))),
            ("closing braces after opening ones", runbook(step: String(repeating: "{", count: n / 2) + String(repeating: "}", count: n / 2))),
            ("many references to many variables", runbook(
                sections: "## Variables\n" + lines(n / 60) { "- `V\($0)`: v. Default: `d`" },
                step: "```bash\n" + lines(n / 60) { "echo {{V\($0)}}" } + "\n```\n\n" + lines(n / 60) { "see {{V\($0)}}" })),
            ("dollars in an sh check", runbook(step: "```sh check\n" + String(repeating: "$", count: n / 2) + String(repeating: "${A", count: n / 6) + "\n```")),
            ("many steps reading many variables in sh checks", runbook(
                sections: "## Variables\n" + lines(n / 80) { "- `V\($0)`: v" },
                step: lines(n / 80) { "## S\($0)\nWhere: w\n```sh check\ntest $V\($0)\n```\nExpect: x\n" })),
            ("many guardrails over a long block", runbook(
                sections: "## Guardrails\n" + lines(n / 40) { "- `pattern-\($0)-x`: no" },
                step: "```bash\n" + String(repeating: "pattern-1", count: n / 20) + "\n```")),
            ("a long guardrail that nearly matches", runbook(
                sections: "## Guardrails\n- `" + String(repeating: "a", count: n / 4) + "b`: no",
                step: "```bash\n" + String(repeating: "a", count: n / 2) + "\n```")),
            ("guardrails that are prefixes of each other", runbook(
                sections: "## Guardrails\n" + lines(k) { "- `" + String(repeating: "a", count: $0 + 1) + "`: no" },
                step: "```bash\n" + lines(max(1, n / 2 / max(k, 1))) { _ in String(repeating: "a", count: k) } + "\n```")),
            ("many header lines", runbook(step: "```http check\nGET http://x\n" + lines(n / 10) { "h\($0): v" } + "\n\nexpect status 200\n```")),
            ("a long body and many expectations", runbook(step: "```http check\nPOST http://x\n\n" + lines(n / 40) { "body \($0)" }
                                                          + "\n" + lines(n / 40) { "expect body contains \($0)" } + "\n```")),
            ("an Expect of many lines", runbook(step: "Expect: start\n" + lines(n / 4) { _ in "x y" })),
            ("a guardrail item of many lines", runbook(sections: "## Guardrails\n- `x`: reason\n" + lines(n / 12) { _ in "  and more" },
                                                       step: "text")),
            ("many fences", runbook(step: lines(n / 4) { $0 % 2 == 0 ? "```" : "~~~" })),
            ("a heading of id openers", runbook(step: "## " + String(repeating: "{#", count: n / 2))),
            ("a heading of closing hashes", runbook(step: "## x" + String(repeating: " #", count: n / 2))),
            ("a line of backticks", runbook(sections: "## Guardrails\n- " + String(repeating: "`", count: n / 2),
                                            step: String(repeating: "`", count: n / 2))),
            ("tags of commas", runbook(preamble: "Tags: " + String(repeating: ",", count: n), step: "x")),
            ("many steps", lines(n / 24) { "## Step \($0)\nWhere: w\n" }),
            ("many titles", lines(n / 4) { _ in "# T" }),
            ("a line of carriage returns", runbook(step: String(repeating: "\r", count: n))),
            ("a deep JSON literal", runbook(step: "```http check\nGET http://x\n\nexpect json a == " + String(repeating: "[", count: n / 2) + "\n```")),
            ("a long Where", runbook(step: "Where: " + String(repeating: "a", count: n))),
            ("a long variable item", runbook(sections: "## Variables\n- `A`: " + String(repeating: "Default: ", count: n / 9), step: "{{A}}")),
            ("many unknown targets", unknownTargets(n / 40)),
        ]
    }

    /// `count` steps, each jumping to its own id with a typo: every target unknown, every one a near miss.
    static func unknownTargets(_ count: Int) -> String {
        "# Typos\n\n" + (0..<count).map { "## S\($0) {#s\($0)}\nWhere: w\n\nNext: #s\($0)x\nExpect: x\n" }.joined(separator: "\n")
    }

    /// Issue 13 item 8: hinting every unknown target compared it with every step id, so 10,000 typos
    /// took lint 90 s. Ten times the targets may take about ten times as long, not a hundred.
    func testLintOfTenThousandUnknownTargetsIsLinear() {
        func lint(_ count: Int) -> (seconds: Double, diagnostics: [Diagnostic]) {
            let runbook = RunbookParser.parse(source: Self.unknownTargets(count), id: "typos", path: "typos.md")
            var diagnostics: [Diagnostic] = []
            let seconds = FuzzSettings.leastTime(tries: 3) { diagnostics = Linter().lint([runbook]) }
            return (seconds, diagnostics.filter { $0.rule == UnknownTargetRule.name })
        }
        let small = lint(1_000)
        let large = lint(10_000)
        XCTAssertEqual(small.diagnostics.count, 1_000)
        XCTAssertEqual(large.diagnostics.count, 10_000)
        XCTAssertTrue(large.diagnostics[0].message.contains("did you mean #s0?"), large.diagnostics[0].message)
        XCTAssertFalse(large.diagnostics[UnknownTargetRule.maxSuggestions].message.contains("did you mean"))
        // A tenfold input, four times the slack of linear time: a quadratic scan is a hundredfold.
        let budget = 10 * 4 * small.seconds + FuzzSettings.floorSeconds
        XCTAssertLessThanOrEqual(large.seconds, budget, "10,000 unknown targets took \(large.seconds) s; 1,000 took \(small.seconds) s")
        print(String(format: "UnknownTargets: 1,000 in %.3f s, 10,000 in %.3f s (%.1fx)", small.seconds, large.seconds, large.seconds / small.seconds))
    }

    func testHostileShapesScanInLinearTime() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-shapes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/shape.md"
        // Normal: the shipped runbooks, one after another as steps of one file of the same size.
        let size = FuzzSettings.environment["RUNBOOK_FUZZ_SHAPE_SIZE"].flatMap(Int.init) ?? (FuzzSettings.isLong ? 1_000_000 : 100_000)
        var normal = "# Normal\n\n"
        while normal.utf8.count < size {
            for seed in RunbookFuzzTests.seeds {
                normal += String(decoding: seed.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.hasPrefix("# ") }.joined(separator: "\n") + "\n"
            }
        }
        try Data(normal.utf8).write(to: URL(fileURLWithPath: path))
        let normalSeconds = try FuzzSettings.leastTime(tries: 3) { try RunbookFuzzTests.exercise(path: path, folder: folder) }
        let rate = normalSeconds / Double(normal.utf8.count)
        var report: [String] = []
        for (name, text) in Self.shapes(size) {
            let bytes = text.utf8.count
            XCTAssertLessThanOrEqual(bytes, SourceFile.maximumSize, "\(name) is over the size limit and tests nothing")
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            var diagnostics: [Diagnostic] = []
            var seconds = try FuzzSettings.time { diagnostics = try RunbookFuzzTests.exercise(path: path, folder: folder) }
            let budget = FuzzSettings.slowdownAllowed * rate * Double(bytes) + FuzzSettings.floorSeconds
            if seconds > budget {
                seconds = try FuzzSettings.leastTime(tries: 2) { try RunbookFuzzTests.exercise(path: path, folder: folder) }
            }
            XCTAssertLessThanOrEqual(seconds, budget, "\(name): \(bytes) bytes took \(seconds) s; a normal runbook that size takes \(rate * Double(bytes)) s")
            XCTAssertEqual(RunbookFuzzTests.misplaced(diagnostics, path: path), [], name)
            report.append(String(format: "%@ %.1fx", name, seconds / (rate * Double(bytes))))
        }
        print("HostileShapes: \(size) bytes each, normal \(String(format: "%.3f", normalSeconds)) s; " + report.joined(separator: ", "))
    }
}
