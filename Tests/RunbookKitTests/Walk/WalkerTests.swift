import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

final class WalkerTests: XCTestCase {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let person = Operator(name: "dana", host: "laptop-7", timeZone: "Europe/Paris", now: { WalkerTests.now })

    /// Three steps, laptop then droplet twice, with a guardrail.
    static let restart = RunbookParser.parse(source: """
        # Restart the SMT proxy

        Restarts the proxy and reads its logs.

        ## Guardrails
        - `rm -rf`: the droplet holds the only copy of the certificates.

        ## Open a shell {#ssh}
        Where: PowerShell on your laptop

        Log in to the droplet first.

        ```powershell
        ssh deploy@smt-proxy
        ```

        Expect: a `deploy@smt-proxy` prompt.

        ## Restart the service {#restart}
        Where: droplet smt-proxy

        ```sh
        sudo systemctl restart smt-proxy
        ```

        Expect: no output.

        ## Look at the logs {#logs}
        Where: droplet smt-proxy

        ```sh
        journalctl -u smt-proxy -n 20
        ```

        Expect: `started` in the last lines.
        """, id: "restart", path: "runbooks/restart.md")

    /// A secret and a non-secret with a default; the first step has an http check.
    static let token = RunbookParser.parse(source: """
        # Check the admin token

        ## Variables
        - `BASE_URL`: the IntelliWatt base URL. Default: `https://intelliwatt.test`
        - `ADMIN_TOKEN` (secret): the 64-character admin token.

        ## Call the endpoint {#call}
        Where: PowerShell on your laptop

        ```powershell
        curl -H "x-admin-token: {{ADMIN_TOKEN}}" {{BASE_URL}}/api/admin/smt/token
        ```

        Expect: status 501.

        ```http check
        GET {{BASE_URL}}/api/admin/smt/token
        x-admin-token: {{ADMIN_TOKEN}}

        expect status 501
        ```

        ## Call the health endpoint {#health}
        Where: PowerShell on your laptop

        ```powershell
        curl {{BASE_URL}}/health
        ```

        Expect: ok.
        """, id: "token", path: "runbooks/token.md")

    /// A step with an sh check, then a step without.
    static let migrate = RunbookParser.parse(source: """
        # Migrate

        ## Run the migration {#migrate}
        Where: droplet smt-proxy

        ```sh
        ./migrate
        ```

        Expect: exit status 0.

        ```sh check
        test -f /srv/migrated
        ```

        ## Tell the team {#tell}
        Where: Slack #ops

        Expect: a thumbs-up.
        """, id: "migrate", path: "runbooks/migrate.md")

    /// One step with a paste check.
    static let paste = RunbookParser.parse(source: """
        # Read the token file

        ## Look at the token file {#look}
        Where: droplet smt-proxy

        ```sh
        cat /etc/smt/token.json
        ```

        Expect: JSON with ok true.

        ```paste check
        expect body contains ok
        expect json ok == true
        ```
        """, id: "paste", path: "runbooks/paste.md")

    /// One step whose variable has no default: the walk asks for it.
    static let region = RunbookParser.parse(source: """
        # Region

        ## Variables
        - `REGION`: the droplet region.

        ## Show the region {#region}
        Where: droplet smt-proxy

        ```sh
        echo {{REGION}}
        ```

        Expect: the region.
        """, id: "region", path: "runbooks/region.md")

    /// A first step without variables, then a step whose check needs a secret of a declared format.
    static let later = RunbookParser.parse(source: """
        # Later secret

        ## Variables
        - `BASE_URL`: the base URL. Default: `https://intelliwatt.test` Format: URL
        - `ADMIN_TOKEN` (secret): the admin token, from the Vercel UI. Format: 8 characters

        ## Open PowerShell {#open}
        Where: PowerShell on your laptop

        Expect: a prompt; fix it if not.

        ## Call the stub {#call}
        Where: droplet smt-proxy

        ```sh
        curl {{BASE_URL}}/x
        ```

        Expect: 501.

        ```http check
        GET {{BASE_URL}}/api/admin/smt/token
        x-admin-token: {{ADMIN_TOKEN}}

        expect status 501
        ```
        """, id: "later", path: "runbooks/later.md")

    /// A decision, a branch that goes on in file order to a retry decision, a branch with `Next:`, the close-out.
    static let tree = RunbookParser.parse(source: """
        # Tree

        ## Read the answer {#triage}
        Where: droplet

        Choose: what did it answer?
        - `ok`: 200, the token works → #close
        - `401`: the password is wrong → #rotate
        - `timeout`: no answer → #whitelist

        Expect: a choice.

        ## Rotate the password {#rotate}
        Where: SMT portal

        Expect: rotated.

        ## Test again {#retest}
        Where: droplet

        Choose:
        - `again`: still failing → #triage
        - `fine`: works now → #close

        Expect: a choice.

        ## Check the whitelist {#whitelist}
        Where: email

        Next: #close
        Expect: answered.

        ## Close out {#close}
        Where: laptop

        Expect: done.
        """, id: "tree", path: "runbooks/tree.md")

    /// The line above each step's screen.
    static let rule = String(repeating: "─", count: 60)

    /// The guardrails and the first screen of `restart`, up to its prompt.
    static let restartFirstScreen = """
        Guardrails: never do these.
          - rm -rf: the droplet holds the only copy of the certificates.

        \(rule)
        Step 1 of 3 · 0 done, 3 left on this path
        WHERE: PowerShell on your laptop
        Open a shell

        Log in to the droplet first.

        ```powershell
        ssh deploy@smt-proxy
        ```

        Expect: a `deploy@smt-proxy` prompt.

        Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.

        """

    private var console = ScriptedConsole([])
    private var sink = MemorySink()
    private var checks = FakeChecks()

    private func walker(_ runbook: Runbook, _ input: [ConsoleRead], interactive: Bool = false, state: RunState? = nil,
                        checks answers: [CheckResult] = [.pass()], assigned: [String: String] = [:],
                        environment: [String: String] = [:]) throws -> Walker {
        XCTAssertEqual(runbook.steps.count, runbook.steps.filter { !$0.place.isEmpty }.count, "every step has a Where")
        console = ScriptedConsole(input, interactive: interactive)
        checks = FakeChecks(answers)
        let initial = try state ?? RunState(starting: Self.person.record(.runStarted(RunStart(run: "r1", runbook: runbook))))
        return Walker(runbook: runbook, state: initial, sink: sink, console: console, style: Style(enabled: false),
                      person: Self.person, checks: checks, assigned: assigned, environment: environment)
    }

    private func position(of text: String, file: StaticString = #filePath, line: UInt = #line) -> String.Index? {
        let range = console.output.range(of: text)
        XCTAssertNotNil(range, "output lacks `\(text)`", file: file, line: line)
        return range?.lowerBound
    }

    private func count(_ text: String, in haystack: String) -> Int {
        haystack.components(separatedBy: text).count - 1
    }

    // MARK: A whole walk

    func testParsedFixtures() {
        XCTAssertEqual(Self.restart.steps.map(\.id), ["ssh", "restart", "logs"])
        XCTAssertEqual(Self.restart.guardrails.map(\.pattern), ["rm -rf"])
        XCTAssertEqual(Self.token.variables.map(\.name), ["BASE_URL", "ADMIN_TOKEN"])
        XCTAssertEqual(Self.token.variables.map(\.isSecret), [false, true])
        XCTAssertNotNil(Self.token.steps[0].check)
        XCTAssertNotNil(Self.migrate.steps[0].check)
        XCTAssertNotNil(Self.paste.steps[0].check)
    }

    func testAWholeWalk() throws {
        let walker = try walker(Self.restart, ["done", "done", "done"])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(sink.events, [
            .stepCompleted(step: "ssh"), .stepCompleted(step: "restart"), .stepCompleted(step: "logs"), .runCompleted,
        ])
        XCTAssertEqual(sink.records.first,
                       EventRecord(.stepCompleted(step: "ssh"), at: Self.now, timeZone: "Europe/Paris",
                                   operatorName: "dana", host: "laptop-7"))
        XCTAssertEqual(walker.state.status, .completed)
        XCTAssertEqual(walker.state.steps.map(\.status), [.done, .done, .done])
        XCTAssertEqual(console.input, [])
        XCTAssertEqual(console.warnings, "")
        // Guardrails first; each screen's Where before its title; the prompt names the place and the
        // runbook's step number; from a pipe, what was read is echoed after the prompt.
        assertTranscript(console.output, """
            Guardrails: never do these.
              - rm -rf: the droplet holds the only copy of the certificates.

            \(Self.rule)
            Step 1 of 3 · 0 done, 3 left on this path
            WHERE: PowerShell on your laptop
            Open a shell

            Log in to the droplet first.

            ```powershell
            ssh deploy@smt-proxy
            ```

            Expect: a `deploy@smt-proxy` prompt.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            PowerShell on your laptop · step 1> done
            ✔ Done: Open a shell

            \(Self.rule)
            >> Switch to: droplet smt-proxy

            Step 2 of 3 · 1 done, 2 left on this path
            WHERE: droplet smt-proxy
            Restart the service

            ```sh
            sudo systemctl restart smt-proxy
            ```

            Expect: no output.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            droplet smt-proxy · step 2> done
            ✔ Done: Restart the service

            \(Self.rule)
            Step 3 of 3 · 2 done, 1 left on this path
            WHERE: droplet smt-proxy
            Look at the logs

            ```sh
            journalctl -u smt-proxy -n 20
            ```

            Expect: `started` in the last lines.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            droplet smt-proxy · step 3> done
            ✔ Done: Look at the logs

            Run r1 complete: 3 done, 0 skipped, 0 s elapsed.
            Report: runbook report r1

            """)
    }

    func testTheScreenShowsWhereBeforeTheTitleAndTheAction() throws {
        let walker = try walker(Self.restart, ["quit"])
        XCTAssertEqual(walker.walk(), .paused)
        assertTranscript(console.output, Self.restartFirstScreen + """
            PowerShell on your laptop · step 1> quit

            Paused at step 1 (Open a shell); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testGuardrailsComeBeforeTheFirstStep() throws {
        let walker = try walker(Self.restart, ["quit"])
        _ = walker.walk()
        XCTAssertTrue(console.output.hasPrefix(
            "Guardrails: never do these.\n  - rm -rf: the droplet holds the only copy of the certificates.\n\n"))
        let rails = try XCTUnwrap(position(of: "Guardrails:"))
        let first = try XCTUnwrap(position(of: "Step 1 of 3"))
        XCTAssertLessThan(rails, first)
        XCTAssertEqual(count("Guardrails:", in: console.output), 1)
    }

    func testNoGuardrailsNoGuardrailBlock() throws {
        let walker = try walker(Self.migrate, ["quit"])
        _ = walker.walk()
        XCTAssertFalse(console.output.contains("Guardrails"))
    }

    func testSwitchToAppearsExactlyWhenWhereChanges() throws {
        let walker = try walker(Self.restart, ["done", "done", "quit"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(count(">> Switch to:", in: console.output), 1)
        let step1 = try XCTUnwrap(position(of: "Step 1 of 3"))
        let change = try XCTUnwrap(position(of: ">> Switch to: droplet smt-proxy\n\nStep 2 of 3"))
        let step3 = try XCTUnwrap(position(of: "Step 3 of 3"))
        XCTAssertLessThan(step1, change)
        XCTAssertLessThan(change, step3)
    }

    func testSwitchIsShownAgainWhenBackLeadsToAnotherPlace() throws {
        // ssh (laptop) -> restart (droplet): switch; back to ssh: first step, no switch; restart again: switch.
        let walker = try walker(Self.restart, ["done", "back", "done", "quit"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(count(">> Switch to: droplet smt-proxy", in: console.output), 2)
        XCTAssertEqual(count("Step 1 of 3", in: console.output), 2)
    }

    // MARK: Prompt words

    func testSkipNeedsAReason() throws {
        let walker = try walker(Self.restart, ["skip", "skip   ", "skip already open in another tab", "quit"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(count("skip needs a reason, kept in the run: skip REASON", in: console.output), 2)
        XCTAssertEqual(sink.events, [
            .stepSkipped(step: "ssh", reason: "already open in another tab"), .runPaused(reason: .quit),
        ])
        XCTAssertTrue(console.output.contains("↷ Skipped: Open a shell"))
        XCTAssertEqual(walker.state.steps[0].status, .skipped)
    }

    func testBack() throws {
        let walker = try walker(Self.restart, ["back", "done", "back", "done", "done", "done"])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertTrue(console.output.contains("This is the first step: there is no step before it to go back to."))
        XCTAssertTrue(console.output.contains("↶ Back to step 1: Open a shell"))
        XCTAssertEqual(sink.events, [
            .stepCompleted(step: "ssh"), .stepReopened(step: "ssh"), .stepCompleted(step: "ssh"),
            .stepCompleted(step: "restart"), .stepCompleted(step: "logs"), .runCompleted,
        ])
    }

    func testNote() throws {
        let walker = try walker(Self.restart, ["note checked with Sam", "note", "NOTE  second one ", "quit"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(sink.events, [
            .noteAdded(step: "ssh", text: "checked with Sam"), .noteAdded(step: "ssh", text: "second one"),
            .runPaused(reason: .quit),
        ])
        XCTAssertTrue(console.output.contains("note needs text: note TEXT"))
        XCTAssertEqual(count("Note kept on this step.", in: console.output), 2)
        XCTAssertEqual(walker.state.steps[0].notes.map(\.text), ["checked with Sam", "second one"])
        XCTAssertEqual(walker.state.steps[0].status, .pending)
    }

    func testJunkRecordsNothingAndReminds() throws {
        let walker = try walker(Self.restart, ["donee", "", "yes", "quit"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(sink.events, [.runPaused(reason: .quit)])
        XCTAssertEqual(walker.state.steps[0].status, .pending)
        // The screen's reminder, then one per line that was not a prompt word.
        assertTranscript(console.output, Self.restartFirstScreen + """
            PowerShell on your laptop · step 1> donee
            `donee` is not a prompt word: nothing was recorded. Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            PowerShell on your laptop · step 1> 
            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            PowerShell on your laptop · step 1> yes
            `yes` is not a prompt word: nothing was recorded. Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            PowerShell on your laptop · step 1> quit

            Paused at step 1 (Open a shell); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testHelp() throws {
        let walker = try walker(Self.restart, ["?", "quit"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertTrue(console.output.contains(PromptCommand.helpText))
        XCTAssertEqual(sink.events, [.runPaused(reason: .quit)])
    }

    func testQuitPauses() throws {
        let walker = try walker(Self.restart, ["done", "quit", "done"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(sink.events, [.stepCompleted(step: "ssh"), .runPaused(reason: .quit)])
        XCTAssertTrue(console.output.hasSuffix("""
            droplet smt-proxy · step 2> quit

            Paused at step 2 (Restart the service); progress is saved. Resume with: runbook resume r1

            """))
        XCTAssertEqual(console.warnings, "")
        XCTAssertEqual(console.input, ["done"], "nothing is read after quit")
        XCTAssertEqual(walker.state.pausedBy, .quit)
    }

    func testEndOfInputPauses() throws {
        let walker = try walker(Self.restart, ["done"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(sink.events, [.stepCompleted(step: "ssh"), .runPaused(reason: .inputEnded)])
        XCTAssertTrue(console.output.hasSuffix("Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.\ndroplet smt-proxy · step 2> "))
        XCTAssertEqual(console.warnings,
                       "Input ended. Paused at step 2 (Restart the service); progress is saved. Resume with: runbook resume r1\n")
        XCTAssertEqual(walker.state.pausedBy, .inputEnded)
    }

    func testOnATerminalWhatWasTypedIsNotEchoed() throws {
        let walker = try walker(Self.restart, ["done", "quit"], interactive: true)
        XCTAssertEqual(walker.walk(), .paused)
        // The terminal echoes what was typed itself: the program writes nothing of it.
        XCTAssertTrue(console.output.contains("PowerShell on your laptop · step 1> ✔ Done: Open a shell\n"))
        XCTAssertTrue(console.output.hasSuffix(
            "droplet smt-proxy · step 2> \nPaused at step 2 (Restart the service); progress is saved. Resume with: runbook resume r1\n"))
        XCTAssertFalse(console.output.contains("> done"))
        XCTAssertFalse(console.output.contains("> quit"))
    }

    func testResumingWalksFromTheCurrentStep() throws {
        let start = Self.person.record(.runStarted(RunStart(run: "r1", runbook: Self.restart)))
        let state = try RunState.replay([start, Self.person.record(.stepCompleted(step: "ssh"))])
        let walker = try walker(Self.restart, ["done", "done"], state: state)
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(sink.events, [.stepCompleted(step: "restart"), .stepCompleted(step: "logs"), .runCompleted])
        // Nothing was shown on this screen before: the first screen names its place, without a switch.
        assertTranscript(console.output, """
            Guardrails: never do these.
              - rm -rf: the droplet holds the only copy of the certificates.

            \(Self.rule)
            Step 2 of 3 · 1 done, 2 left on this path
            WHERE: droplet smt-proxy
            Restart the service

            ```sh
            sudo systemctl restart smt-proxy
            ```

            Expect: no output.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            droplet smt-proxy · step 2> done
            ✔ Done: Restart the service

            \(Self.rule)
            Step 3 of 3 · 2 done, 1 left on this path
            WHERE: droplet smt-proxy
            Look at the logs

            ```sh
            journalctl -u smt-proxy -n 20
            ```

            Expect: `started` in the last lines.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            droplet smt-proxy · step 3> done
            ✔ Done: Look at the logs

            Run r1 complete: 3 done, 0 skipped, 0 s elapsed.
            Report: runbook report r1

            """)
    }

    // MARK: Checks

    func testCheckOnAStepWithoutOne() throws {
        let walker = try walker(Self.restart, ["check", "quit"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertTrue(console.output.contains("This step has no check: read its Expect, then type done."))
        XCTAssertEqual(sink.events, [.runPaused(reason: .quit)])
        XCTAssertEqual(checks.callCount, 0)
    }

    func testAFailingCheckWithoutATerminalStopsTheRun() throws {
        let walker = try walker(Self.migrate, ["done", "done"], checks: [.fail("exit status 1")])
        XCTAssertEqual(walker.walk(), .checkFailed)
        XCTAssertEqual(sink.events, [.checkFailed(step: "migrate", reason: "exit status 1")])
        XCTAssertEqual(walker.state.steps[0].status, .pending)
        XCTAssertEqual(walker.state.steps[0].check, .failed)
        XCTAssertEqual(console.input, ["done"], "nothing more is read")
        XCTAssertEqual(checks.scripts.map(\.script), ["test -f /srv/migrated"])
        XCTAssertTrue(console.output.contains("✘ Check failed: exit status 1\n"))
        XCTAssertTrue(console.output.contains("Without a terminal a failed check stops the run; fix it, then: runbook resume r1"))
    }

    func testCheckWordWithoutATerminalAlsoStopsOnFailure() throws {
        let walker = try walker(Self.migrate, ["check", "done"], checks: [.fail("exit status 2")])
        XCTAssertEqual(walker.walk(), .checkFailed)
        XCTAssertEqual(sink.events, [.checkFailed(step: "migrate", reason: "exit status 2")])
    }

    func testAFailingCheckOnATerminalStaysOnTheStep() throws {
        let walker = try walker(Self.migrate, ["done", "done", "done"], interactive: true,
                                checks: [.fail("exit status 1"), .pass("exit status 0")])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(sink.events, [
            .checkFailed(step: "migrate", reason: "exit status 1"), .checkPassed(step: "migrate"),
            .stepCompleted(step: "migrate"), .stepCompleted(step: "tell"), .runCompleted,
        ])
        XCTAssertEqual(checks.scripts.count, 2)
        // The screen is not shown again; a step without variables offers no `set NAME`.
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 2 · 0 done, 2 left on this path
            WHERE: droplet smt-proxy
            Run the migration

            ```sh
            ./migrate
            ```

            Expect: exit status 0.

            Check: sh `test -f /srv/migrated`: exit status 0

            Type done when the step is done, or: skip REASON, back, note TEXT, check, quit, help.
            droplet smt-proxy · step 1> Checking: running the sh check …
            ✘ Check failed: exit status 1
            Fix it and type done (or check) to retry, or skip REASON.
            droplet smt-proxy · step 1> Checking: running the sh check …
            ✔ Check passed (exit status 0)
            ✔ Done: Run the migration

            \(Self.rule)
            >> Switch to: Slack #ops

            Step 2 of 2 · 1 done, 1 left on this path
            WHERE: Slack #ops
            Tell the team

            Expect: a thumbs-up.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            Slack #ops · step 2> ✔ Done: Tell the team

            Run r1 complete: 2 done, 0 skipped, 0 s elapsed.
            Report: runbook report r1

            """)
    }

    func testCheckWordRunsTheCheckWithoutCompleting() throws {
        let walker = try walker(Self.migrate, ["check", "quit"], checks: [.pass("exit status 0")])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(sink.events, [.checkPassed(step: "migrate"), .runPaused(reason: .quit)])
        XCTAssertEqual(walker.state.steps[0].status, .pending)
        XCTAssertEqual(walker.state.steps[0].check, .passed)
    }

    func testAPasteCheckReadsUntilEndAndStoresNothingPasted() throws {
        let walker = try walker(Self.paste, ["done", #"{"ok": true,"#, #" "token": "tok-PASTED-123"}"#, " End ", "quit"])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(sink.events, [.checkPassed(step: "look"), .stepCompleted(step: "look"), .runCompleted])
        XCTAssertTrue(console.output.contains("Paste what you saw (the whole selection is fine), then a line with only: end"))
        XCTAssertTrue(console.output.contains("✔ Check passed (passed: body contains ok, json ok == true)"))
        XCTAssertEqual(console.input, ["quit"])
        XCTAssertFalse(console.everything.contains("tok-PASTED-123"))
        XCTAssertFalse(String(describing: sink.records).contains("tok-PASTED-123"))
        XCTAssertEqual(checks.callCount, 0)
    }

    func testAFailingPasteCheckShowsWhatCameButStoresOnlyItsKind() throws {
        let walker = try walker(Self.paste, ["done", #"{"ok": "tok-PASTED-123"}"#, "end", "quit"], interactive: true)
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(sink.events, [
            .checkFailed(step: "look", reason: "expected ok == true, got a string (shown on screen only)"), .runPaused(reason: .quit),
        ])
        XCTAssertTrue(console.output.contains(#"✘ Check failed: expected ok == true, got "tok-PASTED-123""#))
        XCTAssertFalse(String(describing: sink.records).contains("tok-PASTED-123"))
    }

    func testInputEndingWhilePastingPauses() throws {
        let walker = try walker(Self.paste, ["done", "partial tok-PASTED-123"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(sink.events, [.runPaused(reason: .inputEnded)])
        XCTAssertFalse(console.everything.contains("tok-PASTED-123"))
    }

    // MARK: Variables and secrets

    func testAPromptedSecretNeverShowsAndDefaultsAreRecordedOnce() throws {
        let secret = "s3cr3t-token-value"
        let walker = try walker(Self.token, [.line(secret), "note pasted s3cr3t-token-value by mistake", "done", "done"],
                                checks: [.pass("status 501")])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(console.secretReads, 1)
        XCTAssertEqual(sink.events, [
            .variableRecorded(name: "BASE_URL", value: "https://intelliwatt.test"),
            .noteAdded(step: "call", text: "pasted •••• by mistake"),
            .checkPassed(step: "call"), .stepCompleted(step: "call"),
            .stepCompleted(step: "health"), .runCompleted,
        ])
        // The check got the real value; nothing else did.
        XCTAssertEqual(checks.requests, [HTTPRequest(
            method: "GET", url: "https://intelliwatt.test/api/admin/smt/token",
            headers: [.init(name: "x-admin-token", value: secret)], body: checks.requests.first?.body)])
        XCTAssertFalse(console.everything.contains(secret))
        XCTAssertFalse(sink.dump.contains(secret))
        XCTAssertEqual(walker.state.variables, ["BASE_URL": "https://intelliwatt.test"])
        // A secret answer is not echoed, and the command it goes into is not shown again (it holds {{ADMIN_TOKEN}}).
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 2 · 0 done, 2 left on this path
            WHERE: PowerShell on your laptop
            Call the endpoint

            ```powershell
            curl -H "x-admin-token: {{ADMIN_TOKEN}}" https://intelliwatt.test/api/admin/smt/token
            ```

            Expect: status 501.

            Check: http GET https://intelliwatt.test/api/admin/smt/token: status 501

            This step's check needs ADMIN_TOKEN: the 64-character admin token. It is typed without echo and kept in memory only.
            PowerShell on your laptop · step 1 · ADMIN_TOKEN> 

            Type done when the step is done, or: skip REASON, back, note TEXT, check, set NAME, quit, help.
            PowerShell on your laptop · step 1> note pasted •••• by mistake
            Note kept on this step.
            PowerShell on your laptop · step 1> done
            Checking: GET https://intelliwatt.test/api/admin/smt/token …
            ✔ Check passed (status 501)
            ✔ Done: Call the endpoint

            \(Self.rule)
            Step 2 of 2 · 1 done, 1 left on this path
            WHERE: PowerShell on your laptop
            Call the health endpoint

            ```powershell
            curl https://intelliwatt.test/health
            ```

            Expect: ok.

            Type done when the step is done, or: skip REASON, back, note TEXT, set NAME, quit, help.
            PowerShell on your laptop · step 2> done
            ✔ Done: Call the health endpoint

            Run r1 complete: 2 done, 0 skipped, 0 s elapsed.
            Report: runbook report r1

            """)
    }

    func testASecretFromTheEnvironmentIsNotAskedForAndIsMasked() throws {
        let secret = "env-token-42"
        // The server's words come from outside: the renderer masks them (a literal would be the program's own).
        let walker = try walker(Self.token, ["done"], checks: [.fail("expected status 501, got 401: \(outside: "bad token env-token-42")")],
                                environment: ["ADMIN_TOKEN": secret])
        XCTAssertEqual(walker.walk(), .checkFailed)
        XCTAssertEqual(console.secretReads, 0)
        XCTAssertEqual(sink.events, [
            .variableRecorded(name: "BASE_URL", value: "https://intelliwatt.test"),
            .checkFailed(step: "call", reason: "expected status 501, got 401: bad token ••••"),
        ])
        XCTAssertEqual(checks.requests.first?.headers, [.init(name: "x-admin-token", value: secret)])
        XCTAssertTrue(console.output.hasSuffix("""
            Type done when the step is done, or: skip REASON, back, note TEXT, check, set NAME, quit, help.
            PowerShell on your laptop · step 1> done
            Checking: GET https://intelliwatt.test/api/admin/smt/token …
            ✘ Check failed: expected status 501, got 401: bad token ••••
            Without a terminal a failed check stops the run; fix it, then: runbook resume r1

            """), console.output)
        XCTAssertFalse(console.everything.contains(secret))
        XCTAssertFalse(sink.dump.contains(secret))
    }

    func testAFailedHTTPCheckShowsTheCommandToTryByHandWithoutTheSecret() throws {
        let secret = "env-token-43"
        var failed = CheckResult.fail("expected status 501, got 200")
        failed.reproduce = "curl -i https://intelliwatt.test/api/admin/smt/token -H \"x-admin-token: $ADMIN_TOKEN\" --max-time 10"
        let walker = try walker(Self.token, ["done"], checks: [failed], environment: ["ADMIN_TOKEN": secret])
        XCTAssertEqual(walker.walk(), .checkFailed)
        // The runner gets the request as the operator may see it: BASE_URL substituted, the secret as {{ADMIN_TOKEN}}.
        XCTAssertEqual(checks.displayed, [HTTPRequest(
            method: "GET", url: "https://intelliwatt.test/api/admin/smt/token",
            headers: [.init(name: "x-admin-token", value: "{{ADMIN_TOKEN}}")], body: checks.displayed.first?.body)])
        XCTAssertTrue(console.output.contains("""
            ✘ Check failed: expected status 501, got 200
            To try it by hand: curl -i https://intelliwatt.test/api/admin/smt/token -H \"x-admin-token: $ADMIN_TOKEN\" --max-time 10
            Without a terminal a failed check stops the run
            """), console.output)
        // The command is shown, never recorded.
        XCTAssertEqual(sink.events.last, .checkFailed(step: "call", reason: "expected status 501, got 200"))
        XCTAssertFalse(console.everything.contains(secret))
    }

    func testAnAssignedValueWinsOverTheEnvironmentAndTheDefault() throws {
        let walker = try walker(Self.token, ["done", "done"],
                                assigned: ["BASE_URL": "https://assigned.test", "ADMIN_TOKEN": "assigned-secret"],
                                environment: ["BASE_URL": "https://env.test", "ADMIN_TOKEN": "env-secret"])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(sink.events.first, .variableRecorded(name: "BASE_URL", value: "https://assigned.test"))
        XCTAssertEqual(sink.events.filter { if case .variableRecorded = $0 { true } else { false } }.count, 1)
        XCTAssertEqual(checks.requests.map(\.url), ["https://assigned.test/api/admin/smt/token"])
        XCTAssertEqual(checks.requests.first?.headers, [.init(name: "x-admin-token", value: "assigned-secret")])
        XCTAssertTrue(console.output.contains("curl https://assigned.test/health"))
        XCTAssertFalse(console.output.contains("env.test"))
        XCTAssertEqual(console.secretReads, 0)
        XCTAssertFalse(console.everything.contains("assigned-secret"))
        XCTAssertFalse(String(describing: sink.records).contains("assigned-secret"))
    }

    func testTheEnvironmentWinsOverTheDefault() throws {
        let walker = try walker(Self.token, ["done", "done"], environment: ["BASE_URL": "https://env.test", "ADMIN_TOKEN": "t0k"])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(sink.events.first, .variableRecorded(name: "BASE_URL", value: "https://env.test"))
        XCTAssertEqual(checks.requests.map(\.url), ["https://env.test/api/admin/smt/token"])
    }

    func testAVariableWithoutADefaultIsAskedOnItsStepsScreenBeforeThePrompt() throws {
        let walker = try walker(Self.region, ["  nyc3  ", "done"])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(sink.events, [
            .variableRecorded(name: "REGION", value: "nyc3"), .stepCompleted(step: "region"), .runCompleted,
        ])
        // The step's text first (the command with {{REGION}} still in it), then what the value is for, the
        // question, and the command with the value typed.
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 1 · 0 done, 1 left on this path
            WHERE: droplet smt-proxy
            Show the region

            ```sh
            echo {{REGION}}
            ```

            Expect: the region.

            This step needs REGION: the droplet region.
            droplet smt-proxy · step 1 · REGION>   nyc3  

            With your values:
            ```sh
            echo nyc3
            ```

            Type done when the step is done, or: skip REASON, back, note TEXT, set NAME, quit, help.
            droplet smt-proxy · step 1> done
            ✔ Done: Show the region

            Run r1 complete: 1 done, 0 skipped, 0 s elapsed.
            Report: runbook report r1

            """)
    }

    func testAVariableAlreadyRecordedIsNotAskedAgain() throws {
        let start = Self.person.record(.runStarted(RunStart(run: "r1", runbook: Self.region)))
        let state = try RunState.replay([start, Self.person.record(.variableRecorded(name: "REGION", value: "ams3"))])
        let walker = try walker(Self.region, ["done"], state: state)
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(sink.events, [.stepCompleted(step: "region"), .runCompleted])
        XCTAssertTrue(console.output.contains("echo ams3"))
    }

    func testInputEndingAtAQuestionPauses() throws {
        let walker = try walker(Self.region, [])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(sink.events, [.runPaused(reason: .inputEnded)])
    }

    // MARK: Failures and interrupts

    func testASinkFailureEndsTheWalk() throws {
        sink.fail(after: 0)
        let walker = try walker(Self.restart, ["done", "done"])
        XCTAssertEqual(walker.walk(), .failed(MemorySink.failure.description))
        XCTAssertEqual(sink.events, [])
        XCTAssertEqual(walker.state.steps[0].status, .pending)
        XCTAssertFalse(console.output.contains("✔ Done"))
        XCTAssertEqual(console.input, ["done"])
    }

    func testASinkFailureMidWalkKeepsWhatWasSaved() throws {
        sink.fail(after: 1)
        let walker = try walker(Self.restart, ["done", "done", "done"])
        XCTAssertEqual(walker.walk(), .failed(
            "could not save progress to /state/runs/r1.jsonl: No space left on device; the last answer was not recorded: "
            + "free space (or fix the state folder), then `runbook resume r1`"))
        XCTAssertEqual(sink.events, [.stepCompleted(step: "ssh")])
        XCTAssertEqual(walker.state.steps.map(\.status), [.done, .pending, .pending])
        XCTAssertEqual(count("✔ Done", in: console.output), 1)
    }

    func testInterruptRecordsAPauseOnce() throws {
        let start = Self.person.record(.runStarted(RunStart(run: "r1", runbook: Self.restart)))
        let state = try RunState.replay([start, Self.person.record(.stepCompleted(step: "ssh"))])
        let walker = try walker(Self.restart, [], state: state)
        XCTAssertEqual(walker.gate.interrupt(), "Interrupted at step 2 of 3; progress is saved. Resume with: runbook resume r1")
        XCTAssertEqual(sink.events, [.runPaused(reason: .interrupted)])
        XCTAssertEqual(sink.records.first?.at, Self.now)
        _ = walker.gate.interrupt()
        XCTAssertEqual(sink.events, [.runPaused(reason: .interrupted)], "a second signal records nothing more")
    }

    func testAfterAnInterruptNothingMoreIsAppended() throws {
        // The signal thread seals the gate while the walk's thread is about to record `done`:
        // the pause is the last line, and the operator's `done` is refused, not written after it.
        let walker = try walker(Self.restart, ["done", "done"])
        XCTAssertEqual(walker.gate.interrupt(), "Interrupted at step 1 of 3; progress is saved. Resume with: runbook resume r1")
        XCTAssertEqual(walker.walk(), .failed("run r1 was interrupted; its progress is saved: `runbook resume r1`"))
        XCTAssertEqual(sink.events, [.runPaused(reason: .interrupted)])
        XCTAssertEqual(walker.state.steps[0].status, .pending, "the walk's state never runs ahead of the log")
        XCTAssertFalse(console.output.contains("✔ Done"))
    }

    func testTheGateReportsThePositionOfTheLastEventOnDisk() throws {
        let walker = try walker(Self.restart, ["done", "done", "quit"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(walker.gate.interrupt(), "Interrupted at step 3 of 3; progress is saved. Resume with: runbook resume r1")
        XCTAssertEqual(sink.events.suffix(2), [.runPaused(reason: .quit), .runPaused(reason: .interrupted)])
    }

    func testARefusedEventIsAnInternalErrorNotAFullDisk() throws {
        // Handed a run that is already complete, the walk's `runCompleted` is refused by the reducer.
        let start = Self.person.record(.runStarted(RunStart(run: "r1", runbook: Self.restart)))
        let done = ["ssh", "restart", "logs"].map { Self.person.record(.stepCompleted(step: $0)) }
        let state = try RunState.replay([start] + done + [Self.person.record(.runCompleted)])
        let walker = try walker(Self.restart, [], state: state)
        XCTAssertEqual(walker.walk(), .failed(
            "internal error: the walk tried an event run r1 refuses (the run is completed: runCompleted cannot follow); "
            + "nothing was recorded. Please report it; `runbook resume r1` goes on from what is saved"))
        XCTAssertEqual(sink.events, [])
    }

    func testInterruptAfterTheRunCompletedRecordsNothing() throws {
        let walker = try walker(Self.restart, ["done", "done", "done"])
        XCTAssertEqual(walker.walk(), .completed)
        let recorded = sink.events
        XCTAssertEqual(recorded.last, .runCompleted)
        XCTAssertEqual(walker.gate.interrupt(), "Run r1 is completed.")
        XCTAssertEqual(sink.events, recorded, "a pause after runCompleted would make the log illegal")
    }

    func testAStepMissingFromTheRunbookFailsTheWalk() throws {
        // The run knows a step that the runbook no longer has.
        var start = RunStart(run: "r1", runbook: Self.restart)
        start.steps.insert(StepRecord(id: "gone", title: "Gone", place: "laptop", digest: "x"), at: 0)
        let state = try RunState(starting: Self.person.record(.runStarted(start)))
        let walker = try walker(Self.restart, ["done"], state: state)
        XCTAssertEqual(walker.walk(), .failed(
            "step gone is not in runbooks/restart.md any more; edit the runbook or abandon the run"))
        XCTAssertEqual(sink.events, [])
    }

    // MARK: Questions that never strand the operator

    func testAnEmptyValueIsRefusedAndAskedAgain() throws {
        let walker = try walker(Self.region, ["", "   ", "nyc3", "done"])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(count("REGION cannot be empty: type its value, or quit (progress is saved).", in: console.output), 2)
        XCTAssertEqual(sink.events, [.variableRecorded(name: "REGION", value: "nyc3"), .stepCompleted(step: "region"), .runCompleted])
    }

    func testAPromptWordTypedAtASecretQuestionIsRefusedNeverUsed() throws {
        let walker = try walker(Self.later, ["done", "done", "check", "s3cr3t-1", "done"], checks: [.pass("status 501")])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(console.secretReads, 3)
        XCTAssertTrue(console.output.contains(
            "`done` is a prompt word, not a value for ADMIN_TOKEN: nothing was kept. Type the value, or quit, or skip REASON."))
        XCTAssertTrue(console.output.contains("`check` is a prompt word, not a value for ADMIN_TOKEN"))
        XCTAssertEqual(checks.requests.first?.headers, [.init(name: "x-admin-token", value: "s3cr3t-1")])
        XCTAssertEqual(sink.events, [
            .stepCompleted(step: "open"), .variableRecorded(name: "BASE_URL", value: "https://intelliwatt.test"),
            .checkPassed(step: "call"), .stepCompleted(step: "call"), .runCompleted,
        ])
    }

    func testQuitAtAQuestionPausesAndSkipThereSkipsTheStep() throws {
        let quitting = try walker(Self.later, ["done", "quit"])
        XCTAssertEqual(quitting.walk(), .paused)
        XCTAssertEqual(sink.events.last, .runPaused(reason: .quit))

        sink = MemorySink()
        let skipping = try walker(Self.later, ["done", "skip no token yet, asked Dana"])
        XCTAssertEqual(skipping.walk(), .completed)
        XCTAssertEqual(sink.events, [
            .stepCompleted(step: "open"), .variableRecorded(name: "BASE_URL", value: "https://intelliwatt.test"),
            .stepSkipped(step: "call", reason: "no token yet, asked Dana"), .runCompleted,
        ])
        XCTAssertEqual(checks.callCount, 0)
    }

    func testAValueThatDoesNotFitItsFormatIsRefusedFromEverySource() throws {
        let walker = try walker(Self.later, ["done", "short", "exactly8", "done"], checks: [.pass("status 501")],
                                environment: ["ADMIN_TOKEN": "too-long-for-it", "BASE_URL": "intelliwatt.test"])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(checks.requests.first?.headers, [.init(name: "x-admin-token", value: "exactly8")])
        XCTAssertEqual(checks.requests.first?.url, "https://intelliwatt.test/api/admin/smt/token")
        XCTAssertFalse(console.everything.contains("too-long-for-it"))
        // A secret's refused value is never shown; a non-secret's is. The secret asked is not echoed.
        XCTAssertTrue(console.output.hasSuffix("""
            Check: http GET https://intelliwatt.test/api/admin/smt/token: status 501

            BASE_URL from the environment (`intelliwatt.test`) does not fit: it is not an http:// or https:// URL (Format: an http(s) URL); not used.
            ADMIN_TOKEN from the environment does not fit: it has 15 characters, not 8 characters (Format: 8 characters); not used.

            This step's check needs ADMIN_TOKEN: the admin token, from the Vercel UI. It is typed without echo and kept in memory only.
            droplet smt-proxy · step 2 · ADMIN_TOKEN> 
            That is not a value for ADMIN_TOKEN: it has 5 characters, not 8 characters (Format: 8 characters). Type it again.
            droplet smt-proxy · step 2 · ADMIN_TOKEN> 

            Type done when the step is done, or: skip REASON, back, note TEXT, check, set NAME, quit, help.
            droplet smt-proxy · step 2> done
            Checking: GET https://intelliwatt.test/api/admin/smt/token …
            ✔ Check passed (status 501)
            ✔ Done: Call the stub

            Run r1 complete: 2 done, 0 skipped, 0 s elapsed.
            Report: runbook report r1

            """), console.output)
    }

    func testSetEntersAWrongSecretAgainAndTheCheckPasses() throws {
        let walker = try walker(Self.later, ["done", "wrong-t0", "done", "set ADMIN_TOKEN", "right-t0", "check", "done", "done"],
                                interactive: true, checks: [.fail("expected status 501, got 401"), .pass("status 501")])
        XCTAssertEqual(walker.walk(), .completed)
        // `check` tries the new value; `done` checks once more before completing.
        XCTAssertEqual(checks.requests.map { $0.headers.first?.value }, ["wrong-t0", "right-t0", "right-t0"])
        XCTAssertTrue(console.output.contains(
            "Enter ADMIN_TOKEN again (the admin token, from the Vercel UI); typed without echo, kept in memory only."))
        XCTAssertTrue(console.output.contains("ADMIN_TOKEN is set for this walk (never shown or stored). Type check or done to run the check with it."))
        XCTAssertEqual(sink.events, [
            .stepCompleted(step: "open"), .variableRecorded(name: "BASE_URL", value: "https://intelliwatt.test"),
            .checkFailed(step: "call", reason: "expected status 501, got 401"), .checkPassed(step: "call"),
            .checkPassed(step: "call"), .stepCompleted(step: "call"), .runCompleted,
        ])
        XCTAssertFalse(console.everything.contains("right-t0"))
        XCTAssertFalse(String(describing: sink.records).contains("right-t0"))
    }

    func testSetRecordsANonSecretValueAndShowsTheCommandWithIt() throws {
        let walker = try walker(Self.region, ["nyc3", "set REGION", "", "ams3", "done"])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(sink.events, [
            .variableRecorded(name: "REGION", value: "nyc3"), .variableRecorded(name: "REGION", value: "ams3"),
            .stepCompleted(step: "region"), .runCompleted,
        ])
        XCTAssertTrue(console.output.contains("REGION = ams3, recorded in the run.\n```sh\necho ams3\n```\n"))
        XCTAssertEqual(walker.state.variables, ["REGION": "ams3"])
    }

    func testSetNeedsADeclaredName() throws {
        let walker = try walker(Self.region, ["nyc3", "set", "set REGON", "quit"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertTrue(console.output.contains("set needs a variable name: set NAME (it declares REGION)."))
        XCTAssertTrue(console.output.contains("No variable REGON in this runbook: did you mean REGION? it declares REGION."))
        XCTAssertEqual(sink.events, [.variableRecorded(name: "REGION", value: "nyc3"), .runPaused(reason: .quit)])
    }

    func testAOneCharacterSecretNeverCorruptsTheRunbooksText() throws {
        let plain = RunbookParser.parse(source: """
            # One char

            ## Variables
            - `ADMIN_TOKEN` (secret): the admin token.

            ## Fix the stub {#fix}
            Where: PowerShell on your laptop

            Expect: fixed, and the prompt is done.

            ```http check
            GET https://intelliwatt.test/x
            x-admin-token: {{ADMIN_TOKEN}}

            expect status 501
            ```
            """, id: "one", path: "runbooks/one.md")
        let walker = try walker(plain, ["note fixed it", "done"], checks: [.pass("status 501")], environment: ["ADMIN_TOKEN": "f"])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(sink.events.first, .noteAdded(step: "fix", text: "••••ixed it"))
        // Only what the operator typed is masked: the echo of the note, and what the log keeps.
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 1 · 0 done, 1 left on this path
            WHERE: PowerShell on your laptop
            Fix the stub

            Expect: fixed, and the prompt is done.

            Check: http GET https://intelliwatt.test/x: status 501

            Type done when the step is done, or: skip REASON, back, note TEXT, check, set NAME, quit, help.
            PowerShell on your laptop · step 1> note ••••ixed it
            Note kept on this step.
            PowerShell on your laptop · step 1> done
            Checking: GET https://intelliwatt.test/x …
            ✔ Check passed (status 501)
            ✔ Done: Fix the stub

            Run r1 complete: 1 done, 0 skipped, 0 s elapsed.
            Report: runbook report r1

            """)
    }

    func testASecretFromTheEnvironmentIsMaskedFromTheFirstLine() throws {
        let walker = try walker(Self.later, ["note token is hunter2X", "skip pasted hunter2X", "done"], checks: [.pass("status 501")],
                                environment: ["ADMIN_TOKEN": "hunter2X"])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(Array(sink.events.prefix(2)), [
            .noteAdded(step: "open", text: "token is ••••"), .stepSkipped(step: "open", reason: "pasted ••••"),
        ])
        XCTAssertFalse(console.everything.contains("hunter2X"))
    }

    func testANoteWhileASecretIsUnknownKeepsNoWordThatFitsItsFormat() throws {
        // ADMIN_TOKEN (Format: 8 characters) is not known yet: a word of 8 characters may be it.
        let walker = try walker(Self.later, ["note rotated, the new one is hunter2X", "note the token was rotated", "quit"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(sink.events, [
            .noteAdded(step: "open", text: "rotated, the new one is ••••"), .noteAdded(step: "open", text: "the token was rotated"),
            .runPaused(reason: .quit),
        ])
        XCTAssertFalse(sink.dump.contains("hunter2X"))
        XCTAssertEqual(console.secretReads, 0, "nothing to ask: the format tells a word that may be the secret")
    }

    func testSwitchComparesWithTheStepLastShownNotTheStepBefore() throws {
        // ssh (laptop) -> restart (droplet) -> back to ssh (laptop): the screen says to switch back.
        let walker = try walker(Self.restart, ["done", "back", "quit"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertTrue(console.output.contains(">> Switch to: PowerShell on your laptop\n\nStep 1 of 3"))
    }

    func testInlineCodeIsHighlightedInColourAndKeptWithoutIt() {
        let step = Self.restart.steps[0]
        let plain = StepScreen.render(step, number: 1, of: 3, previousPlace: nil, values: [:], runbook: Self.restart,
                                      style: Style(enabled: false))
        XCTAssertTrue(plain.contains("Expect: a `deploy@smt-proxy` prompt."))
        let coloured = StepScreen.render(step, number: 1, of: 3, previousPlace: nil, values: [:], runbook: Self.restart,
                                         style: Style(enabled: true)).joined(separator: "\n")
        XCTAssertTrue(coloured.contains("a \u{1B}[36mdeploy@smt-proxy\u{1B}[0m prompt."), coloured)
        XCTAssertFalse(coloured.contains("`deploy@smt-proxy`"))
    }

    // MARK: Decisions and jumps

    func testChoosingByNumberByKeyAndByKeyInsteadOfDone() throws {
        let walker = try walker(Self.tree, ["done", "2", "done", "fine", "done"])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(sink.events, [
            .choiceMade(step: "triage", option: "401", target: "rotate", skipReason: nil), .stepCompleted(step: "rotate"),
            .choiceMade(step: "retest", option: "fine", target: "close", skipReason: nil), .stepCompleted(step: "close"), .runCompleted,
        ])
        XCTAssertEqual(walker.state.steps.map(\.status), [.done, .done, .done, .bypassed, .done])
        // One instruction line on a decision screen; "Step N" is the runbook's own number, progress on the
        // path apart (whitelist is bypassed only once `fine` is chosen).
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 5 · 0 done, 5 left on this path
            WHERE: droplet
            Read the answer

            Expect: a choice.

            Choose: what did it answer?
              1. ok       200, the token works → step 5, Close out
              2. 401      the password is wrong → step 2, Rotate the password
              3. timeout  no answer → step 4, Check the whitelist

            Type an option's number (1 to 3) or KEY when the step is done, or: skip REASON, back, note TEXT, quit, help.
            droplet · step 1> done
            Which one? Type its number (1 to 3) or its KEY: ok, 401, timeout.
            droplet · step 1 · choice> 2
            ✔ Done: Read the answer → `401`: the password is wrong
            Next: step 2, Rotate the password

            \(Self.rule)
            >> Switch to: SMT portal

            Step 2 of 5 · 1 done, 4 left on this path
            WHERE: SMT portal
            Rotate the password

            Expect: rotated.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            SMT portal · step 2> done
            ✔ Done: Rotate the password

            \(Self.rule)
            >> Switch to: droplet

            Step 3 of 5 · 2 done, 3 left on this path
            WHERE: droplet
            Test again

            Expect: a choice.

            Choose:
              1. again  still failing → step 1, Read the answer
              2. fine   works now → step 5, Close out

            Type an option's number (1 to 2) or KEY when the step is done, or: skip REASON, back, note TEXT, quit, help.
            droplet · step 3> fine
            ✔ Done: Test again → `fine`: works now
            Next: step 5, Close out

            \(Self.rule)
            >> Switch to: laptop

            Step 5 of 5 · 3 done, 1 left on this path
            WHERE: laptop
            Close out

            Expect: done.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            laptop · step 5> done
            ✔ Done: Close out

            Run r1 complete: 4 done, 0 skipped, 0 s elapsed.
            Report: runbook report r1

            """)
    }

    func testATypoAtTheChoiceIsAskedAgainAndQuitLeaves() throws {
        let walker = try walker(Self.tree, ["done", "4", "40l", "quit"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(count("is not one of the options: type 1 to 3, or one of: ok, 401, timeout (quit to leave; progress is saved).",
                             in: console.output), 2)
        XCTAssertEqual(sink.events, [.runPaused(reason: .quit)])
    }

    func testSkipOnADecisionStepStillAsksTheWay() throws {
        let walker = try walker(Self.tree, ["skip read by Sam", "timeout", "done", "done"])
        XCTAssertEqual(walker.walk(), .completed)
        XCTAssertEqual(sink.events.first, .choiceMade(step: "triage", option: "timeout", target: "whitelist", skipReason: "read by Sam"))
        XCTAssertEqual(walker.state.steps.map(\.status), [.skipped, .bypassed, .bypassed, .done, .done])
        XCTAssertTrue(console.output.contains("""
            droplet · step 1> skip read by Sam
            Skipped or not, the run goes on one way or another: choose it.
            Which one? Type its number (1 to 3) or its KEY: ok, 401, timeout.
            droplet · step 1 · choice> timeout
            ↷ Skipped: Read the answer → `timeout`: no answer
            Next: step 4, Check the whitelist

            \(Self.rule)
            >> Switch to: email

            Step 4 of 5 · 1 done, 2 left on this path
            WHERE: email
            Check the whitelist

            Expect: answered.

            Next: step 5, Close out

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            email · step 4> done
            """), console.output)
        XCTAssertTrue(console.output.hasSuffix("Run r1 complete: 2 done, 1 skipped, 0 s elapsed.\nReport: runbook report r1\n"))
    }

    func testBackOverADecisionShowsItAgainAndHelpNamesTheKeys() throws {
        let walker = try walker(Self.tree, ["ok", "back", "help", "timeout", "quit"])
        XCTAssertEqual(walker.walk(), .paused)
        XCTAssertEqual(sink.events, [
            .choiceMade(step: "triage", option: "ok", target: "close", skipReason: nil), .stepReopened(step: "triage"),
            .choiceMade(step: "triage", option: "timeout", target: "whitelist", skipReason: nil), .runPaused(reason: .quit),
        ])
        // `back` says it undid the choice; the decision's screen comes again, its steps on the path again.
        XCTAssertTrue(console.output.contains("""
            laptop · step 5> back
            ↶ Back to step 1: Read the answer (its choice `ok` is undone: choose again)

            \(Self.rule)
            >> Switch to: droplet

            Step 1 of 5 · 0 done, 5 left on this path
            WHERE: droplet
            Read the answer

            """), console.output)
        XCTAssertTrue(console.output.contains("""
            droplet · step 1> help
            \(PromptCommand.helpText)
              here         the options are 1 ok, 2 401, 3 timeout
            droplet · step 1> timeout
            ✔ Done: Read the answer → `timeout`: no answer
            Next: step 4, Check the whitelist

            """), console.output)
        XCTAssertEqual(count("Step 1 of 5", in: console.output), 2)
        XCTAssertTrue(console.output.contains("Step 4 of 5 · 1 done, 2 left on this path\n"), "the runbook's own number")
    }

}
