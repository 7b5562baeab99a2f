import Foundation
import XCTest

/// The examples of docs/runbook-format.md say what `lint` really prints.
final class DocsTests: XCTestCase {
    func testEveryRuleExampleInTheFormatGuideGivesItsDiagnostic() throws {
        let guide = Sandbox.shippedRunbooks.deletingLastPathComponent().appendingPathComponent("docs/runbook-format.md")
        let text = try String(contentsOf: guide, encoding: .utf8)
        let rules = text.components(separatedBy: "## Lint rules").last?.components(separatedBy: "\n### ").dropFirst() ?? []
        var checked = 0
        for section in rules {
            // Each rule: a ````markdown example, then a ```text block with the diagnostics it gives.
            guard let example = section.between("````markdown\n", "\n````"),
                  let expected = section.between("```text\n", "\n```") else { continue }
            let sandbox = try Sandbox()
            try sandbox.write("x.md", example + "\n")
            let lint = try sandbox.run(["lint", "--strict"])
            for line in expected.split(separator: "\n").map({ $0.trimmed }) where line.hasPrefix("runbooks/x.md:") {
                XCTAssertTrue(lint.stdout.contains(line), "\(section.prefix(40))\nwant: \(line)\ngot: \(lint.stdout)")
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 12, "the guide should show the diagnostic of every rule")
    }
}

private extension String {
    func between(_ start: String, _ end: String) -> String? {
        guard let open = range(of: start), let close = self[open.upperBound...].range(of: end) else { return nil }
        return String(self[open.upperBound..<close.lowerBound])
    }
}

private extension Substring {
    var trimmed: String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
