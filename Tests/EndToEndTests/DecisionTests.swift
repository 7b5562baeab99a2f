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

    func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.write("tree.md", Self.tree)
        return sandbox
    }

    func choices(_ sandbox: Sandbox, _ run: String) throws -> [String] {
        try sandbox.loggedEvents(run).filter { $0["event"] as? String == "choiceMade" }
            .map { "\($0["step"] as? String ?? "?"):\($0["option"] as? String ?? "?")→\($0["target"] as? String ?? "?")" }
    }

    // MARK: - A pipe

    func testChoosingByNumberByKeyAndByKeyInsteadOfDoneFromAPipe() throws {
        let sandbox = try sandbox()
        let walk = try sandbox.run(["start", "tree", "--run", "p1"], input: "done\n2\ndone\ndone\nagain\ntimeout\ndone\ndone\n")
        XCTAssertEqual(walk.status, 0, walk.all)
        XCTAssertEqual(try choices(sandbox, "p1"), ["triage:401→rotate", "retest:again→triage", "triage:timeout→whitelist"])
        XCTAssertTrue(walk.stdout.contains("1/5> done\nWhich one? Type its number (1 to 3) or its KEY: ok, 401, timeout.\nchoice> 2\n"), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("3/5> done\nWhich one? Type its number (1 to 2) or its KEY: again, fine.\nchoice> again\n"), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("1/5> timeout\n✔ Done: Read the answer → `timeout`: no answer\nNext: Check the whitelist\n"), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("Step 4 of 5\nWHERE: your email, to SMT"), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("Run p1 complete: 3 done, 0 skipped"), walk.stdout)
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
        XCTAssertTrue(chart.stdout.contains("    class s2,s3 bypassed\n"), chart.stdout)
    }

    func testTheStepNumberIsTheRunbooksOwnWhateverIsBypassed() throws {
        let sandbox = try sandbox()
        let walk = try sandbox.run(["start", "tree", "--run", "c1"], input: "ok\nquit\n")
        XCTAssertEqual(walk.status, 3, walk.all)
        XCTAssertTrue(walk.stdout.contains("Step 1 of 5\n"), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("Step 5 of 5\nWHERE: PowerShell on your laptop"), walk.stdout)
        XCTAssertTrue(walk.stderr.isEmpty, walk.stderr)
        XCTAssertTrue(walk.stdout.contains("Paused at step 5 of 5 (Close out)"), walk.stdout)
        let status = try sandbox.run(["status", "c1"])
        XCTAssertTrue(status.stdout.contains("step 5 of 5: Close out"), status.stdout)
    }

    func testShowDrawsTheRunbookAsAMermaidFlowchart() throws {
        let sandbox = try sandbox()
        let chart = try sandbox.run(["show", "tree", "--format", "mermaid"])
        XCTAssertEqual(chart.status, 0, chart.stderr)
        XCTAssertTrue(chart.stdout.contains("    s1 -->|ok| s5\n    s1 -->|401| s2\n    s1 -->|timeout| s4\n"), chart.stdout)
        XCTAssertTrue(chart.stdout.contains("    s4 --> s5\n"), chart.stdout)
        let text = try sandbox.run(["show", "tree"])
        XCTAssertTrue(text.stdout.contains("Choose: what did it answer?\n  1. ok       200, the token works → Close out\n"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Next: Close out"), text.stdout)
    }

    func testAResumeAfterTheChosenOptionWasRemovedAsksAgain() throws {
        let sandbox = try sandbox()
        XCTAssertEqual(try sandbox.run(["start", "tree", "--run", "l1"], input: "timeout\nquit\n").status, 3)
        try sandbox.write("tree.md", Self.tree.replacingOccurrences(of: "- `timeout`: no answer → #whitelist\n", with: ""))
        let resumed = try sandbox.run(["resume", "l1"], input: "ok\ndone\n")
        XCTAssertEqual(resumed.status, 0, resumed.all)
        XCTAssertTrue(resumed.stdout.contains(
            "The choice `timeout` (→ #whitelist) at step triage (Read the answer) is no longer in the runbook: it is asked again."), resumed.stdout)
        XCTAssertTrue(resumed.stdout.contains("Step 1 of 5\nWHERE: droplet intelliwatt-smt-proxy\nRead the answer"), resumed.stdout)
        XCTAssertEqual(try choices(sandbox, "l1"), ["triage:timeout→whitelist", "triage:ok→close"])
        XCTAssertEqual(try sandbox.run(["verify", "l1"]).status, 0)
    }

    // MARK: - kill -9 right after a choice

    func testKillNineRightAfterAChoiceThenResumeGoesOnOnTheChosenPath() throws {
        let sandbox = try sandbox()
        let walk = try LiveWalk(sandbox, ["start", "tree", "--run", "k1"])
        XCTAssertTrue(walk.out.wait(for: "1/5> "), walk.out.text)
        walk.send("401\n")
        // The choice is acknowledged once the next screen is drawn: it is on disk before that.
        XCTAssertTrue(walk.out.wait(for: "2/5> "), walk.out.text)
        walk.signal(SIGKILL)
        let end = walk.finish()
        XCTAssertEqual(end.reason, .uncaughtSignal)
        XCTAssertEqual(try choices(sandbox, "k1"), ["triage:401→rotate"])

        let resumed = try sandbox.run(["resume", "k1"], input: "done\nfine\ndone\n")
        XCTAssertEqual(resumed.status, 0, resumed.all)
        XCTAssertTrue(resumed.stdout.contains("Step 2 of 5\nWHERE: SMT portal (browser)\nRotate the password"), resumed.stdout)
        XCTAssertEqual(try sandbox.stepStatuses("k1"), ["done", "done", "done", "bypassed", "done"])
        XCTAssertEqual(try sandbox.run(["verify", "k1"]).status, 0)
    }

    func testKillNineAfterAChoiceThatJumpsOverSteps() throws {
        let sandbox = try sandbox()
        let walk = try LiveWalk(sandbox, ["start", "tree", "--run", "k2"])
        XCTAssertTrue(walk.out.wait(for: "1/5> "), walk.out.text)
        walk.send("done\n")
        XCTAssertTrue(walk.out.wait(for: "choice> "), walk.out.text)
        walk.send("3\n")
        XCTAssertTrue(walk.out.wait(for: "4/5> "), walk.out.text)
        walk.signal(SIGKILL)
        walk.finish()
        let resumed = try sandbox.run(["resume", "k2"], input: "quit\n")
        XCTAssertEqual(resumed.status, 3, resumed.all)
        XCTAssertTrue(resumed.stdout.contains("Step 4 of 5\nWHERE: your email, to SMT\nCheck the whitelist"), resumed.stdout)
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

        var seen = session.wait(for: "1/5> ")
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("3. timeout"), seen.screen)
        // By number: done, then 2.
        session.type("done")
        XCTAssertTrue(session.wait(for: "choice> ").ok, session.screen())
        session.type("2")
        XCTAssertTrue(session.wait(for: "2/5> ").ok, session.screen())
        session.type("done")
        // By KEY at the choice.
        XCTAssertTrue(session.wait(for: "3/5> ").ok, session.screen())
        session.type("done")
        seen = session.wait { $0.count(of: "choice> ") >= 2 }
        XCTAssertTrue(seen.ok, seen.screen)
        session.type("again")
        // The KEY typed instead of done.
        XCTAssertTrue(session.wait { $0.count(of: "1/5> ") >= 2 }.ok, session.screen())
        session.type("ok")
        seen = session.wait(for: "5/5> ")
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("✔ Done: Read the answer → `ok`"), seen.screen)
        session.type("done")
        XCTAssertEqual(session.exitStatus(), 0, session.screen())
        XCTAssertEqual(try sandbox.stepStatuses(run), ["done", "bypassed", "bypassed", "bypassed", "done"])
    }
}
