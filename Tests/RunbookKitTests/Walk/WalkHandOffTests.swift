import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// A hand-off to another runbook (SPEC 11): lint, the reducer and the walk core.
final class WalkHandOffTests: XCTestCase {
    static let person = WalkerTests.person
    static let rule = WalkerTests.rule

    static let check = RunbookParser.parse(source: """
        # Check

        ## Look {#look}
        Where: laptop

        Look at the dashboard.

        Expect: you know its colour.

        Choose: how is it?
        - `fine`: green → #end
        - `broken`: red: the incident runbook takes over → incident

        ## Never walked {#never}
        Where: laptop

        Expect: nothing.
        """, id: "check", path: "runbooks/check.md")

    // MARK: Lint

    func testAHandOffNamesARunbookOfTheFolderOrOneLintedWithIt() {
        let typo = RunbookParser.parse(source: "# T\n\n## A {#a}\nWhere: here\n\nExpect: x.\n\nNext: incidnet\n\n## B {#b}\nWhere: here\n\nExpect: y.\n\nChoose:\n- `one`: → a\n- `two`: → #end\n",
                                       id: "typo", path: "runbooks/typo.md")
        let rule = HandOffTargetRule(catalog: ["incident"])
        XCTAssertEqual(Linter(rules: [], catalogRules: [rule]).lint([Self.check, typo]), [
            Diagnostic(path: "runbooks/typo.md", location: SourceLocation(line: 8, column: 1), severity: .error,
                       message: "step \"A\" hands off to incidnet, which is no runbook of the runbooks folder; did you mean incident? write a runbook id, a #step-id or #end",
                       rule: "unknown-target"),
            Diagnostic(path: "runbooks/typo.md", location: SourceLocation(line: 16, column: 12), severity: .error,
                       message: "step \"B\" hands off to a, which is no runbook of the runbooks folder; a step of this runbook is written #a; write a runbook id, a #step-id or #end",
                       rule: "unknown-target"),
        ])
        // Linted together, a runbook is a known target even when the folder lacks it.
        XCTAssertEqual(Linter(rules: [], catalogRules: [HandOffTargetRule()]).lint([Self.check, Self.incident]), [])
        // A hand-off is a way out: no-way-out and unknown-target (steps) leave it alone.
        XCTAssertEqual(Linter(rules: Linter.standardRules, catalogRules: []).lint([Self.check]).map(\.rule), ["unreachable-step"])
    }

    static let incident = RunbookParser.parse(source: "# Incident\n\n## Triage {#triage}\nWhere: laptop\n\nExpect: triaged.\n",
                                              id: "incident", path: "runbooks/incident.md")

    // MARK: The reducer

    func testTheRunEndsHandedOffOnlyWhereThePathLeadsToThatRunbook() throws {
        let start = Self.person.record(.runStarted(RunStart(run: "r1", runbook: Self.check)))
        var state = try RunState(starting: start)
        XCTAssertThrowsError(try state.apply(Self.person.record(.runHandedOff(runbook: "incident", run: "r2"))))
        try state.apply(Self.person.record(.choiceMade(step: "look", option: "broken", target: "runbook:incident", skipReason: nil)))
        XCTAssertEqual(state.pendingHandOff, "incident")
        XCTAssertEqual(state.steps.map(\.status), [.done, .bypassed])
        XCTAssertThrowsError(try state.apply(Self.person.record(.runCompleted)), "a hand-off is due, not the end")
        XCTAssertThrowsError(try state.apply(Self.person.record(.runHandedOff(runbook: "other", run: "r2"))))
        try state.apply(Self.person.record(.runHandedOff(runbook: "incident", run: "r2")))
        XCTAssertEqual(state.status, .handedOff)
        XCTAssertEqual(state.handedOffTo, RunState.HandOff(runbook: "incident", run: "r2"))
        XCTAssertEqual(state.endedAt, Self.person.now())
        XCTAssertThrowsError(try state.apply(Self.person.record(.noteAdded(step: "look", text: "late"))))
        XCTAssertEqual(RunReport.line(state).prefix(57), "r1  check  handed off to incident (run r2)  (last activit")

        var next = RunStart(run: "r2", runbook: Self.incident)
        next.from = "r1"
        XCTAssertEqual(try RunState(starting: Self.person.record(.runStarted(next))).cameFrom, "r1")
    }

    // MARK: The walk

    var console = ScriptedConsole([ConsoleRead]())
    var sink = MemorySink()

    func testTheWalkEndsAtAHandOffAndSaysSo() throws {
        console = ScriptedConsole(["broken"], interactive: false)
        let start = Self.person.record(.runStarted(RunStart(run: "r1", runbook: Self.check)))
        let walker = Walker(runbook: Self.check, state: try RunState(starting: start), sink: sink, console: console,
                            style: Style(enabled: false), person: Self.person, checks: FakeChecks())
        XCTAssertEqual(walker.walk(), .handedOff("incident"))
        // The command layer records the hand-off once the other run has begun: the core records only the choice.
        XCTAssertEqual(sink.events, [.choiceMade(step: "look", option: "broken", target: "runbook:incident", skipReason: nil)])
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 2 · 0 done, 2 left on this path
            WHERE: laptop
            Look

            Look at the dashboard.

            Expect: you know its colour.

            Choose: how is it?
              1. fine    green → the end of the run
              2. broken  red: the incident runbook takes over → the runbook incident (a hand-off: a run of it starts)

            Type an option's number (1 to 2) or KEY when the step is done, or: skip REASON, back, note TEXT, quit, help.
            laptop · step 1> broken
            ✔ Done: Look → `broken`: red: the incident runbook takes over
            Next: the runbook incident (a hand-off: a run of it starts)

            The path hands off to the runbook incident: a run of it starts now, with this run's values.

            """)
    }
}

/// `show --format json` and the Mermaid chart hold hand-offs and waits (SPEC 11).
final class ShowHandOffAndWaitTests: XCTestCase {
    static let runbook = RunbookParser.parse(source: """
        # Deploy

        ## Redeploy {#redeploy}
        Where: laptop

        Wait: up to 10m every 30s

        ```sh check
        test -f /tmp/up
        ```

        Expect: up.

        Choose: did it come back?
        - `up`: it answers → #end
        - `down`: still down → incident

        ## Settle {#settle}
        Where: laptop

        Wait: 5m

        Expect: settled.

        Next: incident
        """, id: "deploy", path: "runbooks/deploy.md")

    func testShowJSONNamesTheHandOffsAndTheWaits() throws {
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(RunbookViews.showJSON(Self.runbook).utf8)) as? [String: Any])
        let steps = try XCTUnwrap(object["steps"] as? [[String: Any]])
        let options = try XCTUnwrap((steps[0]["choose"] as? [String: Any])?["options"] as? [[String: Any]])
        XCTAssertEqual(options.map { $0["target"] as? String }, ["end", "runbook:incident"])
        XCTAssertEqual(options.map { $0["handOff"] as? String }, [nil, "incident"])
        XCTAssertTrue(options[0]["handOff"] is NSNull, "null, not left out")
        let waits = steps.map { $0["wait"] as? [String: Any] ?? [:] }
        XCTAssertEqual(waits.map { $0["seconds"] as? Int }, [600, 300])
        XCTAssertEqual(waits.map { $0["every"] as? Int }, [30, nil])
        XCTAssertTrue(waits[1]["every"] is NSNull, "null, not left out")
        XCTAssertEqual(waits.map { $0["written"] as? String }, ["up to 10m every 30s", "5m"])
        XCTAssertEqual(steps[1]["next"] as? String, "runbook:incident")
        XCTAssertEqual(steps[1]["handOff"] as? String, "incident")
    }

    func testTheChartDrawsAHandOffAsAnEdgeToABoxNamingTheOtherRunbook() {
        let chart = MermaidChart.runbook(Self.runbook)
        XCTAssertTrue(chart.contains("    h1[[\"runbook incident\"]]\n"), chart)
        XCTAssertTrue(chart.contains("    s1 -->|down| h1\n"), chart)
        XCTAssertTrue(chart.contains("    s2 --> h1\n"), chart)
        XCTAssertEqual(chart.components(separatedBy: "h1[[").count, 2, "one box per runbook")
    }
}
