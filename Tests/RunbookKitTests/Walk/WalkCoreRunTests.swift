import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// `run` (issue 16, SPEC 10) as whole transcripts of the walk core in memory: no process runs; the
/// driver's part (running the command) is played by the test, which brings back how it ended.
final class WalkCoreRunTests: XCTestCase {
    static let runbook = RunbookParser.parse(source: """
        # Token test

        ## Variables
        - `BASE_URL`: the base URL. Default: `https://intelliwatt.test`
        - `ADMIN_TOKEN` (secret): the admin token.

        ## Run the SMT token test {#token-test}
        Where: droplet intelliwatt-smt-proxy (SSH session as deploy)
        Via: ssh deploy@intelliwatt-smt-proxy

        ```bash run
        /home/deploy/smt_token_test.sh {{BASE_URL}}
        ```

        Expect: JSON with "ok": true.

        ```paste check
        expect json ok == true
        ```

        ## Call the stub {#stub}
        Where: PowerShell on your laptop

        ```sh run
        curl -s -H "x-admin-token: {{ADMIN_TOKEN}}" {{BASE_URL}}/x
        ```

        Expect: 501.
        """, id: "token", path: "runbooks/token.md")

    /// The walk core, and what a driver would have shown and appended so far.
    struct Driver {
        var core: WalkCore
        var transcript = ""
        var events: [RunEvent] = []
        var renderer = Renderer(style: Style(enabled: false))

        init(interactive: Bool, environment: [String: String] = [:]) throws {
            let start = WalkerTests.person.record(.runStarted(RunStart(run: "r1", runbook: WalkCoreRunTests.runbook)))
            core = WalkCore(runbook: WalkCoreRunTests.runbook, state: try RunState(starting: start), person: WalkerTests.person,
                            interactive: interactive, environment: environment)
        }

        /// Sends one input; a typed line is echoed into the transcript as a pipe's walk shows it.
        @discardableResult
        mutating func send(_ input: WalkCore.Input) -> WalkCore.Request {
            if case .line(let line) = input { transcript += line + "\n" }
            let output = core.handle(input)
            events += output.records.map(\.entry.event)
            for secret in core.secretValues { renderer.add(secret: secret) }
            if !output.screen.isEmpty { transcript += renderer.lines(output.screen) }
            switch output.request {
            case .prompt(let label), .answer(let label, _): transcript += renderer.line(label)
            default: break
            }
            return output.request
        }

        /// The prompt or question a request shows, as rendered.
        func label(_ request: WalkCore.Request) -> String {
            switch request {
            case .prompt(let label), .answer(let label, _): renderer.line(label)
            default: "\(request)"
            }
        }

        /// Sends lines until the step's screen is past; only the transcript from `run` on is compared.
        mutating func resetTranscript() { transcript = "" }
    }

    static let okOutput = "Token test on intelliwatt-smt-proxy\n{\"ok\": true, \"expiresIn\": 3600}\n"

    func testRunOverSSHShowsTheExactCommandAndItsOutputPassesThePasteCheckWithNoPaste() throws {
        var walk = try Driver(interactive: true)
        walk.send(.begin)
        walk.resetTranscript()
        let request = walk.send(.line("run"))
        XCTAssertEqual(request, .run(RunCall(program: "ssh", arguments: [
            "-t", "deploy@intelliwatt-smt-proxy", "export BASE_URL=https://intelliwatt.test; /home/deploy/smt_token_test.sh ${BASE_URL}",
        ], environment: [:], secrets: [])))
        walk.send(.ran(RunOutcome(status: 0, seconds: 3.2, output: Self.okOutput, cut: false, streamed: false)))
        walk.send(.line("done"))
        let expected = """
            run

            Running on deploy@intelliwatt-smt-proxy over ssh, with a terminal (Ctrl-C stops it):
              ssh -t deploy@intelliwatt-smt-proxy 'export BASE_URL=https://intelliwatt.test; /home/deploy/smt_token_test.sh ${BASE_URL}'

            Token test on intelliwatt-smt-proxy
            {"ok": true, "expiresIn": 3600}

            The command ended: exit status 0, after 3 s.
            Checking the output of run (no paste needed) …
            ✔ Check passed (passed: json ok == true)

            Type run and runbook runs the command on deploy@intelliwatt-smt-proxy over ssh for you, or do it by hand. Type done when the step is done, or: skip REASON, back, note TEXT, check, set NAME, quit, help.
            droplet intelliwatt-smt-proxy · step 1> done
            Checking the output of run (no paste needed) …
            ✔ Check passed (passed: json ok == true)
            ✔ Done: Run the SMT token test

            """
        assertTranscript(String(walk.transcript.prefix(expected.count)), expected)
        XCTAssertEqual(walk.events, [
            .variableRecorded(name: "BASE_URL", value: "https://intelliwatt.test"),
            .commandRan(step: "token-test", status: 0, seconds: 3, via: "deploy@intelliwatt-smt-proxy"),
            .checkPassed(step: "token-test"),
            .checkPassed(step: "token-test"),
            .stepCompleted(step: "token-test"),
        ])
    }

    func testAFailingCommandShowsItsExitStatusAndTheCheckFails() throws {
        var walk = try Driver(interactive: true)
        walk.send(.begin)
        walk.send(.line("run"))
        walk.resetTranscript()
        let request = walk.send(.ran(RunOutcome(status: 255, seconds: 12, output: "ssh: connect to host intelliwatt-smt-proxy port 22: Connection refused\n",
                                                cut: false, streamed: true)))
        assertTranscript(walk.transcript, """
            \nThe command ended: exit status 255, after 12 s.
            Exit status 255 is ssh's own: it did not reach deploy@intelliwatt-smt-proxy (see its message above); the command did not run there.
            Checking the output of run (no paste needed) …
            ✘ Check failed: expected JSON with ok == true, but the pasted text holds no JSON
            Fix it and type run to run it again, or skip REASON.
            droplet intelliwatt-smt-proxy · step 1> 
            """)
        XCTAssertEqual(walk.label(request), "droplet intelliwatt-smt-proxy · step 1> ")
        XCTAssertEqual(walk.events.suffix(2), [
            .commandRan(step: "token-test", status: 255, seconds: 12, via: "deploy@intelliwatt-smt-proxy"),
            .checkFailed(step: "token-test", reason: "expected JSON with ok == true, but the pasted text holds no JSON"),
        ])
    }

    func testWithoutATerminalAFailedCheckAfterRunStopsTheWalk() throws {
        var walk = try Driver(interactive: false)
        walk.send(.begin)
        walk.send(.line("run"))
        XCTAssertEqual(walk.send(.ran(RunOutcome(status: 1, seconds: 0, output: "{\"ok\": false}\n", cut: false, streamed: false))),
                       .finish(.checkFailed))
    }

    func testDoneWithoutRunAsksForThePasteAsBefore() throws {
        var walk = try Driver(interactive: true)
        walk.send(.begin)
        walk.resetTranscript()
        XCTAssertEqual(walk.send(.line("done")), .pasteLine)
        walk.send(.line("{\"ok\": true}"))
        walk.send(.line("end"))
        XCTAssertTrue(walk.transcript.hasPrefix("done\nPaste what you saw (the whole selection is fine), then a line with only: end\n"), walk.transcript)
        XCTAssertEqual(walk.events.suffix(2), [.checkPassed(step: "token-test"), .stepCompleted(step: "token-test")])
        XCTAssertFalse(walk.events.contains { $0.kind == .commandRan })
    }

    func testALocalRunAsksItsSecretFirstAndPassesItOnlyThroughTheEnvironment() throws {
        var walk = try Driver(interactive: true)
        walk.send(.begin)
        walk.send(.line("done"))
        walk.send(.line("{\"ok\": true}"))
        walk.send(.line("end"))
        walk.resetTranscript()
        XCTAssertEqual(walk.label(walk.send(.line("run"))), "PowerShell on your laptop · step 2 · ADMIN_TOKEN> ")
        let request = walk.send(.line("t0ken-s3cret-value"))
        XCTAssertEqual(request, .run(RunCall(program: "/bin/sh", arguments: ["-c", "curl -s -H \"x-admin-token: ${ADMIN_TOKEN}\" ${BASE_URL}/x"],
                                             environment: ["ADMIN_TOKEN": "t0ken-s3cret-value", "BASE_URL": "https://intelliwatt.test"],
                                             secrets: ["t0ken-s3cret-value"])))
        walk.send(.ran(RunOutcome(status: 0, seconds: 1, output: "echoed t0ken-s3cret-value\n", cut: true, streamed: false)))
        assertTranscript(walk.transcript, """
            run

            The command needs ADMIN_TOKEN: the admin token. It is typed without echo and kept in memory only.
            PowerShell on your laptop · step 2 · ADMIN_TOKEN> t0ken-s3cret-value

            Running on this machine under /bin/sh -c (Ctrl-C stops it):
              curl -s -H "x-admin-token: ${ADMIN_TOKEN}" ${BASE_URL}/x
            Its environment holds ADMIN_TOKEN, BASE_URL.

            echoed ••••

            The command ended: exit status 0, after 1 s.
            It printed more than 1 MiB: only the first MiB was kept for the check.

            Type run and runbook runs the command on this machine for you, or do it by hand. Type done when the step is done, or: skip REASON, back, note TEXT, set NAME, quit, help.
            PowerShell on your laptop · step 2> 
            """)
        XCTAssertFalse(String(describing: walk.events).contains("t0ken"), "\(walk.events)")
        XCTAssertEqual(walk.events.last, .commandRan(step: "stub", status: 0, seconds: 1, via: nil))
    }

    func testCtrlCDuringRunReturnsToTheStep() throws {
        var walk = try Driver(interactive: true)
        walk.send(.begin)
        walk.send(.line("run"))
        walk.resetTranscript()
        walk.send(.ran(RunOutcome(status: 143, seconds: 2, output: "partial", cut: false, streamed: true, stopped: true)))
        assertTranscript(walk.transcript, """
            Command stopped (Ctrl-C) after 2 s; its output is not checked. Back at the step.
            droplet intelliwatt-smt-proxy · step 1> 
            """)
        XCTAssertEqual(walk.events.last, .commandRan(step: "token-test", status: 143, seconds: 2, via: "deploy@intelliwatt-smt-proxy"))
        // A stopped run's output is never checked: `done` asks for a paste.
        XCTAssertEqual(walk.send(.line("done")), .pasteLine)
    }

    func testRunOnAStepWithoutARunBlockRunsNothing() throws {
        let plain = RunbookParser.parse(source: "# P\n\n## Open it\nWhere: laptop\n\n```sh\nls\n```\n\nExpect: a list.\n", id: "p")
        let start = WalkerTests.person.record(.runStarted(RunStart(run: "r1", runbook: plain)))
        var core = WalkCore(runbook: plain, state: try RunState(starting: start), person: WalkerTests.person, interactive: true)
        _ = core.handle(.begin)
        let output = core.handle(.line("run"))
        XCTAssertEqual(Renderer(style: Style(enabled: false)).lines(output.screen),
                       "This step has no run block: runbook runs nothing here. Do the step by hand as shown, then type done.\n")
        XCTAssertEqual(output.records.count, 0)
    }

    func testASecretInARunBlockOverSSHIsRefusedByTheWalkToo() throws {
        let leaky = RunbookParser.parse(source: """
            # L

            ## Variables
            - `TOKEN` (secret): a token.

            ## Test
            Where: droplet
            Via: ssh deploy@droplet

            ```sh run
            ./test.sh {{TOKEN}}
            ```
            """, id: "l")
        let start = WalkerTests.person.record(.runStarted(RunStart(run: "r1", runbook: leaky)))
        var core = WalkCore(runbook: leaky, state: try RunState(starting: start), person: WalkerTests.person, interactive: true,
                            environment: ["TOKEN": "abcdefgh"])
        _ = core.handle(.begin)
        let output = core.handle(.line("run"))
        XCTAssertEqual(Renderer(style: Style(enabled: false)).lines(output.screen),
                       "This run block sends the secret TOKEN over ssh, which runbook never does (see runbook lint): do the step by hand.\n")
        guard case .prompt(let label) = output.request else { return XCTFail("\(output.request)") }
        XCTAssertEqual(Renderer(style: Style(enabled: false)).line(label), "droplet · step 1> ")
    }
}

/// The incident tree's shape: `run` on a decision step, the answer checked on the step `ok` leads to.
final class WalkCoreRunCarryTests: XCTestCase {
    static let tree = RunbookParser.parse(source: """
        # Tree

        ## Run the test {#token-test}
        Where: droplet
        Via: ssh deploy@droplet

        ```bash run
        ./test.sh
        ```

        Choose: what did it answer?
        - `ok`: 200 → #confirm
        - `bad`: anything else → #end

        ## Confirm the answer {#confirm}
        Where: droplet

        ```paste check
        expect json statusCode == 200
        ```
        """, id: "tree")

    func testTheOutputOfRunOnADecisionIsCheckedOnTheStepItLeadsToWithoutAPaste() throws {
        let start = WalkerTests.person.record(.runStarted(RunStart(run: "r1", runbook: Self.tree)))
        var core = WalkCore(runbook: Self.tree, state: try RunState(starting: start), person: WalkerTests.person, interactive: false)
        _ = core.handle(.begin)
        guard case .run = core.handle(.line("run")).request else { return XCTFail("no run") }
        _ = core.handle(.ran(RunOutcome(status: 0, seconds: 1, output: "{\"statusCode\": 200}\n", cut: false, streamed: true)))
        let confirm = core.handle(.line("ok"))
        XCTAssertTrue(Renderer(style: Style(enabled: false)).lines(confirm.screen)
            .contains("The output of run on the step before is kept for this step's check: type done, no paste needed.\n"))
        let done = core.handle(.line("done"))
        XCTAssertEqual(done.records.map(\.entry.event), [.checkPassed(step: "confirm"), .stepCompleted(step: "confirm"), .runCompleted])
        XCTAssertEqual(done.request, .finish(.completed))
    }

    func testBackToTheRunStepDropsTheOutput() throws {
        let start = WalkerTests.person.record(.runStarted(RunStart(run: "r1", runbook: Self.tree)))
        var core = WalkCore(runbook: Self.tree, state: try RunState(starting: start), person: WalkerTests.person, interactive: false)
        _ = core.handle(.begin)
        _ = core.handle(.line("run"))
        _ = core.handle(.ran(RunOutcome(status: 0, seconds: 1, output: "{\"statusCode\": 200}\n", cut: false, streamed: true)))
        _ = core.handle(.line("ok"))
        _ = core.handle(.line("back"))
        _ = core.handle(.line("ok"))
        XCTAssertEqual(core.handle(.line("done")).request, .pasteLine)
    }
}
