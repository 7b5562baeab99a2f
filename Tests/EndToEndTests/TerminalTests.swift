import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The walk on a real terminal (tmux): the screen, Ctrl-C, and a secret typed without echo.
final class TerminalTests: XCTestCase {
    override func setUpWithError() throws {
        guard TmuxSession.available else { throw XCTSkip("\(TmuxSession.tmux) is missing") }
    }

    /// No runbook process whose command line holds `marker` (pgrep -f), and the pane's process is gone.
    /// (The tmux server's own command line holds the pane's command too: match the binary at the start.)
    private func assertNothingLeft(_ marker: String, pid: pid_t?, file: StaticString = #filePath, line: UInt = #line) {
        if let pid {
            XCTAssertEqual(kill(pid, 0), -1, "process \(pid) is still there", file: file, line: line)
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pgrep") else { return }
        let pgrep = Process()
        pgrep.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        pgrep.arguments = ["-f", "^\(Sandbox.binary.path) .*\(marker)"]
        let output = Pipe()
        pgrep.standardOutput = output
        try? pgrep.run()
        let found = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        pgrep.waitUntilExit()
        XCTAssertEqual(pgrep.terminationStatus, 1, "processes left behind: \(found)", file: file, line: line)
    }

    func testTheStepScreenDoneAndCtrlC() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let run = "tty-\(UUID().uuidString.prefix(8).lowercased())"
        let session = try TmuxSession(command: sandbox.terminalCommand(["start", "three", "--run", run]))
        defer { session.close() }

        var seen = session.wait(for: Prompt.three(1))
        XCTAssertTrue(seen.ok, "no prompt:\n\(seen.screen)")
        XCTAssertTrue(seen.screen.contains("Step 1 of 3 · 0 done, 3 left on this path"), seen.screen)
        XCTAssertTrue(seen.screen.contains("WHERE: PowerShell on your laptop"), seen.screen)
        XCTAssertTrue(seen.screen.contains("First"), seen.screen)
        XCTAssertTrue(seen.screen.contains("Guardrails"), seen.screen)
        // On a terminal the typed line is echoed by the terminal, not by runbook: once.
        let pid = session.panePID
        XCTAssertNotNil(pid)

        session.type("done")
        seen = session.wait(for: Prompt.three(2))
        XCTAssertTrue(seen.ok, "no second prompt:\n\(seen.screen)")
        XCTAssertTrue(seen.screen.contains("✔ Done: First"), seen.screen)
        XCTAssertTrue(seen.screen.contains(">> Switch to: droplet intelliwatt-smt-proxy"), seen.screen)
        XCTAssertTrue(seen.screen.contains("Step 2 of 3 · 1 done, 2 left on this path"), seen.screen)
        XCTAssertEqual(seen.screen.count(of: Prompt.three(1) + "done"), 1, "the word is shown once:\n\(seen.screen)")

        session.key("C-c")
        let status = session.exitStatus()
        let screen = session.screen()
        XCTAssertEqual(status, 130, "exit status after Ctrl-C:\n\(screen)")
        XCTAssertTrue(screen.contains("runbook resume \(run)"), screen)
        assertNothingLeft(run, pid: pid)

        let state = try sandbox.statusJSON(run)
        XCTAssertEqual(state["status"] as? String, "active")
        XCTAssertEqual(state["current"] as? String, "second")
        XCTAssertEqual(try sandbox.loggedEvents(run).last?["reason"] as? String, "interrupted")
        XCTAssertEqual(try sandbox.run(["verify", run]).status, 0)
        let resumed = try sandbox.run(["resume", run], input: "quit\n")
        XCTAssertEqual(resumed.status, 3, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("Step 2 of 3 · 1 done, 2 left on this path"), resumed.stdout)
    }

    static let secretRunbook = """
    # Secret check

    A step whose check needs a secret.

    ## Variables
    - `TOKEN` (secret): the API token.

    ## Use the token {#use-token}
    Where: your laptop shell

    ```bash
    curl -H "Authorization: Bearer {{TOKEN}}" https://example.invalid/
    ```

    Expect: `200`.

    ```sh check
    test "$TOKEN" = "{{TOKEN}}" && test "${#TOKEN}" -eq 16
    ```

    """

    static let prompt = Prompt.step(1, "your laptop shell")
    static let tokenQuestion = Prompt.question(1, "your laptop shell", "TOKEN")

    func testASecretIsTypedWithoutEchoAndTheCheckUsesIt() throws {
        let secret = "tok-9f8e7d6c5b4a"
        let sandbox = try Sandbox()
        try sandbox.write("secret.md", Self.secretRunbook)
        let run = "tty-\(UUID().uuidString.prefix(8).lowercased())"
        let session = try TmuxSession(command: sandbox.terminalCommand(["start", "secret", "--run", run]))
        defer { session.close() }

        var seen = session.wait(for: Self.tokenQuestion)
        XCTAssertTrue(seen.ok, "no secret question:\n\(seen.screen)")
        let pid = session.panePID
        session.type(secret)
        seen = session.wait(for: Self.prompt)
        XCTAssertTrue(seen.ok, "no prompt after the secret:\n\(seen.screen)")
        XCTAssertFalse(seen.screen.contains(secret), "the secret was echoed:\n\(seen.screen)")
        XCTAssertTrue(seen.screen.contains("Bearer {{TOKEN}}"), "a secret is shown as {{NAME}}:\n\(seen.screen)")

        session.type("done")
        let status = session.exitStatus()
        let screen = session.screen()
        XCTAssertEqual(status, 0, screen)
        XCTAssertTrue(screen.contains("✔ Check passed"), screen)
        XCTAssertTrue(screen.contains("Run \(run) complete: 1 done"), screen)
        XCTAssertFalse(screen.contains(secret), "the secret was shown:\n\(screen)")
        assertNothingLeft(run, pid: pid)

        let log = try String(contentsOf: sandbox.log(run), encoding: .utf8)
        XCTAssertFalse(log.contains(secret), "the secret was stored")
        XCTAssertFalse(try sandbox.run(["report", run]).stdout.contains(secret))
        XCTAssertEqual(try sandbox.run(["verify", run]).status, 0)
    }

    func testAWrongSecretFailsTheCheckAndWaitsOnATerminal() throws {
        let sandbox = try Sandbox()
        try sandbox.write("secret.md", Self.secretRunbook)
        let run = "tty-\(UUID().uuidString.prefix(8).lowercased())"
        let session = try TmuxSession(command: sandbox.terminalCommand(["start", "secret", "--run", run]))
        defer { session.close() }

        XCTAssertTrue(session.wait(for: Self.tokenQuestion).ok, session.screen())
        session.type("wrong-value")
        XCTAssertTrue(session.wait(for: Self.prompt).ok, session.screen())
        session.type("done")
        // On a terminal a failed check leaves the operator on the step to fix and retry.
        let seen = session.wait { $0.contains("✘ Check failed") && $0.count(of: Self.prompt) >= 2 }
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("Fix it and type done"), seen.screen)
        XCTAssertFalse(seen.screen.contains("wrong-value"), seen.screen)
        session.type("quit")
        XCTAssertEqual(session.exitStatus(), 3, session.screen())
        XCTAssertEqual(try sandbox.statusJSON(run)["current"] as? String, "use-token")
    }
}
