import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// SPEC 11: what runbooks written elsewhere need: context sections, alternatives, variables anywhere.
final class RealRunbookFormatTests: XCTestCase {
    static let lag = RunbookParser.parse(source: """
        # Replica lag

        Bring a lagging replica back in step.

        <!-- Imported from the wiki,
        2024-03. -->

        ## Meaning
        Reads from the replica are stale. <!-- TODO -->

        ## Variables
        - `CLUSTER`: the cluster. Default: `main`
        - `DB_PASSWORD` (secret): the monitor password.

        ## List the members {#members}
        Where: a shell on {{CLUSTER}}-bastion

        List the members of {{CLUSTER}}; log in with {{DB_PASSWORD}}.

        ```bash
        patronictl list {{CLUSTER}}
        ```

        ```powershell
        ssh {{CLUSTER}}-bastion patronictl list {{CLUSTER}}
        ```

        Expect: the members of {{CLUSTER}}.

        ## See also
        - The Patroni docs.
        """, id: "lag", path: "runbooks/lag.md")

    func testSectionsWithoutWhereAtEitherEndAreContextAndCommentsAreGone() {
        let runbook = Self.lag
        XCTAssertEqual(runbook.steps.map(\.id), ["members"])
        XCTAssertEqual(runbook.context.map(\.title), ["Meaning", "See also"])
        XCTAssertEqual(runbook.context.map(\.isAfterSteps), [false, true])
        XCTAssertEqual(runbook.context[0].prose, ["Reads from the replica are stale. "])
        XCTAssertEqual(runbook.preamble, ["Bring a lagging replica back in step."])
        XCTAssertEqual(Linter().lint([runbook]).map(\.rule), [])
    }

    func testASectionWithoutWhereBetweenStepsOrWithABlockIsAStepWithoutWhere() {
        let runbook = RunbookParser.parse(source: """
            # R

            ## Background
            ```bash
            ls
            ```

            ## One
            Where: here

            Expect: x.

            ## Between
            Just words.

            ## Two
            Where: here

            Expect: y.
            """, id: "r")
        XCTAssertEqual(runbook.steps.map(\.title), ["Background", "One", "Between", "Two"])
        XCTAssertEqual(runbook.context, [])
        XCTAssertEqual(Linter().lint([runbook]).filter { $0.rule == "where" }.map(\.location.line), [3, 13])
    }

    func testOneActionPerLanguage() {
        let runbook = RunbookParser.parse(source: """
            # R

            ## One
            Where: here

            ```bash
            ls
            ```

            ```powershell
            dir
            ```

            ```bash
            ls -l
            ```

            Expect: a list.
            """, id: "r")
        XCTAssertEqual(Linter().lint([runbook]).map(\.description), [
            #"r.md:14:1: error: step "One" has 2 `bash` action blocks; one step at a time: split it into steps with one block each (blocks in different languages, e.g. powershell and bash, are alternatives) [one-action]"#,
        ].map { $0.replacingOccurrences(of: "r.md", with: "") })
    }

    func walk(_ runbook: Runbook, _ lines: [String], environment: [String: String] = [:]) throws -> String {
        let console = ScriptedConsole(lines.map(ConsoleRead.line))
        let start = WalkerTests.person.record(.runStarted(RunStart(run: "r1", runbook: runbook)))
        let walker = Walker(runbook: runbook, state: try RunState.replay([start]), sink: MemorySink(), console: console,
                            style: Style(enabled: false), person: WalkerTests.person, checks: FakeChecks(), environment: environment)
        _ = walker.walk()
        return console.output
    }

    func testTheWalkNamesTheContextOnceShowsItAtAboutAndFillsVariablesInEveryPart() throws {
        let output = try walk(Self.lag, ["about", "about see", "about 9", "quit"], environment: ["RUNBOOK_SHELL": "powershell"])
        assertTranscript(output, """
            About this runbook: Meaning, See also. Type about to list them, about NAME to read one.

            \(WalkerTests.rule)
            Step 1 of 1 · 0 done, 1 left on this path
            WHERE: a shell on main-bastion
            List the members

            List the members of main; log in with {{DB_PASSWORD}}.

            ```powershell
            ssh main-bastion patronictl list main
            ```

            Expect: the members of main.

            Type done when the step is done, or: skip REASON, back, note TEXT, set NAME, about, quit, help.
            a shell on main-bastion · step 1> about
            Background sections of this runbook; type about NAME (or its number) to read one:
              1. Meaning
              2. See also
            a shell on main-bastion · step 1> about see

            See also
            - The Patroni docs.

            a shell on main-bastion · step 1> about 9
            No section 9 here: type about alone to list them (Meaning, See also).
            a shell on main-bastion · step 1> quit

            Paused at step 1 (List the members); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testEveryAlternativeIsShownUnderItsLanguageWithoutRunbookShell() throws {
        let output = try walk(Self.lag, ["quit"])
        XCTAssertTrue(output.contains("""
            In bash:
            ```bash
            patronictl list main
            ```

            Or in powershell:
            ```powershell
            ssh main-bastion patronictl list main
            ```
            """), output)
    }

    func testShowJSONHoldsTheContextAndEveryAlternative() throws {
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(RunbookViews.showJSON(Self.lag).utf8)) as? [String: Any])
        let context = try XCTUnwrap(json["context"] as? [[String: Any]])
        XCTAssertEqual(context.map { $0["title"] as? String }, ["Meaning", "See also"])
        XCTAssertEqual(context.map { $0["placement"] as? String }, ["before", "after"])
        let step = try XCTUnwrap((json["steps"] as? [[String: Any]])?.first)
        XCTAssertEqual((step["actions"] as? [[String: Any]])?.map { $0["language"] as? String }, ["bash", "powershell"])
    }
}

/// `Capture:` (SPEC 11): read, linted, and kept once the check passes; a secret only in memory.
final class CaptureTests: XCTestCase {
    static let source = """
        # Snapshot

        ## Variables
        - `SNAPSHOT`: the snapshot's id.
        - `KEY` (secret): the restore key.

        ## Take a snapshot {#take}
        Where: your laptop

        Expect: the new snapshot.

        ```paste check
        expect json snapshot.id is string
        ```

        Capture: SNAPSHOT = json snapshot.id
        Capture: KEY = line /^key: (\\S+)$/

        ## Restore it {#restore}
        Where: your laptop

        Restore {{SNAPSHOT}} with {{KEY}}.

        Expect: restored.
        """

    func testCapturesReadAndTheirLint() {
        let runbook = RunbookParser.parse(source: Self.source + """


            ## Loose {#loose}
            Where: your laptop

            Expect: x.

            Capture: SNAPSHOT = json id
            Capture: OTHER = json id
            Capture: SNAPSHOT = yaml id
            """, id: "snap")
        XCTAssertEqual(runbook.steps[0].captures.map(\.written), ["SNAPSHOT = json snapshot.id", #"KEY = line /^key: (\S+)$/"#])
        XCTAssertEqual(runbook.steps[0].captures[1].value(in: "junk\nkey: abc123\n"), "abc123")
        XCTAssertEqual(runbook.steps[0].captures[0].value(in: #"$ snap {"snapshot": {"id": "snap-7"}}"#), "snap-7")
        XCTAssertEqual(Linter().lint([runbook]).filter { $0.rule == "capture" }.map(\.message), [
            "step \"Loose\" captures SNAPSHOT but has nothing to read it from; a capture needs a paste check or a run block",
            "Capture: OTHER is not declared; add it under ## Variables",
            "a capture is written Capture: NAME = json PATH, or Capture: NAME = line /REGEX/",
        ])
        let run = RunbookParser.parse(source: "# R\n\n## Variables\n- `ID`: an id.\n\n## Make {#make}\nWhere: here\n\n```sh run\nmake-it\n```\n\nExpect: an id.\n\nCapture: ID = json id\n\n## Use {#use}\nWhere: here\n\nUse {{ID}}.\n\nExpect: used.\n", id: "r")
        XCTAssertEqual(Linter().lint([run]).filter { $0.rule == "capture" }, [], "a run block's output can be captured")
    }

    func testAPassingPasteKeepsTheValuesAndASecretStaysInMemory() throws {
        let runbook = RunbookParser.parse(source: Self.source, id: "snap")
        let console = ScriptedConsole(["done", #"{"snapshot": {"id": "snap-7"}}"#, "key: hunter22", "end", "quit"].map(ConsoleRead.line))
        let sink = MemorySink()
        let start = WalkerTests.person.record(.runStarted(RunStart(run: "r1", runbook: runbook)))
        let walker = Walker(runbook: runbook, state: try RunState.replay([start]), sink: sink, console: console,
                            style: Style(enabled: false), person: WalkerTests.person, checks: FakeChecks())
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(sink.events, [.checkPassed(step: "take"), .variableRecorded(name: "SNAPSHOT", value: "snap-7"),
                                     .stepCompleted(step: "take"), .runPaused(reason: .quit)])
        XCTAssertTrue(console.output.contains("Captured SNAPSHOT = snap-7.\nCaptured KEY (secret: kept in memory only, never shown).\n"), console.output)
        XCTAssertTrue(console.output.contains("Restore snap-7 with {{KEY}}."), console.output)
        XCTAssertFalse(console.output.contains("hunter22"))
    }
}
