import Foundation
import XCTest

/// A walk that never strands its operator, through the built binary: from a pipe here, on a terminal in
/// `NeverStrandedTerminalTests`.
final class NeverStrandedTests: XCTestCase {
    private var servers: [LocalHTTPServer] = []

    override func tearDown() {
        for server in servers { server.stop() }
        servers = []
        super.tearDown()
    }

    static let token = HTTPCheckTests.adminToken
    static let wrongToken = String(HTTPCheckTests.adminToken.reversed())

    /// The admin stub, answering 501 only to the right token (401 otherwise).
    func stub() throws -> LocalHTTPServer {
        let server = try LocalHTTPServer(routes: [
            HTTPCheckTests.path: LocalHTTPServer.Response.json(501, HTTPCheckTests.stubBody).requiring("x-admin-token", Self.token),
        ])
        servers.append(server)
        return server
    }

    /// A laptop step, then a droplet step that needs the region, then the admin stub with a secret of a declared format.
    static let runbook = """
    # Stranding

    Checks every question a walk may ask.

    ## Variables
    - `BASE_URL`: IntelliWatt's base URL. Default: `http://127.0.0.1:9` Format: URL
    - `REGION`: the droplet region, from the DigitalOcean UI. Format: `[a-z]{3}[0-9]`
    - `ADMIN_TOKEN` (secret): the admin token, from the Vercel UI. Format: 64 characters

    ## Open PowerShell {#open}
    Where: PowerShell on your laptop

    Open a window.

    Expect: a `PS>` prompt.

    ## Look at the region {#region}
    Where: droplet intelliwatt-smt-proxy

    ```bash
    echo {{REGION}}
    ```

    Expect: the region.

    ## Check the admin stub {#stub}
    Where: PowerShell on your laptop

    ```powershell
    Invoke-RestMethod '{{BASE_URL}}/api/admin/smt/token' -Headers @{ 'x-admin-token' = '{{ADMIN_TOKEN}}' }
    ```

    Expect: 501.

    ```http check
    GET {{BASE_URL}}/api/admin/smt/token
    x-admin-token: {{ADMIN_TOKEN}}

    expect status 501
    expect body contains "whitelisted"
    expect json instructions.dropletHost == "intelliwatt-smt-proxy"
    ```

    """

    /// The prompt at step `number` of the stranding runbook.
    static func prompt(_ number: Int) -> String {
        Prompt.step(number, number == 2 ? "droplet intelliwatt-smt-proxy" : "PowerShell on your laptop")
    }

    /// A question at step `number` of the stranding runbook.
    static func question(_ number: Int, _ name: String) -> String {
        Prompt.question(number, number == 2 ? "droplet intelliwatt-smt-proxy" : "PowerShell on your laptop", name)
    }

    func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.write("stranding.md", Self.runbook)
        return sandbox
    }

    /// The positions of `parts` in `text`, which must all be there, in this order.
    func assertInOrder(_ text: String, _ parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        var rest = text[...]
        for part in parts {
            guard let range = rest.range(of: part) else {
                return XCTFail("`\(part)` missing, or out of order, in:\n\(text)", file: file, line: line)
            }
            rest = rest[range.upperBound...]
        }
    }

    /// What a walk left anywhere: its output, the log, the lock, the reports.
    func everything(_ sandbox: Sandbox, run: String, _ outcome: Outcome) throws -> String {
        var text = outcome.all + sandbox.text(sandbox.log(run))
        text += sandbox.text(sandbox.state.appendingPathComponent("runs/\(run).lock"))
        for arguments in [["report", run], ["report", run, "--format", "json"], ["status", run, "--json"]] {
            text += try sandbox.run(arguments).all
        }
        return text
    }

    // MARK: - Questions

    func testAQuestionComesOnItsStepsScreenAndAnEmptyValueIsAskedAgain() throws {
        let sandbox = try sandbox()
        let result = try sandbox.run(["start", "stranding", "--run", "q1"], input: "done\n\n   \nnyc3\nquit\n")
        XCTAssertEqual(result.status, 3, result.all)
        // The question at step 2, after the step's text; the empty answers asked again; the command with the value.
        assertSameText(result.stdout, """
        Run q1: Stranding, 3 steps.
        How this works: one step at a time. Each step says WHERE to run it, first; when the place changes, the screen says Switch to before anything else.
        Do the step, compare with its Expect, then type done: nothing moves on until you do. The prompt names the place and the step. Type help for the other words.

        Checks every question a walk may ask.

        ────────────────────────────────────────────────────────────
        Step 1 of 3 · 0 done, 3 left on this path
        WHERE: PowerShell on your laptop
        Open PowerShell

        Open a window.

        Expect: a `PS>` prompt.

        Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
        PowerShell on your laptop · step 1> done
        ✔ Done: Open PowerShell

        ────────────────────────────────────────────────────────────
        >> Switch to: droplet intelliwatt-smt-proxy

        Step 2 of 3 · 1 done, 2 left on this path
        WHERE: droplet intelliwatt-smt-proxy
        Look at the region

        ```bash
        echo {{REGION}}
        ```

        Expect: the region.

        This step needs REGION: the droplet region, from the DigitalOcean UI.
        droplet intelliwatt-smt-proxy · step 2 · REGION>\u{20}
        REGION cannot be empty: type its value, or quit (progress is saved).
        droplet intelliwatt-smt-proxy · step 2 · REGION>\u{20}\u{20}\u{20}\u{20}
        REGION cannot be empty: type its value, or quit (progress is saved).
        droplet intelliwatt-smt-proxy · step 2 · REGION> nyc3

        With your values:
        ```bash
        echo nyc3
        ```

        Type done when the step is done, or: skip REASON, back, note TEXT, set NAME, quit, help.
        droplet intelliwatt-smt-proxy · step 2> quit

        Paused at step 2 (Look at the region); progress is saved. Resume with: runbook resume q1

        """)
        XCTAssertEqual(try sandbox.events("q1"), ["runStarted", "stepCompleted", "variableRecorded", "runPaused"])
    }

    func testAFormatIsCheckedOnEverySource() throws {
        let sandbox = try sandbox()
        // --var: a usage error, and the secret's value is never repeated.
        let given = try sandbox.run(["start", "stranding", "--var", "ADMIN_TOKEN=short-token"])
        XCTAssertEqual(given.status, 64)
        assertOneErrorLine(given, containing: ["--var ADMIN_TOKEN: it has 11 characters, not 64 characters", "Format: 64 characters"])
        XCTAssertFalse(given.all.contains("short-token"))
        let region = try sandbox.run(["start", "stranding", "--var", "REGION=NYC-3"])
        XCTAssertEqual(region.status, 64)
        assertOneErrorLine(region, containing: ["--var REGION: it does not match `[a-z]{3}[0-9]` (`NYC-3`)"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.state.appendingPathComponent("runs").path), "nothing was started")

        // The environment: set aside with a line, then asked; a typed value that does not fit is refused.
        let server = try stub()
        let walk = try sandbox.run(["start", "stranding", "--run", "f1", "--var", "BASE_URL=\(server.baseURL)"],
                                   input: "done\nams\nams3\ndone\n\(Self.token)\ndone\n",
                                   env: ["ADMIN_TOKEN": "env-token-too-short", "REGION": "Amsterdam"])
        XCTAssertEqual(walk.status, 0, walk.all)
        assertInOrder(walk.stdout, [
            "REGION from the environment (`Amsterdam`) does not fit: it does not match `[a-z]{3}[0-9]` (Format: `[a-z]{3}[0-9]`); not used.",
            "This step needs REGION: the droplet region, from the DigitalOcean UI.\n",
            Self.question(2, "REGION") + "ams\n",
            "That is not a value for REGION: it does not match `[a-z]{3}[0-9]` (Format: `[a-z]{3}[0-9]`). Type it again.\n",
            Self.question(2, "REGION") + "ams3\n", Self.prompt(2) + "done\n",
            "ADMIN_TOKEN from the environment does not fit: it has 19 characters, not 64 characters (Format: 64 characters); not used.\n",
            "This step's check needs ADMIN_TOKEN: the admin token, from the Vercel UI. It is typed without echo and kept in memory only.\n",
            Self.question(3, "ADMIN_TOKEN") + "\n", Self.prompt(3) + "done\n", "✔ Check passed",
        ])
        XCTAssertEqual(server.requests.map { $0.headers["x-admin-token"] }, [Self.token])
        XCTAssertFalse(try everything(sandbox, run: "f1", walk).contains(Self.token))
        XCTAssertFalse(try everything(sandbox, run: "f1", walk).contains("env-token-too-short"))
    }

    func testDoneTypedAtASecretQuestionIsRefusedNeverUsed() throws {
        let server = try stub()
        let sandbox = try sandbox()
        let walk = try sandbox.run(["start", "stranding", "--run", "d1", "--var", "BASE_URL=\(server.baseURL)", "--var", "REGION=nyc3"],
                                   input: "done\ndone\ndone\nskip\n\(Self.token)\ndone\n")
        XCTAssertEqual(walk.status, 0, walk.all)
        XCTAssertEqual(walk.stdout.count(of: "is a prompt word, not a value for ADMIN_TOKEN: nothing was kept."), 2, walk.stdout)
        XCTAssertTrue(walk.stdout.contains("`done` is a prompt word, not a value for ADMIN_TOKEN"), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("`skip` is a prompt word, not a value for ADMIN_TOKEN"), walk.stdout)
        XCTAssertEqual(server.requests.map { $0.headers["x-admin-token"] }, [Self.token], "only the real token was ever sent")
    }

    func testSetEntersAWrongTokenAgainBeforeTheCheck() throws {
        let server = try stub()
        let sandbox = try sandbox()
        let walk = try sandbox.run(["start", "stranding", "--run", "s1", "--var", "BASE_URL=\(server.baseURL)", "--var", "REGION=nyc3"],
                                   input: "done\ndone\n\(Self.wrongToken)\nset ADMIN_TOKEN\n\(Self.token)\ndone\n")
        XCTAssertEqual(walk.status, 0, walk.all)
        assertInOrder(walk.stdout, [
            Self.question(3, "ADMIN_TOKEN") + "\n",
            Self.prompt(3) + "set ADMIN_TOKEN\n"
                + "Enter ADMIN_TOKEN again (the admin token, from the Vercel UI); typed without echo, kept in memory only.\n"
                + Self.question(3, "ADMIN_TOKEN") + "\n"
                + "ADMIN_TOKEN is set for this walk (never shown or stored). Type check or done to run the check with it.\n"
                + Self.prompt(3) + "done\n",
            "✔ Check passed",
        ])
        XCTAssertEqual(server.requests.map { $0.headers["x-admin-token"] }, [Self.token])
        let all = try everything(sandbox, run: "s1", walk)
        XCTAssertFalse(all.contains(Self.token))
        XCTAssertFalse(all.contains(Self.wrongToken))
    }

    func testAWrongTokenFailsWithWhatCameInsteadAndResumeFixesIt() throws {
        let server = try stub()
        let sandbox = try sandbox()
        let first = try sandbox.run(["start", "stranding", "--run", "w1", "--var", "REGION=nyc3", "--var", "BASE_URL=\(server.baseURL)"],
                                    input: "done\ndone\n\(Self.wrongToken)\ndone\n")
        XCTAssertEqual(first.status, 1, first.all)
        XCTAssertTrue(first.stdout.contains("✘ Check failed: expected status 501, got 401"), first.stdout)
        // Without a terminal the walk stops; resume asks for the secret again (it was never stored).
        let second = try sandbox.run(["resume", "w1"], input: "\(Self.token)\ndone\n")
        XCTAssertEqual(second.status, 0, second.all)
        XCTAssertTrue(second.stdout.contains("✔ Check passed"), second.stdout)
        let failures = try sandbox.loggedEvents("w1").filter { $0["event"] as? String == "checkFailed" }
        XCTAssertEqual(failures.map { $0["reason"] as? String }, ["expected status 501, got 401"])
    }

    func testAStringThatCameInsteadIsShownButNeverStored() throws {
        let body = HTTPCheckTests.stubBody.replacingOccurrences(of: #""dropletHost":"intelliwatt-smt-proxy""#,
                                                                with: #""dropletHost":"vercel-lambda-7""#)
        let server = try LocalHTTPServer(routes: [HTTPCheckTests.path: .json(501, body)])
        servers.append(server)
        let sandbox = try sandbox()
        let walk = try sandbox.run(["start", "stranding", "--run", "x1", "--var", "REGION=nyc3", "--var", "BASE_URL=\(server.baseURL)"],
                                   input: "done\ndone\ndone\n", env: ["ADMIN_TOKEN": Self.token])
        XCTAssertEqual(walk.status, 1, walk.all)
        XCTAssertTrue(walk.stdout.contains(#"✘ Check failed: expected instructions.dropletHost == "intelliwatt-smt-proxy", got "vercel-lambda-7""#),
                      walk.stdout)
        let stored = sandbox.text(sandbox.log("x1")) + (try sandbox.run(["report", "x1"]).stdout)
        XCTAssertTrue(stored.contains(#"expected instructions.dropletHost == \"intelliwatt-smt-proxy\", got a string (shown on screen only)"#)
                      || stored.contains(#"expected instructions.dropletHost == "intelliwatt-smt-proxy", got a string (shown on screen only)"#), stored)
        XCTAssertFalse(stored.contains("vercel-lambda-7"))
    }

    func testQuotedBodyTextIsTheTextInsideTheQuotes() throws {
        // The stub's message says "whitelisted" without quotes around it: the quoted expectation passes.
        let server = try LocalHTTPServer(routes: [HTTPCheckTests.path: .json(501, HTTPCheckTests.stubBody)])
        servers.append(server)
        let sandbox = try sandbox()
        let walk = try sandbox.run(["start", "stranding", "--run", "b1", "--var", "REGION=nyc3", "--var", "BASE_URL=\(server.baseURL)"],
                                   input: "done\ndone\ndone\n", env: ["ADMIN_TOKEN": Self.token])
        XCTAssertEqual(walk.status, 0, walk.all)
        XCTAssertTrue(walk.stdout.contains("✔ Check passed (passed: status 501, body contains whitelisted, json instructions.dropletHost"), walk.stdout)
    }

    func testResumeTakesVarAndCheckTimeout() throws {
        let server = try stub()
        let sandbox = try sandbox()
        let closed = try LocalHTTPServer.closedPort()
        let first = try sandbox.run(["start", "stranding", "--run", "m1", "--var", "REGION=nyc3", "--var", "BASE_URL=http://127.0.0.1:\(closed)"],
                                    input: "done\ndone\ndone\n", env: ["ADMIN_TOKEN": Self.token])
        XCTAssertEqual(first.status, 1, first.all)
        XCTAssertTrue(first.stdout.contains("connection refused"), first.stdout)
        // Another machine, another base URL: resume takes it, records it, and the check goes there.
        let bad = try sandbox.run(["resume", "m1", "--var", "BASE_URL=127.0.0.1"])
        XCTAssertEqual(bad.status, 64, bad.all)
        let second = try sandbox.run(["resume", "m1", "--var", "BASE_URL=\(server.baseURL)", "--check-timeout", "3"],
                                     input: "done\n", env: ["ADMIN_TOKEN": Self.token])
        XCTAssertEqual(second.status, 0, second.all)
        XCTAssertEqual(server.requests.count, 1)
        let recorded = try sandbox.loggedEvents("m1").filter { $0["event"] as? String == "variableRecorded" && $0["name"] as? String == "BASE_URL" }
        XCTAssertEqual(recorded.map { $0["value"] as? String }, ["http://127.0.0.1:\(closed)", server.baseURL])
    }

    // MARK: - The screen

    func testAOneCharacterSecretNeverCorruptsTheRunbooksText() throws {
        let sandbox = try Sandbox()
        try sandbox.write("one.md", """
        # One character

        A secret of one character.

        ## Variables
        - `TOKEN` (secret): a token.

        ## Fix the stub {#fix}
        Where: bash on your laptop

        Fix it, then type done.

        Expect: fixed.

        ```sh check
        test -n "$TOKEN"
        ```

        """)
        let walk = try sandbox.run(["start", "one", "--run", "o1"], input: "note fixed it\ndone\n", env: ["TOKEN": "f"])
        XCTAssertEqual(walk.status, 0, walk.all)
        // Only what the operator typed is masked: the runbook's text and the program's words stay whole.
        assertSameText(walk.stdout.normalisingElapsed, """
        Run o1: One character, 1 step.
        How this works: one step at a time. Each step says WHERE to run it, first; when the place changes, the screen says Switch to before anything else.
        Do the step, compare with its Expect, then type done: nothing moves on until you do. The prompt names the place and the step. Type help for the other words.

        A secret of one character.

        ────────────────────────────────────────────────────────────
        Step 1 of 1 · 0 done, 1 left on this path
        WHERE: bash on your laptop
        Fix the stub

        Fix it, then type done.

        Expect: fixed.

        Check: sh `test -n "$TOKEN"`: exit status 0

        Type done when the step is done, or: skip REASON, back, note TEXT, check, set NAME, quit, help.
        bash on your laptop · step 1> note ••••ixed it
        Note kept on this step.
        bash on your laptop · step 1> done
        Checking: running the sh check …
        ✔ Check passed (passed: sh exited 0)
        ✔ Done: Fix the stub

        Run o1 complete: 1 done, 0 skipped, 0 s elapsed.
        Report: runbook report o1

        """)
    }

    func testBackAcrossPlacesSaysWhereToSwitchEachTime() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let walk = try sandbox.run(["start", "three", "--run", "b1"], input: "done\nback\ndone\nquit\n")
        XCTAssertEqual(walk.status, 3, walk.all)
        assertSameText(walk.stdout, """
        Run b1: Three steps, 3 steps.
        How this works: one step at a time. Each step says WHERE to run it, first; when the place changes, the screen says Switch to before anything else.
        Do the step, compare with its Expect, then type done: nothing moves on until you do. The prompt names the place and the step. Type help for the other words.

        A test runbook with three steps.

        Guardrails: never do these.
          - /oauth/token: decommissioned.

        ────────────────────────────────────────────────────────────
        Step 1 of 3 · 0 done, 3 left on this path
        WHERE: PowerShell on your laptop
        First

        ```powershell
        echo http://127.0.0.1:9
        ```

        Expect: it prints the URL.

        Type done when the step is done, or: skip REASON, back, note TEXT, set NAME, quit, help.
        PowerShell on your laptop · step 1> done
        ✔ Done: First

        ────────────────────────────────────────────────────────────
        >> Switch to: droplet intelliwatt-smt-proxy

        Step 2 of 3 · 1 done, 2 left on this path
        WHERE: droplet intelliwatt-smt-proxy
        Second

        ```bash
        echo two
        ```

        Expect: `two`.

        Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
        droplet intelliwatt-smt-proxy · step 2> back
        ↶ Back to step 1: First

        ────────────────────────────────────────────────────────────
        >> Switch to: PowerShell on your laptop

        Step 1 of 3 · 0 done, 3 left on this path
        WHERE: PowerShell on your laptop
        First

        ```powershell
        echo http://127.0.0.1:9
        ```

        Expect: it prints the URL.

        Type done when the step is done, or: skip REASON, back, note TEXT, set NAME, quit, help.
        PowerShell on your laptop · step 1> done
        ✔ Done: First

        ────────────────────────────────────────────────────────────
        >> Switch to: droplet intelliwatt-smt-proxy

        Step 2 of 3 · 1 done, 2 left on this path
        WHERE: droplet intelliwatt-smt-proxy
        Second

        ```bash
        echo two
        ```

        Expect: `two`.

        Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
        droplet intelliwatt-smt-proxy · step 2> quit

        Paused at step 2 (Second); progress is saved. Resume with: runbook resume b1

        """)
    }

    func testStartNamesTheUnfinishedRunsThenStarts() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "inc-1"], input: "done\nquit\n").status, 3)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "inc-2"], input: "quit\n").status, 3)
        let third = try sandbox.run(["start", "three", "--run", "inc-3"], input: "quit\n")
        XCTAssertEqual(third.status, 3, third.all)
        XCTAssertEqual(third.outputLines.first,
                       "Note: three already has 2 unfinished runs: inc-2 (step 1 of 3), inc-1 (step 2 of 3); `runbook resume RUN` continues one. Starting a new run.")
        XCTAssertEqual(third.outputLines.dropFirst().first, "Run inc-3: Three steps, 3 steps.")
    }

    func testEveryShippedRunbookSaysTheHouseRulesOnce() throws {
        let sandbox = try Sandbox()
        for id in ["smt-jwt-status", "onboarding", "incident-smt-auth"] {
            let text = try String(contentsOf: Sandbox.shippedRunbooks.appendingPathComponent("\(id).md"), encoding: .utf8)
            try sandbox.write("\(id).md", text)
            let walk = try sandbox.run(["start", id, "--run", "h-\(id)"], input: "quit\n")
            XCTAssertEqual(walk.status, 3, walk.all)
            XCTAssertEqual(walk.stdout.count(of: "How this works: one step at a time. Each step says WHERE to run it"), 1, walk.stdout)
            XCTAssertEqual(walk.stdout.count(of: "then type done: nothing moves on until you do"), 1, walk.stdout)
        }
    }
}

