import Foundation
import XCTest

/// `run` (issue 16, SPEC 10) through the real binary: here and over a stand-in `ssh`, from a pipe and on
/// a terminal (tmux), its output checked at once and never stored.
final class RunBlockTests: XCTestCase {
    static let runbook = """
        # Run blocks

        Commands runbook runs.

        ## Variables
        - `GREETING`: a word. Default: `hello`
        - `TOKEN` (secret): a token.

        ## Say hello {#hello}
        Where: your laptop

        ```sh run
        echo "{{GREETING}} from the command"
        printf '{"statusCode": 200, "token": "%s"}\\n' "{{TOKEN}}"
        exit 3
        ```

        Expect: a greeting.

        ```paste check
        expect body contains hello from the command
        expect json statusCode == 200
        ```

        ## Run the token test {#remote}
        Where: droplet intelliwatt-smt-proxy
        Via: ssh deploy@intelliwatt-smt-proxy

        ```bash run
        /home/deploy/smt_token_test.sh {{GREETING}}
        ```

        Expect: a token.

        ```paste check
        expect json statusCode == 200
        ```
        """

    static let secret = "tok-7f3a9c2e5b1d"

    /// A stand-in `ssh` first on PATH: it records its arguments (one a line) and its environment, then
    /// prints a canned answer.
    func fakeSSH(_ sandbox: Sandbox, answer: String = #"{"statusCode": 200}"#) throws -> URL {
        let bin = sandbox.root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let script = bin.appendingPathComponent("ssh")
        try """
            #!/bin/sh
            for argument in "$@"; do printf '%s\\n' "$argument"; done > \(sandbox.root.path)/ssh-arguments
            env > \(sandbox.root.path)/ssh-environment
            echo 'Password: '
            echo '\(answer)'
            """.write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        return bin
    }

    /// Every file under the state folder, as one text.
    func stateText(_ sandbox: Sandbox) -> String {
        let files = FileManager.default.enumerator(atPath: sandbox.state.path)?.compactMap { $0 as? String } ?? []
        return files.map { (try? String(contentsOfFile: sandbox.state.appendingPathComponent($0).path, encoding: .utf8)) ?? "" }
            .joined(separator: "\n")
    }

    func events(_ sandbox: Sandbox, _ run: String) throws -> [[String: Any]] {
        try sandbox.logLines(run).map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
    }

    func testALocalRunBlockPassesThePasteCheckWithNoPasteAndItsOutputIsNeverStored() throws {
        let sandbox = try Sandbox()
        try sandbox.write("blocks.md", Self.runbook)
        let bin = try fakeSSH(sandbox)
        let walk = try sandbox.run(["start", "blocks", "--run", "r1"], input: "run\ndone\nrun\ndone\n",
                                   env: ["TOKEN": Self.secret, "PATH": bin.path + ":/usr/bin:/bin"])
        XCTAssertEqual(walk.status, 0, walk.all)
        let out = walk.stdout
        XCTAssertTrue(out.contains("""
            your laptop · step 1> run

            Running on this machine under /bin/sh -c (Ctrl-C stops it):
              echo "${GREETING} from the command"
              printf '{"statusCode": 200, "token": "%s"}\\n' "${TOKEN}"
              exit 3
            Its environment holds GREETING, TOKEN.

            hello from the command
            {"statusCode": 200, "token": "••••"}

            The command ended: exit status 3, after 0 s.
            Checking the output of run (no paste needed) …
            ✔ Check passed (passed: body contains hello from the command, json statusCode == 200)
            """), out)
        XCTAssertTrue(out.contains("your laptop · step 1> done\nChecking the output of run (no paste needed) …\n"), out)
        XCTAssertFalse(out.contains("Paste what you saw"), out)
        XCTAssertFalse(walk.all.contains(Self.secret), walk.all)

        let ran = try events(sandbox, "r1").filter { $0["event"] as? String == "commandRan" }
        XCTAssertEqual(ran.map { $0["step"] as? String }, ["hello", "remote"])
        XCTAssertEqual(ran.map { $0["status"] as? Int }, [3, 0])
        XCTAssertEqual(ran.map { $0["via"] as? String }, [nil, "deploy@intelliwatt-smt-proxy"])
        XCTAssertEqual(ran.map { $0["seconds"] as? Int }, [0, 0])
        let kept = stateText(sandbox)
        for printed in ["from the command", "Password", Self.secret] {
            XCTAssertFalse(kept.contains(printed), "the state folder holds \(printed)")
        }
        XCTAssertEqual(try sandbox.run(["verify", "r1"]).status, 0)
        let report = try sandbox.run(["report", "r1"]).stdout
        XCTAssertTrue(report.contains("## Commands runbook ran\n\n"), report)
        XCTAssertTrue(report.contains("Step 1 (Say hello) on the operator's machine: exit status 3 after 0 s"), report)
        XCTAssertTrue(report.contains("Step 2 (Run the token test) over ssh on deploy@intelliwatt-smt-proxy: exit status 0 after 0 s"), report)
    }

    func testViaRunsTheSystemsSSHWithATerminalTheHostAndTheCommandAndNoSecret() throws {
        let sandbox = try Sandbox()
        try sandbox.write("blocks.md", Self.runbook)
        let bin = try fakeSSH(sandbox)
        let walk = try sandbox.run(["start", "blocks", "--run", "r2"], input: "skip done by hand\nrun\ndone\n",
                                   env: ["TOKEN": Self.secret, "PATH": bin.path + ":/usr/bin:/bin"])
        XCTAssertEqual(walk.status, 0, walk.all)
        XCTAssertTrue(walk.stdout.contains("""
            Running on deploy@intelliwatt-smt-proxy over ssh, with a terminal (Ctrl-C stops it):
              ssh -t deploy@intelliwatt-smt-proxy 'export GREETING=hello; /home/deploy/smt_token_test.sh ${GREETING}'

            Password: 
            {"statusCode": 200}

            The command ended: exit status 0, after 0 s.
            """), walk.stdout)
        let arguments = sandbox.text(sandbox.root.appendingPathComponent("ssh-arguments"))
        XCTAssertEqual(arguments, "-t\ndeploy@intelliwatt-smt-proxy\nexport GREETING=hello; /home/deploy/smt_token_test.sh ${GREETING}\n")
        XCTAssertFalse(arguments.contains(Self.secret))
        // ssh gets runbook's own environment (keys, agent), nothing the runbook adds.
        XCTAssertFalse(sandbox.text(sandbox.root.appendingPathComponent("ssh-environment")).contains("GREETING="))
    }

    func testAFailingCommandsExitStatusIsOnScreenAndTheCheckFails() throws {
        let sandbox = try Sandbox()
        try sandbox.write("blocks.md", Self.runbook)
        let bin = try fakeSSH(sandbox, answer: #"{"statusCode": 401}"#)
        let walk = try sandbox.run(["start", "blocks", "--run", "r3"], input: "skip by hand\nrun\n",
                                   env: ["TOKEN": Self.secret, "PATH": bin.path + ":/usr/bin:/bin"])
        XCTAssertEqual(walk.status, 1, walk.all)
        XCTAssertTrue(walk.stdout.contains("""
            The command ended: exit status 0, after 0 s.
            Checking the output of run (no paste needed) …
            ✘ Check failed: expected statusCode == 200, got 401
            """), walk.stdout)
        let local = try sandbox.run(["start", "blocks", "--run", "r4"], input: "run\n", env: ["TOKEN": Self.secret, "GREETING": "bye"])
        XCTAssertEqual(local.status, 1, local.all)
        XCTAssertTrue(local.stdout.contains("The command ended: exit status 3, after 0 s.\n"), local.stdout)
        XCTAssertTrue(local.stdout.contains("✘ Check failed: expected the pasted text to contain hello from the command"), local.stdout)
        XCTAssertEqual(try events(sandbox, "r4").compactMap { $0["event"] as? String }.suffix(2), ["commandRan", "checkFailed"])
    }

    // MARK: - On a terminal

    static let terminalRunbook = """
        # Terminal runs

        ## Read a password {#password}
        Where: your laptop

        ```sh run
        printf 'Password: '
        stty -echo
        read word
        stty echo
        echo
        echo "length ${#word}, starts ${word%%${word#??}}"
        ```

        Expect: the length.

        ```paste check
        expect body contains length 11, starts pa
        ```

        ## Wait a long time {#long}
        Where: your laptop

        ```sh run
        echo started-long; sleep 300
        ```

        Expect: nothing.
        """

    func testAPasswordTypedInTmuxReachesTheCommandAndCtrlCStopsALongOneThenQuitExits3() throws {
        try XCTSkipUnless(TmuxSession.available, "tmux is not installed")
        let sandbox = try Sandbox()
        try sandbox.write("tty.md", Self.terminalRunbook)
        let run = "tty-\(UUID().uuidString.prefix(8).lowercased())"
        let session = try TmuxSession(command: sandbox.terminalCommand(["start", "tty", "--run", run]))
        defer { session.close() }
        let password = "pass-w0rd-9"

        var seen = session.wait(for: "your laptop · step 1> ")
        XCTAssertTrue(seen.ok, seen.screen)
        session.type("run")
        seen = session.wait(for: "Password: ")
        XCTAssertTrue(seen.ok, seen.screen)
        session.type(password)
        seen = session.wait(for: "✔ Check passed")
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("length 11, starts pa"), seen.screen)
        XCTAssertFalse(seen.screen.contains(password), "the password was echoed:\n\(seen.screen)")
        session.type("done")
        seen = session.wait(for: "your laptop · step 2> ")
        XCTAssertTrue(seen.ok, seen.screen)

        session.type("run")
        seen = session.wait(for: "started-long")
        XCTAssertTrue(seen.ok, seen.screen)
        session.key("C-c")
        seen = session.wait(for: "Command stopped (Ctrl-C)")
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(session.wait(for: "Back at the step.\nyour laptop · step 2>").ok, session.screen())
        session.type("quit")
        XCTAssertEqual(session.exitStatus(), 3, session.screen())
        let sleeping = Process()
        sleeping.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        sleeping.arguments = ["-f", "sleep 300"]
        sleeping.standardOutput = Pipe()
        try sleeping.run()
        sleeping.waitUntilExit()
        XCTAssertEqual(sleeping.terminationStatus, 1, "the long command is still running")

        let kept = stateText(sandbox)
        for text in [password, "started-long"] { XCTAssertFalse(kept.contains(text), "the state folder holds \(text)") }
        let ran = try events(sandbox, run).filter { $0["event"] as? String == "commandRan" }
        XCTAssertEqual(ran.map { $0["step"] as? String }, ["password", "long"])
        XCTAssertEqual(ran.first?["status"] as? Int, 0)
        XCTAssertEqual(try sandbox.run(["verify", run]).status, 0)
    }
}
