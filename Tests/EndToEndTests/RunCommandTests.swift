import Foundation
import XCTest

/// Walking runs with piped input, and reading, ending and checking them afterwards, through the built binary.
final class RunCommandTests: XCTestCase {
    /// A runbook whose only step has an `sh check` that reads a secret from its environment.
    static let secretCheck = """
    # Secret check

    Checks the admin token without ever showing it.

    ## Variables
    - `TOKEN` (secret): the admin token.

    ## Check the token {#token}
    Where: bash on your laptop

    ```bash
    curl -H "x-admin-token: {{TOKEN}}" https://example.test/
    ```

    Expect: the check passes.

    ```sh check
    test "${#TOKEN}" -eq 12
    ```

    """

    /// The step lines (`Step N of M`) a walk showed, in order.
    func stepHeadings(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("Step ") && $0.contains(" of ") }
    }

    // MARK: - Walking

    func testAWholeWalkShowsEachStepWhereFirstAndKeepsALog() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)

        let result = try sandbox.run(["start", "three", "--run", "r1"], input: "done\ndone\ndone\n")

        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        // The guardrails come before the first step; WHERE first on each step; the change of place is
        // announced before step 2 only; each prompt names the place and the step.
        assertSameText(result.stdout.normalisingElapsed, """
        Run r1: Three steps, 3 steps.
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
        droplet intelliwatt-smt-proxy · step 2> done
        ✔ Done: Second

        ────────────────────────────────────────────────────────────
        Step 3 of 3 · 2 done, 1 left on this path
        WHERE: droplet intelliwatt-smt-proxy
        Third

        ```bash
        echo three
        ```

        Expect: `three`.

        Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
        droplet intelliwatt-smt-proxy · step 3> done
        ✔ Done: Third

        Run r1 complete: 3 done, 0 skipped, 0 s elapsed.
        Report: runbook report r1

        """)

        XCTAssertEqual(try sandbox.events("r1"),
                       ["runStarted", "variableRecorded", "stepCompleted", "stepCompleted", "stepCompleted", "runCompleted"])
        let verify = try sandbox.run(["verify", "r1"])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertEqual(verify.stdout, "\(sandbox.log("r1").path): intact: 6 events, hash chain verified, every event legal.\n")
    }

    func testEndOfInputPausesAndResumeGoesOn() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)

        let first = try sandbox.run(["start", "three", "--run", "r1"], input: "done\n")

        XCTAssertEqual(first.status, 3, first.stderr)
        XCTAssertEqual(first.errorLines.count, 1, first.stderr)
        XCTAssertEqual(first.stderr, "Input ended. Paused at step 2 (Second); progress is saved. Resume with: runbook resume r1\n")
        XCTAssertEqual(try sandbox.events("r1").last, "runPaused")

        let status = try sandbox.run(["status", "r1"])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.hasPrefix("r1  three  step 2 of 3: Second [droplet intelliwatt-smt-proxy]"), status.stdout)
        let all = try sandbox.run(["status"])
        XCTAssertEqual(all.stdout, status.stdout)
        let json = try XCTUnwrap(try json(try sandbox.run(["status", "r1", "--json"]).stdout) as? [[String: Any]])
        XCTAssertEqual(json.first?["current"] as? String, "second")

        let resumed = try sandbox.run(["resume", "r1"], input: "done\ndone\n")

        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("Resuming run r1: Three steps, 1 of 3 steps behind you."), resumed.stdout)
        XCTAssertEqual(stepHeadings(resumed.stdout), ["Step 2 of 3 · 1 done, 2 left on this path", "Step 3 of 3 · 2 done, 1 left on this path"])
        XCTAssertTrue(resumed.stdout.contains("Run r1 complete: 3 done, 0 skipped"), resumed.stdout)
        XCTAssertEqual(try sandbox.run(["verify", "r1"]).status, 0)
        XCTAssertEqual(try sandbox.run(["status"]).stdout, "No unfinished runs. Start one with: runbook start RUNBOOK\n")
    }

    func testResumeWithoutARunPicksTheLatestUnfinishedOne() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "older"], input: "quit\n").status, 3)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "newer"], input: "done\nquit\n").status, 3)

        let resumed = try sandbox.run(["resume"], input: "done\ndone\n")

        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("Resuming newer, the most recently active of 2 unfinished runs"), resumed.stdout)
        XCTAssertTrue(resumed.stdout.contains("Run newer complete"), resumed.stdout)
        XCTAssertEqual(try sandbox.events("older").last, "runPaused")

        let last = try sandbox.run(["resume"], input: "done\ndone\ndone\n")
        XCTAssertEqual(last.status, 0, last.stderr)
        XCTAssertTrue(last.stdout.contains("Run older complete"), last.stdout)

        let none = try sandbox.run(["resume"])
        XCTAssertEqual(none.status, 1)
        assertOneErrorLine(none, containing: ["no unfinished run to resume", "runbook start RUNBOOK"])
    }

    func testOnlyPromptWordsMoveTheRun() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let input = "back\nhello\nskip\n  DoNe  \nback\nnote some text\ndone\nskip reason here\nquit\n"

        let result = try sandbox.run(["start", "three", "--run", "r1"], input: input)

        XCTAssertEqual(result.status, 3, result.stderr)
        let out = result.stdout
        XCTAssertTrue(out.contains("This is the first step: there is no step before it to go back to."), out)
        XCTAssertTrue(out.contains("`hello` is not a prompt word: nothing was recorded. Type done when the step is done"), out)
        XCTAssertTrue(out.contains("skip needs a reason"), out)
        XCTAssertTrue(out.contains("↶ Back to step 1: First"), out)
        XCTAssertTrue(out.contains("Note kept on this step."), out)
        XCTAssertTrue(out.contains("↷ Skipped: Second"), out)
        XCTAssertTrue(out.contains("Paused at step 3 (Third); progress is saved. Resume with: runbook resume r1"), out)
        XCTAssertEqual(try sandbox.events("r1"), [
            "runStarted", "variableRecorded", "stepCompleted", "stepReopened", "noteAdded", "stepCompleted", "stepSkipped",
            "runPaused",
        ])

        let report = try sandbox.run(["report", "r1"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("- Step 2 (Second) skipped: reason here"), report.stdout)
        XCTAssertTrue(report.stdout.contains("- Step 1 (First), note by tester at "), report.stdout)
        XCTAssertTrue(report.stdout.contains(": some text\n"), report.stdout)
        XCTAssertTrue(report.stdout.contains("| 2 | Second | droplet intelliwatt-smt-proxy | skipped |"), report.stdout)
        XCTAssertTrue(report.stdout.contains("| 3 | Third | droplet intelliwatt-smt-proxy | pending |"), report.stdout)
    }

    func testAChangedRunbookIsNamedOnResumeAndTheWalkGoesOnFromTheFirstPendingStep() throws {
        let sandbox = try Sandbox()
        let file = try sandbox.write("three.md", Fixture.threeSteps)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "r1"], input: "done\nquit\n").status, 3)

        // A new step before the done one, Second's action changed, Third removed.
        var text = sandbox.text(file)
        text = text.replacingOccurrences(of: "## First {#first}", with: """
            ## Zero {#zero}
            Where: PowerShell on your laptop

            ```powershell
            echo zero
            ```

            Expect: `zero`.

            ## First {#first}
            """)
        text = text.replacingOccurrences(of: "echo two", with: "echo TWO, changed")
        let third = try XCTUnwrap(text.range(of: "## Third"))
        text = String(text[..<third.lowerBound])
        try Data(text.utf8).write(to: file)
        XCTAssertEqual(try sandbox.run(["lint", "runbooks/three.md"]).status, 0)

        let resumed = try sandbox.run(["resume", "r1"], input: "done\ndone\n")

        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let out = resumed.stdout
        XCTAssertTrue(out.contains("The runbook changed since this run last saw it"), out)
        XCTAssertTrue(out.contains("  added: zero (Zero)"), out)
        XCTAssertTrue(out.contains("  removed: third (Third)"), out)
        XCTAssertTrue(out.contains("  changed: second (Second)"), out)
        XCTAssertFalse(out.contains("changed: first"), out)
        XCTAssertTrue(out.contains("Going on from the first pending step."), out)
        // The first pending step in the runbook's current order is the new one; First stays done.
        XCTAssertEqual(stepHeadings(out), ["Step 1 of 3 · 1 done, 2 left on this path", "Step 3 of 3 · 2 done, 1 left on this path"])
        XCTAssertTrue(out.contains("Step 1 of 3 · 1 done, 2 left on this path\nWHERE: PowerShell on your laptop\nZero"), out)
        XCTAssertTrue(out.contains("echo TWO, changed"), out)
        XCTAssertTrue(out.contains("Run r1 complete: 3 done, 0 skipped"), out)
        XCTAssertEqual(try sandbox.run(["verify", "r1"]).status, 0)
    }

    // MARK: - Ending runs

    func testAbandon() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "r1"], input: "quit\n").status, 3)

        let abandoned = try sandbox.run(["abandon", "r1", "--reason", "wrong runbook"])

        XCTAssertEqual(abandoned.status, 0, abandoned.stderr)
        XCTAssertTrue(abandoned.stdout.hasPrefix("Run r1 abandoned: wrong runbook."), abandoned.stdout)
        XCTAssertEqual(try sandbox.events("r1").last, "runAbandoned")

        let resumed = try sandbox.run(["resume", "r1"], input: "done\n")
        XCTAssertEqual(resumed.status, 1)
        assertOneErrorLine(resumed, containing: ["run r1 was abandoned (wrong runbook)", "runbook start three"])
        XCTAssertEqual(try sandbox.events("r1").last, "runAbandoned")

        let runs = try sandbox.run(["runs"])
        XCTAssertEqual(runs.status, 0, runs.stderr)
        XCTAssertFalse(runs.stdout.contains("r1"), runs.stdout)
        let all = try sandbox.run(["runs", "--all"])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stdout.hasPrefix("r1  three  abandoned: wrong runbook"), all.stdout)
        let json = try XCTUnwrap(try json(try sandbox.run(["runs", "--all", "--json"]).stdout) as? [[String: Any]])
        XCTAssertEqual(json.first?["status"] as? String, "abandoned")
        XCTAssertEqual(json.first?["abandonReason"] as? String, "wrong runbook")
        XCTAssertEqual(try sandbox.run(["verify", "r1"]).status, 0)
    }

    func testAbandonOfACompletedRunFails() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "r1"], input: "done\ndone\ndone\n").status, 0)
        let before = try sandbox.logData("r1")

        let result = try sandbox.run(["abandon", "r1", "--reason", "too late"])

        XCTAssertEqual(result.status, 1)
        assertOneErrorLine(result, containing: ["run r1 is already completed"])
        XCTAssertEqual(try sandbox.logData("r1"), before)

        let unknown = try sandbox.run(["abandon", "r2", "--reason", "typo"])
        XCTAssertEqual(unknown.status, 1)
        assertOneErrorLine(unknown, containing: ["no run named r2", "did you mean r1?"])
    }

    // MARK: - Reports

    func testMarkdownReportHasARowPerStepAndTheRemarks() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let walk = try sandbox.run(["start", "three", "--run", "r1"],
                                   input: "done\nskip not needed today\nnote checked by hand\ndone\n")
        XCTAssertEqual(walk.status, 0, walk.stderr)

        let report = try sandbox.run(["report", "r1"])

        XCTAssertEqual(report.status, 0, report.stderr)
        let lines = report.outputLines
        XCTAssertEqual(lines.first, "# Run r1: Three steps")
        XCTAssertTrue(lines.contains("- Status: **completed**"), report.stdout)
        XCTAssertTrue(lines.contains("- Steps: 2 done, 1 skipped, 0 pending"), report.stdout)
        XCTAssertTrue(lines.contains("| # | Step | Where | Status | When (UTC) | Who | Took | Check |"), report.stdout)
        let rows = lines.filter { $0.hasPrefix("| 1 |") || $0.hasPrefix("| 2 |") || $0.hasPrefix("| 3 |") }
        XCTAssertEqual(rows.count, 3, report.stdout)
        let expected = [("| 1 | First | PowerShell on your laptop | done | ", 0),
                        ("| 2 | Second | droplet intelliwatt-smt-proxy | skipped | ", 1),
                        ("| 3 | Third | droplet intelliwatt-smt-proxy | done | ", 2)]
        for (prefix, index) in expected where index < rows.count {
            XCTAssertTrue(rows[index].hasPrefix(prefix), rows[index])
            XCTAssertTrue(rows[index].contains(" UTC | tester | "), rows[index])
        }
        XCTAssertTrue(lines.contains("- Step 2 (Second) skipped: not needed today"), report.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("- Step 3 (Third), note by tester at ") && $0.hasSuffix(": checked by hand") },
                      report.stdout)
    }

    func testJSONReportHasEveryKeyWithNullWhereAbsent() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let walk = try sandbox.run(["start", "three", "--run", "r1"], input: "note first thoughts\ndone\nskip not needed\n")
        XCTAssertEqual(walk.status, 3, walk.stderr)

        let report = try sandbox.run(["report", "r1", "--format", "json"])

        XCTAssertEqual(report.status, 0, report.stderr)
        let object = try XCTUnwrap(try json(report.stdout) as? [String: Any])
        XCTAssertEqual(object["run"] as? String, "r1")
        XCTAssertEqual(object["runbook"] as? String, "three")
        XCTAssertEqual(object["title"] as? String, "Three steps")
        XCTAssertEqual(object["status"] as? String, "active")
        XCTAssertEqual(object["operator"] as? String, "tester")
        let startedAt = try XCTUnwrap(object["startedAt"] as? String)
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        XCTAssertNotNil(parser.date(from: startedAt), startedAt)

        let steps = try XCTUnwrap(object["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.count, 3)
        for step in steps {
            for key in ["id", "title", "where", "status", "completedAt", "reason", "notes", "check"] {
                XCTAssertNotNil(step[key], "step lacks `\(key)`: \(step)")
            }
            XCTAssertTrue(step["check"] is NSNull, "\(step)")
        }
        XCTAssertEqual(steps.map { $0["id"] as? String }, ["first", "second", "third"])
        XCTAssertEqual(steps.map { $0["where"] as? String },
                       ["PowerShell on your laptop", "droplet intelliwatt-smt-proxy", "droplet intelliwatt-smt-proxy"])
        XCTAssertEqual(steps.map { $0["status"] as? String }, ["done", "skipped", "pending"])
        XCTAssertNotNil(parser.date(from: steps[0]["completedAt"] as? String ?? ""), "\(steps[0])")
        XCTAssertTrue(steps[2]["completedAt"] is NSNull)
        XCTAssertTrue(steps[0]["reason"] is NSNull)
        XCTAssertEqual(steps[1]["reason"] as? String, "not needed")
        XCTAssertEqual(steps.map { $0["notes"] as? [String] }, [["first thoughts"], [], []])
    }

    // MARK: - The log

    func testVerifyNamesAChangedLine() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "r1"], input: "done\nquit\n").status, 3)
        var lines = try sandbox.logLines("r1")
        XCTAssertTrue(lines[1].contains("127.0.0.1"), lines[1])
        lines[1] = lines[1].replacingOccurrences(of: "127.0.0.1", with: "127.0.0.2")  // one byte
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: sandbox.log("r1"))
        let tampered = try sandbox.logData("r1")

        let result = try sandbox.run(["verify", "r1"])

        XCTAssertEqual(result.status, 1)
        assertOneErrorLine(result, containing: [sandbox.log("r1").path, "line 2 was changed"])
        XCTAssertEqual(try sandbox.logData("r1"), tampered)
    }

    func testAGarbageLineIsReportedWithItsLineAndTheLogIsLeftAlone() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "r1"], input: "done\nquit\n").status, 3)
        var lines = try sandbox.logLines("r1")
        lines.insert("this is not an event", at: 2)
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: sandbox.log("r1"))
        let garbled = try sandbox.logData("r1")

        for arguments in [["status", "r1"], ["report", "r1"], ["report", "r1", "--format", "json"], ["resume", "r1"],
                          ["verify", "r1"], ["abandon", "r1", "--reason", "broken"]] {
            let result = try sandbox.run(arguments, input: "done\ndone\n")
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.all)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
            assertOneErrorLine(result, containing: ["\(sandbox.log("r1").path):3: not a log line"])
            assertNoCrash(result)
            XCTAssertEqual(try sandbox.logData("r1"), garbled, "\(arguments) changed the log")
        }
        for arguments in [["runs"], ["status"]] {
            let result = try sandbox.run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.all)")
            XCTAssertTrue(result.stderr.contains("\(sandbox.log("r1").path):3: not a log line"), result.stderr)
        }
        XCTAssertEqual(try sandbox.logData("r1"), garbled)
    }

    /// Issue 13 item 17: a secret given with `--var` sits in the process list: say so, once, and the safe ways.
    func testASecretGivenWithVarIsSaidToBeVisibleInTheProcessList() throws {
        let sandbox = try Sandbox()
        try sandbox.write("secret.md", Self.secretCheck)
        let warning = "runbook: warning: TOKEN given with --var can be read by any user of this machine in the process list; "
            + "the environment (TOKEN=… runbook …) or the prompt are the safe ways\n"

        let given = try sandbox.run(["start", "secret", "--run", "s1", "--var", "TOKEN=abcdefghijkl"], input: "quit\n")
        XCTAssertEqual(given.status, 3, given.stderr)
        XCTAssertTrue(given.stderr.hasPrefix(warning), given.stderr)
        XCTAssertFalse(given.all.contains("abcdefghijkl"))
        let resumed = try sandbox.run(["resume", "s1", "--var", "TOKEN=abcdefghijkl"], input: "done\n")
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(resumed.stderr, warning)

        let fromEnvironment = try sandbox.run(["start", "secret", "--run", "s2"], input: "done\n", env: ["TOKEN": "abcdefghijkl"])
        XCTAssertEqual(fromEnvironment.status, 0, fromEnvironment.stderr)
        XCTAssertEqual(fromEnvironment.stderr, "")
    }

    func testATornLastLineIsIgnoredThenCutOffByTheNextWalk() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "r1"], input: "done\nquit\n").status, 3)
        let intact = try sandbox.logData("r1")
        let handle = try FileHandle(forWritingTo: sandbox.log("r1"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"v":1,"seq"#.utf8))
        try handle.close()

        let report = try sandbox.run(["report", "r1"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.hasPrefix("# Run r1: Three steps"), report.stdout)
        XCTAssertEqual(report.stderr, "runbook: note: ignoring a torn last line of 11 bytes in \(sandbox.log("r1").path) "
                       + "(a write cut short by a crash, never acknowledged)\n")

        // Issue 13 item 19: a torn last line alone is no damage: it was never acknowledged.
        let verify = try sandbox.run(["verify", "r1"])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertEqual(verify.stderr, "")
        XCTAssertEqual(verify.stdout, """
            \(sandbox.log("r1").path): intact: 4 events, hash chain verified, every event legal.
            The last line is torn (11 bytes, a write cut short by a crash): it was never acknowledged, so nothing is lost; \
            the next walk (`runbook resume r1`) cuts it off.

            """)

        let resumed = try sandbox.run(["resume", "r1"], input: "quit\n")
        XCTAssertEqual(resumed.status, 3, resumed.stderr)
        XCTAssertEqual(resumed.stderr, "runbook: note: cut off a torn last line of 11 bytes in \(sandbox.log("r1").path): "
                       + "a write cut short by a crash, never acknowledged; nothing is lost\n")
        let after = try sandbox.logData("r1")
        XCTAssertEqual(after.prefix(intact.count), intact)
        XCTAssertEqual(after.last, UInt8(ascii: "\n"))
        XCTAssertFalse(String(decoding: after, as: UTF8.self).contains(#"{"v":1,"seq"}"#))
        XCTAssertEqual(try sandbox.events("r1").suffix(2), ["runResumed", "runPaused"])

        let again = try sandbox.run(["verify", "r1"])
        XCTAssertEqual(again.status, 0, again.stderr)
    }

    func testALineOfANewerVersionIsRefusedAndKept() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "r1"], input: "done\nquit\n").status, 3)
        let handle = try FileHandle(forWritingTo: sandbox.log("r1"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"v\":2,\"seq\":5,\"event\":\"somethingNew\"}\n".utf8))
        try handle.close()
        let stored = try sandbox.logData("r1")

        for arguments in [["status", "r1"], ["report", "r1"], ["resume", "r1"], ["verify", "r1"]] {
            let result = try sandbox.run(arguments, input: "done\n")
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.all)")
            assertOneErrorLine(result, containing: ["\(sandbox.log("r1").path):5:", "newer runbook", "format 2"])
            XCTAssertEqual(try sandbox.logData("r1"), stored, "\(arguments) changed the log")
        }
    }

    // MARK: - Starting

    func testARunbookWithLintErrorsCannotBeStarted() throws {
        let sandbox = try Sandbox()
        try sandbox.write("broken.md", "# Broken\n\nNo place.\n\n## Somewhere\n\nExpect: x.\n")

        let result = try sandbox.run(["start", "broken", "--run", "b1"], input: "done\n")

        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, """
            runbooks/broken.md:5:1: error: step "Somewhere" has no Where: line; add one saying where to run it, e.g. "Where: PowerShell on your laptop" [where]
            runbook: error: runbooks/broken.md breaks the house rules (1 error above); fix it, then check with `runbook lint runbooks/broken.md`

            """)
        XCTAssertTrue(result.errorLines.last?.hasPrefix("runbook: error: runbooks/broken.md breaks the house rules") == true,
                      result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.log("b1").path))
    }

    func testVarValuesAreShownAndRecorded() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)

        let result = try sandbox.run(["start", "three", "--run", "r1", "--var", "BASE_URL=http://x.test"],
                                     input: "done\ndone\ndone\n", env: ["BASE_URL": "http://from-env.test"])

        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("```powershell\necho http://x.test\n```"), result.stdout)
        XCTAssertFalse(result.stdout.contains("127.0.0.1:9"), result.stdout)
        XCTAssertFalse(result.stdout.contains("from-env"), result.stdout)
        let lines = try sandbox.logLines("r1")
        XCTAssertTrue(lines[1].contains(#""event":"variableRecorded""#) && lines[1].contains(#""value":"http://x.test""#), lines[1])
        let report = try XCTUnwrap(try json(try sandbox.run(["report", "r1", "--format", "json"]).stdout) as? [String: Any])
        XCTAssertEqual(report["variables"] as? [String: String], ["BASE_URL": "http://x.test"])
    }

    func testAnEnvironmentValueBeatsTheDefault() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)

        let result = try sandbox.run(["start", "three", "--run", "r1"], input: "quit\n", env: ["BASE_URL": "http://from-env.test"])

        XCTAssertEqual(result.status, 3, result.stderr)
        XCTAssertTrue(result.stdout.contains("echo http://from-env.test"), result.stdout)
        XCTAssertTrue(try sandbox.logLines("r1")[1].contains(#""value":"http://from-env.test""#))
    }

    func testAnUndeclaredVarIsAUsageError() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)

        let result = try sandbox.run(["start", "three", "--run", "r1", "--var", "NOPE=1"])

        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stdout, "")
        assertOneErrorLine(result, containing: ["--var NOPE", "declares no variable NOPE", "BASE_URL"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.log("r1").path))
    }

    // MARK: - Secrets

    /// Everything under the state folder, as text.
    func stateText(_ sandbox: Sandbox) -> String {
        let files = FileManager.default.enumerator(at: sandbox.state, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
        return files.map { String(decoding: (try? Data(contentsOf: $0)) ?? Data(), as: UTF8.self) }.joined(separator: "\n")
    }

    func testASecretFromTheEnvironmentPassesTheCheckAndIsNeverWritten() throws {
        let sandbox = try Sandbox()
        try sandbox.write("secret.md", Self.secretCheck)
        let secret = "s3cr3t-value"
        let env = ["TOKEN": secret]
        // `$TOKEN` in an sh check uses the variable: no unused-variable warning.
        let lint = try sandbox.run(["lint", "--strict", "runbooks/secret.md"])
        XCTAssertEqual(lint.status, 0, lint.stdout)

        let walk = try sandbox.run(["start", "secret", "--run", "s1"], input: "note the token is \(secret)\ndone\n", env: env)

        XCTAssertEqual(walk.status, 0, walk.stderr)
        XCTAssertTrue(walk.stdout.contains("✔ Check passed"), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("curl -H \"x-admin-token: {{TOKEN}}\" https://example.test/"), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("note the token is ••••"), walk.stdout)
        XCTAssertEqual(try sandbox.events("s1"), ["runStarted", "noteAdded", "checkPassed", "stepCompleted", "runCompleted"])
        var printed = walk.all
        for arguments in [["report", "s1"], ["report", "s1", "--format", "json"], ["status", "s1"], ["runs", "--all", "--json"],
                          ["verify", "s1"]] {
            let result = try sandbox.run(arguments, env: env)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            printed += result.all
        }
        XCTAssertTrue(printed.contains("the token is ••••"), printed)
        XCTAssertFalse(printed.contains(secret), printed)
        XCTAssertFalse(stateText(sandbox).contains(secret))
        let report = try XCTUnwrap(try json(try sandbox.run(["report", "s1", "--format", "json"]).stdout) as? [String: Any])
        XCTAssertEqual((report["steps"] as? [[String: Any]])?.first?["check"] as? String, "passed")
    }

    func testASecretTypedAtThePromptIsNeitherEchoedNorWritten() throws {
        let sandbox = try Sandbox()
        try sandbox.write("secret.md", Self.secretCheck)
        let secret = "s3cr3t-value"

        let walk = try sandbox.run(["start", "secret", "--run", "s1"], input: "\(secret)\ndone\n")

        XCTAssertEqual(walk.status, 0, walk.stderr)
        XCTAssertTrue(walk.stdout.contains("This step's check needs TOKEN: the admin token. It is typed without echo and kept in memory only.\n"
            + Prompt.question(1, "bash on your laptop", "TOKEN") + "\n\n"), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("✔ Check passed"), walk.stdout)
        XCTAssertFalse(walk.all.contains(secret), walk.all)
        XCTAssertFalse(stateText(sandbox).contains(secret))
    }

    func testAWrongSecretFailsTheCheckWithoutATerminal() throws {
        let sandbox = try Sandbox()
        try sandbox.write("secret.md", Self.secretCheck)
        let wrong = "wrong-value"

        let walk = try sandbox.run(["start", "secret", "--run", "s1"], input: "done\ndone\n", env: ["TOKEN": wrong])

        XCTAssertEqual(walk.status, 1, walk.all)
        XCTAssertTrue(walk.stdout.contains("✘ Check failed: the sh check exited 1"), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("Without a terminal a failed check stops the run; fix it, then: runbook resume s1"), walk.stdout)
        XCTAssertEqual(try sandbox.events("s1"), ["runStarted", "checkFailed"])
        XCTAssertFalse(walk.all.contains(wrong), walk.all)
        XCTAssertFalse(stateText(sandbox).contains(wrong))
        let report = try XCTUnwrap(try json(try sandbox.run(["report", "s1", "--format", "json"]).stdout) as? [String: Any])
        let step = try XCTUnwrap((report["steps"] as? [[String: Any]])?.first)
        XCTAssertEqual(step["check"] as? String, "failed")
        XCTAssertEqual(step["status"] as? String, "pending")
        XCTAssertEqual(report["status"] as? String, "active")
    }
}
