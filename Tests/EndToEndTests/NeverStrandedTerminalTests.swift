import Foundation
import XCTest

/// A walk that never strands its operator, on a real terminal (tmux): a secret typed blind, a wrong
/// token fixed without leaving the run, inline code on a colour screen.
final class NeverStrandedTerminalTests: XCTestCase {
    private var server: LocalHTTPServer?

    override func setUpWithError() throws {
        guard TmuxSession.available else { throw XCTSkip("\(TmuxSession.tmux) is missing") }
    }

    override func tearDown() {
        server?.stop()
        super.tearDown()
    }

    func testDoneTypedAtTheSecretPromptIsRefusedAndSetFixesAWrongTokenWithoutLeavingTheRun() throws {
        let stub = try LocalHTTPServer(routes: [
            HTTPCheckTests.path: LocalHTTPServer.Response.json(501, HTTPCheckTests.stubBody).requiring("x-admin-token", NeverStrandedTests.token),
        ])
        server = stub
        let sandbox = try Sandbox()
        try sandbox.write("stranding.md", NeverStrandedTests.runbook)
        let run = "tty-\(UUID().uuidString.prefix(8).lowercased())"
        let session = try TmuxSession(command: sandbox.terminalCommand(
            ["start", "stranding", "--run", run, "--var", "REGION=nyc3", "--var", "BASE_URL=\(stub.baseURL)"]))
        defer { session.close() }

        XCTAssertTrue(session.wait(for: NeverStrandedTests.prompt(1)).ok, session.screen())
        session.type("done")
        XCTAssertTrue(session.wait(for: NeverStrandedTests.prompt(2)).ok, session.screen())
        session.type("done")
        // The secret's question comes on its step's screen, after the step's text.
        let question = NeverStrandedTests.question(3, "ADMIN_TOKEN")
        var seen = session.wait(for: question)
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("This step's check needs ADMIN_TOKEN: the admin token, from the Vercel UI."), seen.screen)
        XCTAssertLessThan(seen.screen.range(of: "Step 3 of 3")!.lowerBound, seen.screen.range(of: "This step's check needs")!.lowerBound)

        // Habit: `done` typed at the hidden prompt is refused, never used as the token.
        session.type("done")
        seen = session.wait(for: "`done` is a prompt word, not a value for ADMIN_TOKEN")
        XCTAssertTrue(seen.ok, seen.screen)
        session.type(NeverStrandedTests.wrongToken)
        XCTAssertTrue(session.wait(for: NeverStrandedTests.prompt(3)).ok, session.screen())
        session.type("done")
        // On a terminal a failed check waits on the step, saying what came instead and, for a 401, which secret to set.
        seen = session.wait { $0.contains("✘ Check failed: expected status 501, got 401") && $0.count(of: NeverStrandedTests.prompt(3)) >= 2 }
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("set ADMIN_TOKEN"), seen.screen)

        session.type("set ADMIN_TOKEN")
        XCTAssertTrue(session.wait(for: "Enter ADMIN_TOKEN again").ok, session.screen())
        session.type(NeverStrandedTests.token)
        XCTAssertTrue(session.wait(for: "ADMIN_TOKEN is set for this walk").ok, session.screen())
        session.type("check")
        XCTAssertTrue(session.wait(for: "✔ Check passed").ok, session.screen())
        session.type("done")
        XCTAssertEqual(session.exitStatus(), 0, session.screen())
        let screen = session.screen()
        XCTAssertTrue(screen.contains("Run \(run) complete: 3 done"), screen)
        XCTAssertFalse(screen.contains(NeverStrandedTests.token), "the token was shown")
        XCTAssertFalse(screen.contains(NeverStrandedTests.wrongToken), "the wrong token was shown")
        XCTAssertEqual(stub.requests.map { $0.headers["x-admin-token"] },
                       [NeverStrandedTests.wrongToken, NeverStrandedTests.token, NeverStrandedTests.token])
        let log = sandbox.text(sandbox.log(run))
        XCTAssertFalse(log.contains(NeverStrandedTests.token) || log.contains(NeverStrandedTests.wrongToken))
        XCTAssertEqual(try sandbox.run(["verify", run]).status, 0)
    }

    func testInlineCodeLosesItsBackticksOnAColourTerminal() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let session = try TmuxSession(command: sandbox.terminalCommand(["start", "three", "--run", "ink"]))
        defer { session.close() }
        XCTAssertTrue(session.wait(for: Prompt.three(1)).ok, session.screen())
        session.type("done")
        let seen = session.wait(for: Prompt.three(2))
        XCTAssertTrue(seen.ok, seen.screen)
        // `two` in the Expect line is highlighted instead of quoted; the code block keeps its fences.
        XCTAssertTrue(seen.screen.contains("Expect: two."), seen.screen)
        XCTAssertFalse(seen.screen.contains("`two`"), seen.screen)
        XCTAssertTrue(seen.screen.contains("```bash"), seen.screen)
        session.type("quit")
        XCTAssertEqual(session.exitStatus(), 3, session.screen())
        // Without colour the backticks stay.
        let piped = try sandbox.run(["resume", "ink"], input: "quit\n")
        XCTAssertTrue(piped.stdout.contains("Expect: `two`."), piped.stdout)
    }

    /// The shipped canonical runbook on a terminal: back across places, a whole terminal selection pasted, the admin stub.
    func testTheShippedRunbookWithBackAcrossPlacesAndAPastedSelection() throws {
        let stub = try LocalHTTPServer(routes: [
            HTTPCheckTests.path: LocalHTTPServer.Response.json(501, HTTPCheckTests.stubBody).requiring("x-admin-token", NeverStrandedTests.token),
        ])
        server = stub
        let sandbox = try Sandbox()
        let text = try String(contentsOf: Sandbox.shippedRunbooks.appendingPathComponent("smt-jwt-status.md"), encoding: .utf8)
        try sandbox.write("smt-jwt-status.md", text)
        let run = "tty-\(UUID().uuidString.prefix(8).lowercased())"
        let session = try TmuxSession(command: sandbox.terminalCommand(
            ["start", "smt-jwt-status", "--run", run, "--var", "BASE_URL=\(stub.baseURL)"]))
        defer { session.close() }

        let laptop = "PowerShell on your laptop", droplet = "droplet intelliwatt-smt-proxy"
        XCTAssertTrue(session.wait(for: Prompt.step(1, laptop)).ok, session.screen())
        session.type("in")
        XCTAssertTrue(session.wait(for: Prompt.step(2, droplet)).ok, session.screen())
        session.type("back")
        // Back on the laptop step: the screen says to switch back before anything else.
        var seen = session.wait { $0.count(of: Prompt.step(1, laptop)) >= 2 }
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains(">> Switch to: PowerShell on your laptop"), seen.screen)
        session.type("in")
        XCTAssertTrue(session.wait { $0.count(of: Prompt.step(2, droplet)) >= 2 }.ok, session.screen())
        session.type("ok")
        XCTAssertTrue(session.wait(for: "then a line with only: end").ok, session.screen())
        for line in ["deploy@intelliwatt-smt-proxy:~$ /home/deploy/smt_token_test.sh", "SMT API Service ID password:",
                     #"{"statusCode":200,"accessToken":"eyJhbGciOiJIUzI1NiJ9.e30.c2ln","tokenType":"Bearer","expiresIn":3600,"issuedAt":"2025-11-17T15:00:00Z","expiresAt":"2025-11-17T16:00:00Z"}"#,
                     "deploy@intelliwatt-smt-proxy:~$", "end"] {
            session.type(line)
        }
        seen = session.wait(for: Prompt.step(3, droplet))
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("✔ Check passed"), seen.screen)
        session.type("done")
        XCTAssertTrue(session.wait(for: Prompt.question(4, laptop, "ADMIN_TOKEN")).ok, session.screen())
        session.type(NeverStrandedTests.token)
        XCTAssertTrue(session.wait(for: Prompt.step(4, laptop)).ok, session.screen())
        session.type("ok")
        XCTAssertEqual(session.exitStatus(), 0, session.screen())
        XCTAssertTrue(session.screen().contains("Run \(run) complete: 4 done"), session.screen())
        XCTAssertEqual(stub.requests.map { $0.headers["x-admin-token"] }, [NeverStrandedTests.token])
        XCTAssertFalse(sandbox.text(sandbox.log(run)).contains("eyJhbGciOiJIUzI1NiJ9"), "the pasted token was stored")
    }
}
