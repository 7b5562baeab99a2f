import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// The walk's rules (issue 12, SPEC 6 and 8), each as a whole transcript of a walk in memory.
final class WalkCoreTests: XCTestCase {
    static let person = WalkerTests.person
    static let rule = WalkerTests.rule

    /// A decision a check informs: its options carry the verdict they fit.
    static let stub = RunbookParser.parse(source: """
        # Stub

        ## Variables
        - `ADMIN_TOKEN` (secret): the admin token.

        ## Check the stub {#stub}
        Where: PowerShell on your laptop (7.1 or later)

        ```http check
        GET https://intelliwatt.test/api/admin/smt/token
        x-admin-token: {{ADMIN_TOKEN}}

        expect status 501
        ```

        Choose: what did the stub answer?
        - `ok`: 501 → #droplet (if the check passes)
        - `changed`: anything else → #changed (if the check fails)
        - `unsure`: cannot tell → #changed

        ## Go to the droplet {#droplet}
        Where: droplet intelliwatt-smt-proxy (SSH session as deploy)

        Next: #end

        ## Note the change {#changed}
        Where: Slack #ops

        Expect: posted.
        """, id: "stub", path: "runbooks/stub.md")

    /// A first step without variables, a second whose check sends a secret without a format.
    static let formatless = RunbookParser.parse(source: """
        # Formatless

        ## Variables
        - `REGION`: the droplet region.
        - `ADMIN_TOKEN` (secret): the admin token.

        ## Open PowerShell {#open}
        Where: PowerShell on your laptop

        Expect: a prompt.

        ## Call the stub {#call}
        Where: PowerShell on your laptop

        ```sh
        echo {{REGION}}
        ```

        ```http check
        GET https://intelliwatt.test/x
        x-admin-token: {{ADMIN_TOKEN}}

        expect status 501
        ```
        """, id: "formatless", path: "runbooks/formatless.md")

    var console = ScriptedConsole([ConsoleRead]())
    var sink = MemorySink()
    var checks = FakeChecks()

    func walk(_ runbook: Runbook, _ input: [ConsoleRead], interactive: Bool = false, after events: [RunEvent] = [],
              answers: [FakeChecks.Answer] = [.result(.pass())], environment: [String: String] = [:]) throws -> WalkOutcome {
        console = ScriptedConsole(input, interactive: interactive)
        checks = FakeChecks(answers: answers)
        let start = Self.person.record(.runStarted(RunStart(run: "r1", runbook: runbook)))
        let state = try RunState.replay([start] + events.map { Self.person.record($0) })
        let walker = Walker(runbook: runbook, state: state, sink: sink, console: console, style: Style(enabled: false),
                            person: Self.person, checks: checks, environment: environment)
        let outcome = walker.walk()
        XCTAssertEqual(console.input, [], "the whole script was read")
        return outcome
    }

    // MARK: The place and the step's number

    func testThePromptNamesThePlaceUpToAParenthesisAtEveryQuestion() throws {
        XCTAssertEqual(try walk(Self.stub, ["t0ken", "quit"], environment: [:]), .paused)
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 3 · 0 done, 3 left on this path
            WHERE: PowerShell on your laptop (7.1 or later)
            Check the stub

            Check: http GET https://intelliwatt.test/api/admin/smt/token: status 501

            Choose: what did the stub answer?
              1. ok       501 → step 2, Go to the droplet (if the check passes)
              2. changed  anything else → step 3, Note the change (if the check fails)
              3. unsure   cannot tell → step 3, Note the change

            This step's check needs ADMIN_TOKEN: the admin token. It is typed without echo and kept in memory only.
            PowerShell on your laptop · step 1 · ADMIN_TOKEN> 

            Type an option's number (1 to 3) or KEY when the step is done, or: skip REASON, back, note TEXT, check, set NAME, quit, help.
            PowerShell on your laptop · step 1> quit

            Paused at step 1 (Check the stub); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testALongPlaceIsCutAtAWordToAbout40Characters() {
        XCTAssertEqual(StepScreen.promptPlace("droplet intelliwatt-smt-proxy (SSH session as deploy)"), "droplet intelliwatt-smt-proxy")
        XCTAssertEqual(StepScreen.promptPlace("the staging cluster's bastion host in the Frankfurt region"), "the staging cluster's bastion host in…")
        XCTAssertEqual(StepScreen.promptPlace("(anywhere)"), "(anywhere)")
    }

    func testASecondPassThroughARetryLoopSaysSo() throws {
        let tree = WalkerTests.tree
        XCTAssertEqual(try walk(tree, ["401", "done", "again", "401", "done", "quit"]), .paused)
        XCTAssertEqual(sink.events, [
            .choiceMade(step: "triage", option: "401", target: "rotate", skipReason: nil), .stepCompleted(step: "rotate"),
            .choiceMade(step: "retest", option: "again", target: "triage", skipReason: nil),
            .choiceMade(step: "triage", option: "401", target: "rotate", skipReason: nil), .stepCompleted(step: "rotate"),
            .runPaused(reason: .quit),
        ])
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
            droplet · step 1> 401
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
            droplet · step 3> again
            ✔ Done: Test again → `again`: still failing
            Next: step 1, Read the answer

            \(Self.rule)
            Step 1 of 5 · 0 done, 5 left on this path · pass 2: walked once before
            WHERE: droplet
            Read the answer

            Expect: a choice.

            Choose: what did it answer?
              1. ok       200, the token works → step 5, Close out
              2. 401      the password is wrong → step 2, Rotate the password
              3. timeout  no answer → step 4, Check the whitelist

            Type an option's number (1 to 3) or KEY when the step is done, or: skip REASON, back, note TEXT, quit, help.
            droplet · step 1> 401
            ✔ Done: Read the answer → `401`: the password is wrong
            Next: step 2, Rotate the password

            \(Self.rule)
            >> Switch to: SMT portal

            Step 2 of 5 · 1 done, 4 left on this path · pass 2: walked once before
            WHERE: SMT portal
            Rotate the password

            Expect: rotated.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            SMT portal · step 2> done
            ✔ Done: Rotate the password

            \(Self.rule)
            >> Switch to: droplet

            Step 3 of 5 · 2 done, 3 left on this path · pass 2: walked once before
            WHERE: droplet
            Test again

            Expect: a choice.

            Choose:
              1. again  still failing → step 1, Read the answer
              2. fine   works now → step 5, Close out

            Type an option's number (1 to 2) or KEY when the step is done, or: skip REASON, back, note TEXT, quit, help.
            droplet · step 3> quit

            Paused at step 3 (Test again); progress is saved. Resume with: runbook resume r1

            """)
    }

    // MARK: Decisions

    func testAnOptionsNumberAtThePromptChoosesIt() throws {
        XCTAssertEqual(try walk(WalkerTests.tree, ["3", "quit"]), .paused)
        XCTAssertEqual(sink.events.first, .choiceMade(step: "triage", option: "timeout", target: "whitelist", skipReason: nil))
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
            droplet · step 1> 3
            ✔ Done: Read the answer → `timeout`: no answer
            Next: step 4, Check the whitelist

            \(Self.rule)
            >> Switch to: email

            Step 4 of 5 · 1 done, 2 left on this path
            WHERE: email
            Check the whitelist

            Expect: answered.

            Next: step 5, Close out

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            email · step 4> quit

            Paused at step 4 (Check the whitelist); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testAFailingCheckWithAFittingOptionTakesItWithoutASkipFromAPipe() throws {
        let failing = FakeChecks.Answer.response(Observed(status: 200, body: "{}"))
        XCTAssertEqual(try walk(Self.stub, ["changed", "quit"], answers: [failing], environment: ["ADMIN_TOKEN": "t0ken"]), .paused)
        XCTAssertEqual(sink.events, [
            .checkFailed(step: "stub", reason: "expected status 501, got 200"),
            .choiceMade(step: "stub", option: "changed", target: "changed", skipReason: nil, verdict: .failed), .runPaused(reason: .quit),
        ])
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 3 · 0 done, 3 left on this path
            WHERE: PowerShell on your laptop (7.1 or later)
            Check the stub

            Check: http GET https://intelliwatt.test/api/admin/smt/token: status 501

            Choose: what did the stub answer?
              1. ok       501 → step 2, Go to the droplet (if the check passes)
              2. changed  anything else → step 3, Note the change (if the check fails)
              3. unsure   cannot tell → step 3, Note the change

            Type an option's number (1 to 3) or KEY when the step is done, or: skip REASON, back, note TEXT, check, set NAME, quit, help.
            PowerShell on your laptop · step 1> changed
            Checking: GET https://intelliwatt.test/api/admin/smt/token …
            ✘ Check failed: expected status 501, got 200
            ✔ Done: Check the stub → `changed`: anything else
            Next: step 3, Note the change

            \(Self.rule)
            >> Switch to: Slack #ops

            Step 3 of 3 · 1 done, 1 left on this path
            WHERE: Slack #ops
            Note the change

            Expect: posted.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            Slack #ops · step 3> quit

            Paused at step 3 (Note the change); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testDoneAfterAFailingCheckAsksOnlyAndRefusesAnOptionThatDoesNotFit() throws {
        let failing = FakeChecks.Answer.response(Observed(status: 200, body: "{}"))
        XCTAssertEqual(try walk(Self.stub, ["done", "1", "unsure", "quit"], answers: [failing], environment: ["ADMIN_TOKEN": "t0ken"]),
                       .paused)
        XCTAssertEqual(sink.events, [
            .checkFailed(step: "stub", reason: "expected status 501, got 200"),
            .choiceMade(step: "stub", option: "unsure", target: "changed", skipReason: nil, verdict: .failed), .runPaused(reason: .quit),
        ])
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 3 · 0 done, 3 left on this path
            WHERE: PowerShell on your laptop (7.1 or later)
            Check the stub

            Check: http GET https://intelliwatt.test/api/admin/smt/token: status 501

            Choose: what did the stub answer?
              1. ok       501 → step 2, Go to the droplet (if the check passes)
              2. changed  anything else → step 3, Note the change (if the check fails)
              3. unsure   cannot tell → step 3, Note the change

            Type an option's number (1 to 3) or KEY when the step is done, or: skip REASON, back, note TEXT, check, set NAME, quit, help.
            PowerShell on your laptop · step 1> done
            Checking: GET https://intelliwatt.test/api/admin/smt/token …
            ✘ Check failed: expected status 501, got 200
            Which one? Type its number (1 to 3) or its KEY: ok, changed, unsure.
            PowerShell on your laptop · step 1 · choice> 1
            `ok` is for when the check passes; it failed: choose `changed`, `unsure`.
            PowerShell on your laptop · step 1 · choice> unsure
            ✔ Done: Check the stub → `unsure`: cannot tell
            Next: step 3, Note the change

            \(Self.rule)
            >> Switch to: Slack #ops

            Step 3 of 3 · 1 done, 1 left on this path
            WHERE: Slack #ops
            Note the change

            Expect: posted.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            Slack #ops · step 3> quit

            Paused at step 3 (Note the change); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testAPassingCheckRefusesTheOptionForAFailure() throws {
        XCTAssertEqual(try walk(Self.stub, ["changed", "ok", "quit"], answers: [.result(.pass("status 501"))],
                                environment: ["ADMIN_TOKEN": "t0ken"]), .paused)
        XCTAssertEqual(sink.events, [
            .checkPassed(step: "stub"), .choiceMade(step: "stub", option: "ok", target: "droplet", skipReason: nil, verdict: .passed), .runPaused(reason: .quit),
        ])
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 3 · 0 done, 3 left on this path
            WHERE: PowerShell on your laptop (7.1 or later)
            Check the stub

            Check: http GET https://intelliwatt.test/api/admin/smt/token: status 501

            Choose: what did the stub answer?
              1. ok       501 → step 2, Go to the droplet (if the check passes)
              2. changed  anything else → step 3, Note the change (if the check fails)
              3. unsure   cannot tell → step 3, Note the change

            Type an option's number (1 to 3) or KEY when the step is done, or: skip REASON, back, note TEXT, check, set NAME, quit, help.
            PowerShell on your laptop · step 1> changed
            Checking: GET https://intelliwatt.test/api/admin/smt/token …
            ✔ Check passed (status 501)
            `changed` is for when the check fails; it passed: choose `ok`, `unsure`.
            PowerShell on your laptop · step 1 · choice> ok
            ✔ Done: Check the stub → `ok`: 501
            Next: step 2, Go to the droplet

            \(Self.rule)
            >> Switch to: droplet intelliwatt-smt-proxy (SSH session as deploy)

            Step 2 of 3 · 1 done, 2 left on this path
            WHERE: droplet intelliwatt-smt-proxy (SSH session as deploy)
            Go to the droplet

            Next: the end of the run

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            droplet intelliwatt-smt-proxy · step 2> quit

            Paused at step 2 (Go to the droplet); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testAFailingCheckWithoutAFittingOptionStillStopsAPipe() throws {
        // The decision's options fit a failure, but `done` on a step without a decision still stops.
        XCTAssertEqual(try walk(WalkerTests.migrate, ["done"], answers: [.result(.fail("exit status 1"))]), .checkFailed)
        XCTAssertEqual(sink.events, [.checkFailed(step: "migrate", reason: "exit status 1")])
    }

    // MARK: Hints that work

    func testA401FromACheckThatSendsASecretSaysSetName() throws {
        let refused = FakeChecks.Answer.response(Observed(status: 401, body: "unauthorized"))
        XCTAssertEqual(try walk(Self.formatless, ["done", "nyc3", "check", "quit"], interactive: true, answers: [refused],
                                environment: ["ADMIN_TOKEN": "t0ken"]), .paused)
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 2 · 0 done, 2 left on this path
            WHERE: PowerShell on your laptop
            Open PowerShell

            Expect: a prompt.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            PowerShell on your laptop · step 1> ✔ Done: Open PowerShell

            \(Self.rule)
            Step 2 of 2 · 1 done, 1 left on this path
            WHERE: PowerShell on your laptop
            Call the stub

            ```sh
            echo {{REGION}}
            ```

            Check: http GET https://intelliwatt.test/x: status 501

            This step needs REGION: the droplet region.
            PowerShell on your laptop · step 2 · REGION> 
            With your values:
            ```sh
            echo nyc3
            ```

            Type done when the step is done, or: skip REASON, back, note TEXT, check, set NAME, quit, help.
            PowerShell on your laptop · step 2> Checking: GET https://intelliwatt.test/x …
            ✘ Check failed: expected status 501, got 401
            401 means the server refused the credentials: set ADMIN_TOKEN to enter it again, then check.
            Fix it and type done (or check) to retry, or skip REASON.
            PowerShell on your laptop · step 2> 
            Paused at step 2 (Call the stub); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testSetNameIsOfferedOnlyWhereTheStepHasVariables() throws {
        XCTAssertEqual(try walk(Self.formatless, ["done", "nyc3", "quit"], environment: ["ADMIN_TOKEN": "t0ken"]), .paused)
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 2 · 0 done, 2 left on this path
            WHERE: PowerShell on your laptop
            Open PowerShell

            Expect: a prompt.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            PowerShell on your laptop · step 1> done
            ✔ Done: Open PowerShell

            \(Self.rule)
            Step 2 of 2 · 1 done, 1 left on this path
            WHERE: PowerShell on your laptop
            Call the stub

            ```sh
            echo {{REGION}}
            ```

            Check: http GET https://intelliwatt.test/x: status 501

            This step needs REGION: the droplet region.
            PowerShell on your laptop · step 2 · REGION> nyc3

            With your values:
            ```sh
            echo nyc3
            ```

            Type done when the step is done, or: skip REASON, back, note TEXT, check, set NAME, quit, help.
            PowerShell on your laptop · step 2> quit

            Paused at step 2 (Call the stub); progress is saved. Resume with: runbook resume r1

            """)
    }

    // MARK: Secrets typed before the walk knows them

    func testANoteAfterAResumeWhileASecretIsUnknownAsksItFirstAndNeverStoresIt() throws {
        XCTAssertEqual(try walk(Self.formatless, ["note token was hunter2-real", "hunter2-real", "quit"],
                                after: [.runPaused(reason: .quit), .runResumed(runbookDigest: Self.formatless.digest, steps: RunStart(run: "r1", runbook: Self.formatless).steps, secrets: ["ADMIN_TOKEN"])]), .paused)
        XCTAssertEqual(sink.events, [.noteAdded(step: "open", text: "token was ••••"), .runPaused(reason: .quit)])
        XCTAssertEqual(console.secretReads, 1)
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 2 · 0 done, 2 left on this path
            WHERE: PowerShell on your laptop
            Open PowerShell

            Expect: a prompt.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            PowerShell on your laptop · step 1> note token was hunter2-real
            Before anything you type is kept, this walk must know ADMIN_TOKEN, so that it can never be stored in clear.

            Masking needs ADMIN_TOKEN: the admin token. It is typed without echo and kept in memory only.
            PowerShell on your laptop · step 1 · ADMIN_TOKEN> 
            Note kept on this step.
            PowerShell on your laptop · step 1> quit

            Paused at step 1 (Open PowerShell); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testCtrlCAtTheSecretAskedFirstKeepsNothing() throws {
        XCTAssertEqual(try walk(Self.formatless, ["skip token hunter2-real is expired", .interrupted, "quit"]), .paused)
        XCTAssertEqual(sink.events, [.runPaused(reason: .quit)])
        XCTAssertFalse(sink.dump.contains("hunter2"))
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 2 · 0 done, 2 left on this path
            WHERE: PowerShell on your laptop
            Open PowerShell

            Expect: a prompt.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            PowerShell on your laptop · step 1> skip token hunter2-real is expired
            Before anything you type is kept, this walk must know ADMIN_TOKEN, so that it can never be stored in clear.

            Masking needs ADMIN_TOKEN: the admin token. It is typed without echo and kept in memory only.
            PowerShell on your laptop · step 1 · ADMIN_TOKEN> 
            Question stopped (Ctrl-C); ADMIN_TOKEN was not set. Back at the step.
            PowerShell on your laptop · step 1> quit

            Paused at step 1 (Open PowerShell); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testANonSecretAnswerEqualToAKnownSecretIsRefused() throws {
        XCTAssertEqual(try walk(Self.formatless, ["done", "t0ken-value", "nyc3", "set REGION", "t0ken-value", "ams3", "quit"],
                                environment: ["ADMIN_TOKEN": "t0ken-value"]), .paused)
        XCTAssertEqual(sink.events, [
            .stepCompleted(step: "open"), .variableRecorded(name: "REGION", value: "nyc3"),
            .variableRecorded(name: "REGION", value: "ams3"), .runPaused(reason: .quit),
        ])
        XCTAssertFalse(console.everything.contains("t0ken-value"))
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 2 · 0 done, 2 left on this path
            WHERE: PowerShell on your laptop
            Open PowerShell

            Expect: a prompt.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            PowerShell on your laptop · step 1> done
            ✔ Done: Open PowerShell

            \(Self.rule)
            Step 2 of 2 · 1 done, 1 left on this path
            WHERE: PowerShell on your laptop
            Call the stub

            ```sh
            echo {{REGION}}
            ```

            Check: http GET https://intelliwatt.test/x: status 501

            This step needs REGION: the droplet region.
            PowerShell on your laptop · step 2 · REGION> ••••
            That is not a value for REGION: it is the value of the secret ADMIN_TOKEN, which is never recorded. Type it again.
            PowerShell on your laptop · step 2 · REGION> nyc3

            With your values:
            ```sh
            echo nyc3
            ```

            Type done when the step is done, or: skip REASON, back, note TEXT, check, set NAME, quit, help.
            PowerShell on your laptop · step 2> set REGION
            Enter REGION again (the droplet region).
            PowerShell on your laptop · step 2 · REGION> ••••
            That is not a value for REGION: it is the value of the secret ADMIN_TOKEN, which is never recorded. Type it again.
            PowerShell on your laptop · step 2 · REGION> ams3
            REGION = ams3, recorded in the run.
            ```sh
            echo ams3
            ```
            PowerShell on your laptop · step 2> quit

            Paused at step 2 (Call the stub); progress is saved. Resume with: runbook resume r1

            """)
    }

    // MARK: Ctrl-C stops only what it interrupts

    func testCtrlCDuringAQuestionReturnsToThePrompt() throws {
        XCTAssertEqual(try walk(WalkerTests.region, [.interrupted, "quit"]), .paused)
        XCTAssertEqual(sink.events, [.runPaused(reason: .quit)])
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
            droplet smt-proxy · step 1 · REGION> 
            Question stopped (Ctrl-C); REGION was not set. Back at the step.
            droplet smt-proxy · step 1> quit

            Paused at step 1 (Show the region); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testCtrlCDuringAPasteReturnsToThePrompt() throws {
        XCTAssertEqual(try walk(WalkerTests.paste, ["done", #"{"ok": true,"#, .interrupted, "quit"]), .paused)
        XCTAssertEqual(sink.events, [.runPaused(reason: .quit)])
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 1 · 0 done, 1 left on this path
            WHERE: droplet smt-proxy
            Look at the token file

            ```sh
            cat /etc/smt/token.json
            ```

            Expect: JSON with ok true.

            Check: paste what you saw: body contains ok, json ok == true

            Type done when the step is done, or: skip REASON, back, note TEXT, check, quit, help.
            droplet smt-proxy · step 1> done
            Paste what you saw (the whole selection is fine), then a line with only: end

            Paste stopped (Ctrl-C); nothing was checked. Back at the step.
            droplet smt-proxy · step 1> quit

            Paused at step 1 (Look at the token file); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testCtrlCDuringACheckReturnsToThePrompt() throws {
        XCTAssertEqual(try walk(WalkerTests.migrate, ["done", .interrupted, "check", .interrupted, "quit"]), .paused)
        XCTAssertEqual(sink.events, [.runPaused(reason: .quit)])
        XCTAssertEqual(checks.callCount, 0)
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
            droplet smt-proxy · step 1> done
            Checking: running the sh check …

            Check stopped (Ctrl-C); nothing was recorded. Back at the step: done or check runs it again.
            droplet smt-proxy · step 1> check
            Checking: running the sh check …

            Check stopped (Ctrl-C); nothing was recorded. Back at the step: done or check runs it again.
            droplet smt-proxy · step 1> quit

            Paused at step 1 (Run the migration); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testCtrlCAtAChoiceReturnsToThePrompt() throws {
        XCTAssertEqual(try walk(WalkerTests.tree, ["done", .interrupted, "quit"]), .paused)
        XCTAssertEqual(sink.events, [.runPaused(reason: .quit)])
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
            droplet · step 1 · choice> 
            Choice stopped (Ctrl-C); nothing was chosen. Back at the step.
            droplet · step 1> quit

            Paused at step 1 (Read the answer); progress is saved. Resume with: runbook resume r1

            """)
    }
}
