import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Decisions and jumps through the built binary: a pipe, a terminal (tmux), kill -9 right after a choice.
final class DecisionTests: XCTestCase {
    static let tree = """
    # Token trouble

    A tree: the answer decides the branch; every branch ends at the close-out.

    ## Read the answer {#triage}
    Where: droplet intelliwatt-smt-proxy

    Look at `statusCode`.

    Choose: what did it answer?
    - `ok`: 200, the token works → #close
    - `401`: the password is wrong → #rotate
    - `timeout`: no answer → #whitelist

    Expect: a choice.

    ## Rotate the password {#rotate}
    Where: SMT portal (browser)

    Expect: rotated.

    ## Test again {#retest}
    Where: droplet intelliwatt-smt-proxy

    Choose:
    - `again`: still failing → #triage
    - `fine`: works now → #close

    Expect: a choice.

    ## Check the whitelist {#whitelist}
    Where: your email, to SMT

    Next: #close
    Expect: answered.

    ## Close out {#close}
    Where: PowerShell on your laptop

    Expect: done.

    """

    /// The prompt at step `number` of the tree: its place, then its number.
    static func prompt(_ number: Int) -> String {
        Prompt.step(number, ["droplet intelliwatt-smt-proxy", "SMT portal", "droplet intelliwatt-smt-proxy", "your email, to SMT",
                             "PowerShell on your laptop"][number - 1])
    }

    func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.write("tree.md", Self.tree)
        return sandbox
    }

    static func choices(_ sandbox: Sandbox, _ run: String) throws -> [String] {
        try sandbox.loggedEvents(run).filter { $0["event"] as? String == "choiceMade" }
            .map { "\($0["step"] as? String ?? "?"):\($0["option"] as? String ?? "?")→\($0["target"] as? String ?? "?")" }
    }

    // MARK: - A pipe

    func testChoosingByNumberByKeyAndByKeyInsteadOfDoneFromAPipe() throws {
        let sandbox = try sandbox()
        let walk = try sandbox.run(["start", "tree", "--run", "p1"], input: "done\n2\ndone\ndone\nagain\ntimeout\ndone\ndone\n")
        XCTAssertEqual(walk.status, 0, walk.all)
        XCTAssertEqual(try DecisionTests.choices(sandbox, "p1"), ["triage:401→rotate", "retest:again→triage", "triage:timeout→whitelist"])
        // The whole screen: by number after done, by KEY after done, a KEY instead of done, the loop's second pass.
        assertSameText(walk.stdout.normalisingElapsed, """
        Run p1: Token trouble, 5 steps.
        How this works: one step at a time. Each step says WHERE to run it, first; when the place changes, the screen says Switch to before anything else.
        Do the step, compare with its Expect, then type done: nothing moves on until you do. The prompt names the place and the step. Type help for the other words.

        A tree: the answer decides the branch; every branch ends at the close-out.

        ────────────────────────────────────────────────────────────
        Step 1 of 5 · 0 done, 5 left on this path
        WHERE: droplet intelliwatt-smt-proxy
        Read the answer

        Look at `statusCode`.

        Expect: a choice.

        Choose: what did it answer?
          1. ok       200, the token works → step 5, Close out
          2. 401      the password is wrong → step 2, Rotate the password
          3. timeout  no answer → step 4, Check the whitelist

        Type an option's number (1 to 3) or KEY when the step is done, or: skip REASON, back, note TEXT, quit, help.
        droplet intelliwatt-smt-proxy · step 1> done
        Which one? Type its number (1 to 3) or its KEY: ok, 401, timeout.
        droplet intelliwatt-smt-proxy · step 1 · choice> 2
        ✔ Done: Read the answer → `401`: the password is wrong
        Next: step 2, Rotate the password

        ────────────────────────────────────────────────────────────
        >> Switch to: SMT portal (browser)

        Step 2 of 5 · 1 done, 4 left on this path
        WHERE: SMT portal (browser)
        Rotate the password

        Expect: rotated.

        Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
        SMT portal · step 2> done
        ✔ Done: Rotate the password

        ────────────────────────────────────────────────────────────
        >> Switch to: droplet intelliwatt-smt-proxy

        Step 3 of 5 · 2 done, 3 left on this path
        WHERE: droplet intelliwatt-smt-proxy
        Test again

        Expect: a choice.

        Choose:
          1. again  still failing → step 1, Read the answer
          2. fine   works now → step 5, Close out

        Type an option's number (1 to 2) or KEY when the step is done, or: skip REASON, back, note TEXT, quit, help.
        droplet intelliwatt-smt-proxy · step 3> done
        Which one? Type its number (1 to 2) or its KEY: again, fine.
        droplet intelliwatt-smt-proxy · step 3 · choice> again
        ✔ Done: Test again → `again`: still failing
        Next: step 1, Read the answer

        ────────────────────────────────────────────────────────────
        Step 1 of 5 · 0 done, 5 left on this path · pass 2: walked once before
        WHERE: droplet intelliwatt-smt-proxy
        Read the answer

        Look at `statusCode`.

        Expect: a choice.

        Choose: what did it answer?
          1. ok       200, the token works → step 5, Close out
          2. 401      the password is wrong → step 2, Rotate the password
          3. timeout  no answer → step 4, Check the whitelist

        Type an option's number (1 to 3) or KEY when the step is done, or: skip REASON, back, note TEXT, quit, help.
        droplet intelliwatt-smt-proxy · step 1> timeout
        ✔ Done: Read the answer → `timeout`: no answer
        Next: step 4, Check the whitelist

        ────────────────────────────────────────────────────────────
        >> Switch to: your email, to SMT

        Step 4 of 5 · 1 done, 2 left on this path
        WHERE: your email, to SMT
        Check the whitelist

        Expect: answered.

        Next: step 5, Close out

        Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
        your email, to SMT · step 4> done
        ✔ Done: Check the whitelist

        ────────────────────────────────────────────────────────────
        >> Switch to: PowerShell on your laptop

        Step 5 of 5 · 2 done, 1 left on this path
        WHERE: PowerShell on your laptop
        Close out

        Expect: done.

        Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
        PowerShell on your laptop · step 5> done
        ✔ Done: Close out

        Run p1 complete: 3 done, 0 skipped, 0 s elapsed.
        Report: runbook report p1

        """)
        XCTAssertEqual(walk.stderr, "")
        XCTAssertEqual(try sandbox.stepStatuses("p1"), ["done", "bypassed", "bypassed", "done", "done"])
        XCTAssertEqual(try sandbox.run(["verify", "p1"]).status, 0)

        let report = try sandbox.run(["report", "p1"]).stdout
        XCTAssertTrue(report.contains("## Path taken"), report)
        XCTAssertTrue(report.contains("tester: at Read the answer, `timeout` → Check the whitelist"), report)
        XCTAssertTrue(report.contains("- Step 2 (Rotate the password): bypassed by the choice `timeout` at Read the answer"), report)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try sandbox.run(["report", "p1", "--format", "json"]).stdout.utf8)) as? [String: Any])
        XCTAssertEqual((json["choices"] as? [[String: Any]])?.map { $0["option"] as? String }, ["401", "again", "timeout"])
        let chart = try sandbox.run(["report", "p1", "--format", "mermaid"])
        XCTAssertEqual(chart.status, 0, chart.stderr)
        XCTAssertTrue(chart.stdout.hasPrefix("flowchart TD\n"), chart.stdout)
        // Bypassed now, but walked on the first pass: drawn as walked (SPEC 8: never shown only as bypassed).
        XCTAssertTrue(chart.stdout.contains("    class s2,s3 walked\n"), chart.stdout)
        XCTAssertEqual((json["visits"] as? [[String: Any]])?.map { "\($0["step"] ?? "")/\($0["option"] ?? "")" },
                       ["triage/401", "rotate/<null>", "retest/again", "triage/timeout", "whitelist/<null>", "close/<null>"])
    }

    func testTheStepNumberIsTheRunbooksOwnWhateverIsBypassed() throws {
        let sandbox = try sandbox()
        let walk = try sandbox.run(["start", "tree", "--run", "c1"], input: "ok\nquit\n")
        XCTAssertEqual(walk.status, 3, walk.all)
        // Step 5 stays step 5 though steps 2 to 4 are bypassed; the progress on the path is shown apart.
        assertSameText(walk.stdout, """
        Run c1: Token trouble, 5 steps.
        How this works: one step at a time. Each step says WHERE to run it, first; when the place changes, the screen says Switch to before anything else.
        Do the step, compare with its Expect, then type done: nothing moves on until you do. The prompt names the place and the step. Type help for the other words.

        A tree: the answer decides the branch; every branch ends at the close-out.

        ────────────────────────────────────────────────────────────
        Step 1 of 5 · 0 done, 5 left on this path
        WHERE: droplet intelliwatt-smt-proxy
        Read the answer

        Look at `statusCode`.

        Expect: a choice.

        Choose: what did it answer?
          1. ok       200, the token works → step 5, Close out
          2. 401      the password is wrong → step 2, Rotate the password
          3. timeout  no answer → step 4, Check the whitelist

        Type an option's number (1 to 3) or KEY when the step is done, or: skip REASON, back, note TEXT, quit, help.
        droplet intelliwatt-smt-proxy · step 1> ok
        ✔ Done: Read the answer → `ok`: 200, the token works
        Next: step 5, Close out

        ────────────────────────────────────────────────────────────
        >> Switch to: PowerShell on your laptop

        Step 5 of 5 · 1 done, 1 left on this path
        WHERE: PowerShell on your laptop
        Close out

        Expect: done.

        Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
        PowerShell on your laptop · step 5> quit

        Paused at step 5 (Close out); progress is saved. Resume with: runbook resume c1

        """)
        XCTAssertEqual(walk.stderr, "")
        let status = try sandbox.run(["status", "c1"])
        XCTAssertTrue(status.stdout.contains("step 5 of 5: Close out"), status.stdout)
    }

    func testShowDrawsTheRunbookAsAMermaidFlowchart() throws {
        let sandbox = try sandbox()
        let chart = try sandbox.run(["show", "tree", "--format", "mermaid"])
        XCTAssertEqual(chart.status, 0, chart.stderr)
        assertSameText(chart.stdout, """
        flowchart TD
            begin((start))
            s1["Read the answer<br/>droplet intelliwatt-smt-proxy"]
            s2["Rotate the password<br/>SMT portal (browser)"]
            s3["Test again<br/>droplet intelliwatt-smt-proxy"]
            s4["Check the whitelist<br/>your email, to SMT"]
            s5["Close out<br/>PowerShell on your laptop"]
            finish((end))
            begin --> s1
            s1 -->|ok| s5
            s1 -->|401| s2
            s1 -->|timeout| s4
            s2 --> s3
            s3 -->|again| s1
            s3 -->|fine| s5
            s4 --> s5
            s5 --> finish
            %% p1: droplet intelliwatt-smt-proxy
            classDef p1 fill:#dbeafe,stroke:#64748b,color:#0f172a
            class s1,s3 p1
            %% p2: SMT portal (browser)
            classDef p2 fill:#fde68a,stroke:#64748b,color:#0f172a
            class s2 p2
            %% p3: your email, to SMT
            classDef p3 fill:#d1fae5,stroke:#64748b,color:#0f172a
            class s4 p3
            %% p4: PowerShell on your laptop
            classDef p4 fill:#fbcfe8,stroke:#64748b,color:#0f172a
            class s5 p4

        """)
        let text = try sandbox.run(["show", "tree"])
        XCTAssertEqual(text.status, 0, text.stderr)
        assertSameText(text.stdout, """
        Token trouble  (tree, 5 steps)

        A tree: the answer decides the branch; every branch ends at the close-out.

        ────────────────────────────────────────────────────────────
        Step 1 of 5
        WHERE: droplet intelliwatt-smt-proxy
        Read the answer

        Look at `statusCode`.

        Expect: a choice.

        Choose: what did it answer?
          1. ok       200, the token works → step 5, Close out
          2. 401      the password is wrong → step 2, Rotate the password
          3. timeout  no answer → step 4, Check the whitelist

        ────────────────────────────────────────────────────────────
        >> Switch to: SMT portal (browser)

        Step 2 of 5
        WHERE: SMT portal (browser)
        Rotate the password

        Expect: rotated.

        ────────────────────────────────────────────────────────────
        >> Switch to: droplet intelliwatt-smt-proxy

        Step 3 of 5
        WHERE: droplet intelliwatt-smt-proxy
        Test again

        Expect: a choice.

        Choose:
          1. again  still failing → step 1, Read the answer
          2. fine   works now → step 5, Close out

        ────────────────────────────────────────────────────────────
        >> Switch to: your email, to SMT

        Step 4 of 5
        WHERE: your email, to SMT
        Check the whitelist

        Expect: answered.

        Next: step 5, Close out

        ────────────────────────────────────────────────────────────
        >> Switch to: PowerShell on your laptop

        Step 5 of 5
        WHERE: PowerShell on your laptop
        Close out

        Expect: done.

        """)
    }

    func testAResumeAfterTheChosenOptionWasRemovedAsksAgain() throws {
        let sandbox = try sandbox()
        XCTAssertEqual(try sandbox.run(["start", "tree", "--run", "l1"], input: "timeout\nquit\n").status, 3)
        try sandbox.write("tree.md", Self.tree.replacingOccurrences(of: "- `timeout`: no answer → #whitelist\n", with: ""))
        let resumed = try sandbox.run(["resume", "l1"], input: "ok\ndone\n")
        XCTAssertEqual(resumed.status, 0, resumed.all)
        // The removed choice is named, and the step is asked again (it was walked once before).
        assertSameText(resumed.stdout.normalisingElapsed, """
        The runbook changed since this run last saw it (steps matched by id and content digest):
          changed: triage (Read the answer)
        Going on from the first pending step.
        The choice `timeout` (→ #whitelist) at step triage (Read the answer) is no longer in the runbook: it is asked again.
        Resuming run l1: Token trouble, 0 of 5 steps behind you.
        How this works: one step at a time. Each step says WHERE to run it, first; when the place changes, the screen says Switch to before anything else.
        Do the step, compare with its Expect, then type done: nothing moves on until you do. The prompt names the place and the step. Type help for the other words.

        ────────────────────────────────────────────────────────────
        Step 1 of 5 · 0 done, 5 left on this path · pass 2: walked once before
        WHERE: droplet intelliwatt-smt-proxy
        Read the answer

        Look at `statusCode`.

        Expect: a choice.

        Choose: what did it answer?
          1. ok   200, the token works → step 5, Close out
          2. 401  the password is wrong → step 2, Rotate the password

        Type an option's number (1 to 2) or KEY when the step is done, or: skip REASON, back, note TEXT, quit, help.
        droplet intelliwatt-smt-proxy · step 1> ok
        ✔ Done: Read the answer → `ok`: 200, the token works
        Next: step 5, Close out

        ────────────────────────────────────────────────────────────
        >> Switch to: PowerShell on your laptop

        Step 5 of 5 · 1 done, 1 left on this path
        WHERE: PowerShell on your laptop
        Close out

        Expect: done.

        Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
        PowerShell on your laptop · step 5> done
        ✔ Done: Close out

        Run l1 complete: 2 done, 0 skipped, 0 s elapsed.
        Report: runbook report l1

        """)
        XCTAssertEqual(try DecisionTests.choices(sandbox, "l1"), ["triage:timeout→whitelist", "triage:ok→close"])
        XCTAssertEqual(try sandbox.run(["verify", "l1"]).status, 0)
    }

    // MARK: - kill -9 right after a choice

    func testKillNineRightAfterAChoiceThenResumeGoesOnOnTheChosenPath() throws {
        let sandbox = try sandbox()
        let walk = try LiveWalk(sandbox, ["start", "tree", "--run", "k1"])
        XCTAssertTrue(walk.out.wait(for: Self.prompt(1)), walk.out.text)
        walk.send("401\n")
        // The choice is acknowledged once the next screen is drawn: it is on disk before that.
        XCTAssertTrue(walk.out.wait(for: Self.prompt(2)), walk.out.text)
        walk.signal(SIGKILL)
        let end = walk.finish()
        XCTAssertEqual(end.reason, .uncaughtSignal)
        XCTAssertEqual(try DecisionTests.choices(sandbox, "k1"), ["triage:401→rotate"])

        let resumed = try sandbox.run(["resume", "k1"], input: "done\nfine\ndone\n")
        XCTAssertEqual(resumed.status, 0, resumed.all)
        XCTAssertTrue(resumed.stdout.contains("Step 2 of 5 · 1 done, 4 left on this path\nWHERE: SMT portal (browser)\nRotate the password"),
                      resumed.stdout)
        XCTAssertEqual(try sandbox.stepStatuses("k1"), ["done", "done", "done", "bypassed", "done"])
        XCTAssertEqual(try sandbox.run(["verify", "k1"]).status, 0)
    }

    func testKillNineAfterAChoiceThatJumpsOverSteps() throws {
        let sandbox = try sandbox()
        let walk = try LiveWalk(sandbox, ["start", "tree", "--run", "k2"])
        XCTAssertTrue(walk.out.wait(for: Self.prompt(1)), walk.out.text)
        walk.send("done\n")
        XCTAssertTrue(walk.out.wait(for: Prompt.question(1, "droplet intelliwatt-smt-proxy", "choice")), walk.out.text)
        walk.send("3\n")
        XCTAssertTrue(walk.out.wait(for: Self.prompt(4)), walk.out.text)
        walk.signal(SIGKILL)
        walk.finish()
        let resumed = try sandbox.run(["resume", "k2"], input: "quit\n")
        XCTAssertEqual(resumed.status, 3, resumed.all)
        XCTAssertTrue(resumed.stdout.contains("Step 4 of 5 · 1 done, 2 left on this path\nWHERE: your email, to SMT\nCheck the whitelist"),
                      resumed.stdout)
    }
}

/// Decisions on a real terminal.
final class DecisionTerminalTests: XCTestCase {
    override func setUpWithError() throws {
        guard TmuxSession.available else { throw XCTSkip("\(TmuxSession.tmux) is missing") }
    }

    func testChoosingByNumberByKeyAndByKeyInsteadOfDoneOnATerminal() throws {
        let sandbox = try Sandbox()
        try sandbox.write("tree.md", DecisionTests.tree)
        let run = "tty-\(UUID().uuidString.prefix(8).lowercased())"
        let session = try TmuxSession(command: sandbox.terminalCommand(["start", "tree", "--run", run]))
        defer { session.close() }
        let choice = Prompt.question(1, "droplet intelliwatt-smt-proxy", "choice")

        var seen = session.wait(for: DecisionTests.prompt(1))
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("3. timeout  no answer → step 4, Check the whitelist"), seen.screen)
        // One instruction line on a decision step.
        XCTAssertEqual(seen.screen.count(of: "Type an option's number (1 to 3) or KEY when the step is done, or: "), 1, seen.screen)
        XCTAssertEqual(seen.screen.count(of: "Type done"), 0, seen.screen)
        // By number: done, then 2.
        session.type("done")
        XCTAssertTrue(session.wait(for: choice).ok, session.screen())
        session.type("2")
        XCTAssertTrue(session.wait(for: DecisionTests.prompt(2)).ok, session.screen())
        session.type("done")
        // By KEY at the choice.
        XCTAssertTrue(session.wait(for: DecisionTests.prompt(3)).ok, session.screen())
        session.type("done")
        XCTAssertTrue(session.wait(for: Prompt.question(3, "droplet intelliwatt-smt-proxy", "choice")).ok, session.screen())
        session.type("again")
        // Back on step 1, its second pass: the KEY typed instead of done.
        seen = session.wait { $0.count(of: DecisionTests.prompt(1)) >= 2 }
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("Step 1 of 5 · 0 done, 5 left on this path · pass 2: walked once before"), seen.screen)
        session.type("ok")
        seen = session.wait(for: DecisionTests.prompt(5))
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("✔ Done: Read the answer → `ok`: 200, the token works\nNext: step 5, Close out"), seen.screen)
        session.type("done")
        XCTAssertEqual(session.exitStatus(), 0, session.screen())
        XCTAssertEqual(try sandbox.stepStatuses(run), ["done", "bypassed", "bypassed", "bypassed", "done"])
    }

    func testAnOptionsNumberAtTheStepPromptChoosesIt() throws {
        let sandbox = try Sandbox()
        try sandbox.write("tree.md", DecisionTests.tree)
        let run = "tty-\(UUID().uuidString.prefix(8).lowercased())"
        let session = try TmuxSession(command: sandbox.terminalCommand(["start", "tree", "--run", run]))
        defer { session.close() }

        XCTAssertTrue(session.wait(for: DecisionTests.prompt(1)).ok, session.screen())
        session.type("3")
        let seen = session.wait(for: DecisionTests.prompt(4))
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("✔ Done: Read the answer → `timeout`: no answer\nNext: step 4, Check the whitelist"), seen.screen)
        session.type("quit")
        XCTAssertEqual(session.exitStatus(), 3, session.screen())
        XCTAssertEqual(try DecisionTests.choices(sandbox, run), ["triage:timeout→whitelist"])
    }

}
