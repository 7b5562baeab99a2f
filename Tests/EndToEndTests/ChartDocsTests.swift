import Foundation
import XCTest

/// docs/charts/ID.md holds, for each shipped runbook, the chart `runbook show ID --format mermaid` prints.
final class ChartDocsTests: XCTestCase {
    func testEachShippedRunbooksChartIsUpToDate() throws {
        let folder = Sandbox.shippedRunbooks.deletingLastPathComponent().appendingPathComponent("docs/charts")
        let sandbox = try Sandbox()
        var checked = 0
        for id in ["smt-jwt-status", "onboarding", "incident-smt-auth"] {
            let text = try String(contentsOf: Sandbox.shippedRunbooks.appendingPathComponent("\(id).md"), encoding: .utf8)
            try sandbox.write("\(id).md", text)
            let chart = try sandbox.run(["show", id, "--format", "mermaid"])
            XCTAssertEqual(chart.status, 0, chart.stderr)
            let document = try String(contentsOf: folder.appendingPathComponent("\(id).md"), encoding: .utf8)
            guard let open = document.range(of: "```mermaid\n"), let close = document.range(of: "\n```", range: open.upperBound..<document.endIndex) else {
                XCTFail("docs/charts/\(id).md has no mermaid block")
                continue
            }
            XCTAssertEqual(String(document[open.upperBound..<close.lowerBound]) + "\n", chart.stdout,
                           "docs/charts/\(id).md is out of date: run scripts/charts")
            checked += 1
        }
        XCTAssertEqual(checked, 3)
    }
}
