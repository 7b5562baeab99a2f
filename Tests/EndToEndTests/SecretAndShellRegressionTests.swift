import Foundation
import XCTest

/// Regressions from the hostile-input search (issue 7), each named after what it protects.
final class SecretAndShellRegressionTests: XCTestCase {
    /// A secret the first step does not use: known from the environment, it must be masked from the first line.
    static let leak = """
    # Leak

    A secret used only by the second step.

    ## Variables
    - `ADMIN_TOKEN` (secret): the admin token.

    ## First {#first}
    Where: bash on your laptop

    Expect: done.

    ## Second {#second}
    Where: bash on your laptop

    Expect: the check passes.

    ```sh check
    test -n "{{ADMIN_TOKEN}}"
    ```

    """

    func testASecretTypedIntoANoteOrASkipReasonBeforeItsStepNeverReachesTheLog() throws {
        let sandbox = try Sandbox()
        try sandbox.write("leak.md", Self.leak)
        let walk = try sandbox.run(["start", "leak", "--run", "r"], input: "note token is hunter2-XYZ\nskip pasted hunter2-XYZ\ndone\n",
                                   env: ["ADMIN_TOKEN": "hunter2-XYZ"])
        XCTAssertEqual(walk.status, 0, walk.all)
        var stored = sandbox.text(sandbox.log("r"))
        for arguments in [["report", "r"], ["report", "r", "--format", "json"], ["status", "r", "--json"]] {
            stored += try sandbox.run(arguments).all
        }
        XCTAssertTrue(stored.contains("token is ••••"), stored)
        XCTAssertTrue(stored.contains("pasted ••••"), stored)
        XCTAssertFalse((stored + walk.all).contains("hunter2-XYZ"))
    }

    /// After a resume the walk no longer knows the run's secrets: a note waits until they are typed again,
    /// so a token in it is masked before it reaches the log (issue 12).
    func testAfterAResumeANoteWaitsUntilTheSecretIsKnownAgain() throws {
        let sandbox = try Sandbox()
        try sandbox.write("leak.md", Self.leak)
        XCTAssertEqual(try sandbox.run(["start", "leak", "--run", "r"], input: "quit\n").status, 3)
        // Input ends at the question: the note was never kept.
        let ended = try sandbox.run(["resume", "r"], input: "note it was hunter2-XYZ\n")
        XCTAssertEqual(ended.status, 3, ended.all)
        XCTAssertEqual(try sandbox.events("r"), ["runStarted", "runPaused", "runResumed", "runPaused"])
        XCTAssertFalse(sandbox.text(sandbox.log("r")).contains("it was"))

        let resumed = try sandbox.run(["resume", "r"], input: "note it was hunter2-XYZ\nhunter2-XYZ\nquit\n")
        XCTAssertEqual(resumed.status, 3, resumed.all)
        assertSameText(resumed.stdout, """
        Resuming run r: Leak, 0 of 2 steps behind you.
        How this works: one step at a time. Each step says WHERE to run it, first; when the place changes, the screen says Switch to before anything else.
        Do the step, compare with its Expect, then type done: nothing moves on until you do. The prompt names the place and the step. Type help for the other words.

        ────────────────────────────────────────────────────────────
        Step 1 of 2 · 0 done, 2 left on this path
        WHERE: bash on your laptop
        First

        Expect: done.

        Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
        bash on your laptop · step 1> note it was hunter2-XYZ
        Before anything you type is kept, this walk must know ADMIN_TOKEN, so that it can never be stored in clear.

        Masking needs ADMIN_TOKEN: the admin token. It is typed without echo and kept in memory only.
        bash on your laptop · step 1 · ADMIN_TOKEN>\u{20}
        Note kept on this step.
        bash on your laptop · step 1> quit

        Paused at step 1 (First); progress is saved. Resume with: runbook resume r

        """)
        let log = sandbox.text(sandbox.log("r"))
        XCTAssertTrue(log.contains(#""text":"it was ••••""#), log)
        XCTAssertFalse(log.contains("hunter2-XYZ"))
        XCTAssertFalse(try sandbox.run(["report", "r"]).stdout.contains("hunter2-XYZ"))
    }

    func testAValueIsNeverShellSyntaxInAnShCheck() throws {
        let sandbox = try Sandbox()
        try sandbox.write("leak.md", Self.leak)
        let hostile = #"a"; touch INJECTED; echo "b"#
        let walk = try sandbox.run(["start", "leak", "--run", "r"], input: "done\ndone\n", env: ["ADMIN_TOKEN": hostile])
        XCTAssertEqual(walk.status, 0, walk.all)
        XCTAssertTrue(walk.stdout.contains("✔ Check passed"), walk.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.root.appendingPathComponent("INJECTED").path), "the value ran as a command")
        // Unquoted too: expanded, split into words at most, never run.
        let unquoted = Self.leak.replacingOccurrences(of: #"test -n "{{ADMIN_TOKEN}}""#, with: "echo {{ADMIN_TOKEN}} >/dev/null")
        try sandbox.write("leak.md", unquoted)
        let second = try sandbox.run(["start", "leak", "--run", "r2"], input: "done\ndone\n", env: ["ADMIN_TOKEN": "x; touch INJECTED2"])
        XCTAssertEqual(second.status, 0, second.all)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.root.appendingPathComponent("INJECTED2").path))
    }

    func testASecretEqualToACommonWordNeverMasksTheScreen() throws {
        let sandbox = try Sandbox()
        try sandbox.write("leak.md", Self.leak)
        let walk = try sandbox.run(["start", "leak", "--run", "r"], input: "done\ndone\n", env: ["ADMIN_TOKEN": "done"])
        XCTAssertEqual(walk.status, 0, walk.all)
        XCTAssertTrue(walk.stdout.contains("Type done when the step is done"), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("Expect: done."), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("✔ Done: First"), walk.stdout)
        // What the operator typed is masked: the secret is the word itself.
        XCTAssertTrue(walk.stdout.contains("bash on your laptop · step 1> ••••\n✔ Done: First\n"), walk.stdout)
        XCTAssertFalse(walk.stdout.contains("Type •••• when"), walk.stdout)
    }

    func testAGetCheckWithABodyIsALintErrorNotALibraryLine() throws {
        let sandbox = try Sandbox()
        try sandbox.write("body.md", """
        # Body

        A GET with a body.

        ## Call {#call}
        Where: bash on your laptop

        Expect: 200.

        ```http check
        GET http://127.0.0.1:9/x

        {"a": 1}
        expect status 200
        ```

        """)
        let lint = try sandbox.run(["lint"])
        XCTAssertEqual(lint.status, 1)
        XCTAssertTrue(lint.stdout.contains("runbooks/body.md:13:1: error: a GET request has no body"), lint.stdout)
        let start = try sandbox.run(["start", "body"])
        XCTAssertEqual(start.status, 1)
        XCTAssertEqual(start.stdout, "")
    }
}
