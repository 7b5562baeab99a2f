import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// Mermaid flowcharts of runbooks and runs: the grammar's shape, escaped labels, the marks of a run.
final class MermaidChartTests: XCTestCase {
    /// Every line of a chart is one of the statements this project writes, in the flowchart grammar:
    /// the header, a node with a quoted label, an edge (labelled or not), a comment, a class, a link style.
    static func assertFlowchart(_ chart: String, file: StaticString = #filePath, line: UInt = #line) {
        let lines = chart.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, "flowchart TD", file: file, line: line)
        XCTAssertEqual(lines.last, "", "ends with a newline", file: file, line: line)
        let statements = [
            #"^    (begin\(\(start\)\)|finish\(\(end\)\))$"#,
            #"^    s[0-9]+\["[^"\[\]<>`|\n]*<br/>[^"\[\]<>`|\n]*"\]$"#,
            #"^    (begin|s[0-9]+) -->(\|[a-z0-9-]+(, if the check (passes|fails))?\|)? (s[0-9]+|finish)$"#,
            #"^    %% p[0-9]+: .*$"#,
            #"^    classDef [a-z0-9]+ [a-z-]+:[^ ]+( [^ ]+)?(,[a-z-]+:[^ ,]+( [^ ,]+)?)*$"#,
            #"^    class s[0-9]+(,s[0-9]+)* [a-z0-9]+$"#,
            #"^    linkStyle [0-9]+(,[0-9]+)* stroke:#[0-9a-f]{6},stroke-width:[0-9]+px$"#,
        ]
        for text in lines.dropFirst().dropLast() {
            XCTAssertTrue(statements.contains { text.range(of: $0, options: .regularExpression) != nil },
                          "not a flowchart statement: \(text)", file: file, line: line)
        }
        // Every node an edge names is declared.
        let declared = Set(lines.compactMap { text in
            text.range(of: #"^    (s[0-9]+|begin|finish)[\[(]"#, options: .regularExpression).map { String(text[$0].dropFirst(4).dropLast()) }
        })
        for edge in lines where edge.contains(" --> ") || edge.contains(" -->|") {
            let parts = edge.trimmingCharacters(in: .whitespaces).split(separator: " ")
            XCTAssertTrue(declared.contains(String(parts[0])) && declared.contains(String(parts.last ?? "")), edge, file: file, line: line)
        }
    }

    static let tricky = RunbookParser.parse(source: """
        # Tricky

        ## Check "quotes" [brackets] and C# <tags> & `code` | pipes {#one}
        Where: PowerShell "7" on C:\\ [laptop] #1

        Choose:
        - `go`: on → #two
        - `stop-now`: stop → #end

        Expect: x.

        ## end of the line {#two}
        Where: droplet

        Expect: x.
        """, id: "tricky")

    func testTheShapeOfARunbooksChartWithTrickyTitles() {
        let chart = MermaidChart.runbook(Self.tricky)
        Self.assertFlowchart(chart)
        XCTAssertTrue(chart.contains(#"    s1["Check #quot;quotes#quot; #91;brackets#93; and C#35; #lt;tags#gt; #amp; #96;code#96; #124; pipes<br/>PowerShell #quot;7#quot; on C:\ #91;laptop#93; #35;1"]"#), chart)
        XCTAssertTrue(chart.contains("    s1 -->|go| s2\n    s1 -->|stop-now| finish\n    s2 --> finish\n"), chart)
        XCTAssertTrue(chart.contains("    begin --> s1\n"))
        // "end" is a keyword of the grammar: no node is named after a step id.
        XCTAssertFalse(chart.contains(" end"), chart)
    }

    func testPlacesAreColouredSoTheSwitchesShow() {
        let chart = MermaidChart.runbook(WalkerTestsFixtures.tree)
        Self.assertFlowchart(chart)
        XCTAssertTrue(chart.contains("    %% p1: droplet\n    classDef p1 fill:#dbeafe,stroke:#64748b,color:#0f172a\n    class s1,s3 p1\n"), chart)
        XCTAssertTrue(chart.contains("    class s5 p4\n"), chart)
    }

    func testARunsChartMarksThePathTheCurrentStepAndTheBypassed() throws {
        let runbook = WalkerTestsFixtures.tree
        let start = EventRecord(.runStarted(RunStart(run: "r1", runbook: runbook)), at: Date(timeIntervalSince1970: 0))
        var state = try RunState(starting: start)
        try state.apply(EventRecord(.choiceMade(step: "triage", option: "timeout", target: "whitelist", skipReason: nil),
                                    at: Date(timeIntervalSince1970: 10)))
        let chart = MermaidChart.run(state)
        Self.assertFlowchart(chart)
        XCTAssertTrue(chart.contains("    class s1 done\n"), chart)
        XCTAssertTrue(chart.contains("    class s2,s3 bypassed\n"), chart)
        XCTAssertTrue(chart.contains("    class s4 current\n"), chart)
        // Edges: 0 begin→s1, 1 ok, 2 401, 3 timeout: the choice that stands is drawn bold.
        XCTAssertTrue(chart.contains("    linkStyle 3 stroke:#15803d,stroke-width:3px\n"), chart)
        XCTAssertEqual(chart.components(separatedBy: "\n").filter { $0.hasPrefix("    s") && $0.contains("[\"") }.count, 5)
    }
}

/// The tree fixture of `WalkerTests`, shared.
enum WalkerTestsFixtures {
    static let tree = WalkerTests.tree
}
