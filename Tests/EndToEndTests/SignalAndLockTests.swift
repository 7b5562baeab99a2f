import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

struct NoPrompt: Error {
    var prompt: String
}

/// A run is locked while walked; signals save progress and exit 130 (SPEC sections 5 and 7).
final class SignalAndLockTests: XCTestCase {
    private func walkWaitingAtPrompt(_ sandbox: Sandbox, _ prompt: String = Prompt.three(1), arguments: [String] = ["start", "three", "--run", "r1"],
                                     file: StaticString = #filePath, line: UInt = #line) throws -> LiveWalk {
        let walk = try LiveWalk(sandbox, arguments)
        if !walk.out.wait(for: prompt, timeout: 15) {
            walk.signal(SIGKILL)
            walk.finish()
            XCTFail("no prompt \(prompt):\n\(walk.out.text)\n\(walk.err.text)", file: file, line: line)
            throw NoPrompt(prompt: prompt)
        }
        return walk
    }

    func testASecondWalkOfALockedRunFailsAtOnceNamingTheHolder() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let first = try walkWaitingAtPrompt(sandbox)
        let holder = "process \(first.pid)"

        let resume = try sandbox.run(["resume", "r1"], input: "done\n", timeout: 10)
        XCTAssertEqual(resume.status, 1, resume.stdout)
        let lines = resume.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line on stderr:\n\(resume.stderr)")
        XCTAssertTrue(lines.first?.hasPrefix("runbook: error: run r1 is being walked by \(holder)") == true, resume.stderr)
        XCTAssertFalse(resume.stdout.contains("Step 1 of 3"), "a locked run must not be walked:\n\(resume.stdout)")

        let start = try sandbox.run(["start", "three", "--run", "r1"], input: "done\n", timeout: 10)
        XCTAssertEqual(start.status, 1, start.stdout)
        XCTAssertTrue(start.stderr.contains(holder), start.stderr)

        // Without a name, resume picks the same run, and is refused the same way.
        let latest = try sandbox.run(["resume"], input: "done\n", timeout: 10)
        XCTAssertEqual(latest.status, 1, latest.stdout)
        XCTAssertTrue(latest.stderr.contains(holder), latest.stderr)

        // The refused walks wrote nothing: the holder goes on and quits cleanly.
        first.send("quit\n")
        let end = first.finish()
        XCTAssertEqual(end.reason, .exit)
        XCTAssertEqual(end.status, 3, first.err.text)
        XCTAssertTrue(first.out.text.contains("Resume with: runbook resume r1"), first.out.text)
        XCTAssertEqual(try sandbox.loggedEvents("r1").compactMap { $0["event"] as? String }.filter { $0 != "variableRecorded" }, ["runStarted", "runPaused"])
        XCTAssertEqual(try sandbox.run(["verify", "r1"]).status, 0)

        // Released: the next walk takes the lock.
        let next = try sandbox.run(["resume", "r1"], input: "done\ndone\ndone\n")
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertTrue(next.stdout.contains("Run r1 complete: 3 done, 0 skipped"), next.stdout)
    }

    func testSIGTERMSavesProgressAndExits130() throws { try interrupt(with: SIGTERM) }
    func testSIGHUPSavesProgressAndExits130() throws { try interrupt(with: SIGHUP) }
    func testSIGINTSavesProgressAndExits130() throws { try interrupt(with: SIGINT) }

    /// A walk at the prompt of step 2 gets `number`: exit 130, how to resume, a runPaused(interrupted) line.
    private func interrupt(with number: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let walk = try walkWaitingAtPrompt(sandbox, file: file, line: line)
        walk.send("done\n")
        XCTAssertTrue(walk.out.wait(for: Prompt.three(2)), walk.out.text, file: file, line: line)
        walk.signal(number)
        let end = walk.finish(file: file, line: line)
        XCTAssertEqual(end.reason, .exit, "killed by the signal instead of handling it", file: file, line: line)
        XCTAssertEqual(end.status, 130, walk.err.text, file: file, line: line)
        XCTAssertTrue(walk.err.text.contains("runbook resume r1"), walk.err.text, file: file, line: line)
        XCTAssertTrue(walk.err.text.contains("step 2 of 3"), walk.err.text, file: file, line: line)

        let events = try sandbox.loggedEvents("r1")
        XCTAssertEqual(events.last?["event"] as? String, "runPaused", file: file, line: line)
        XCTAssertEqual(events.last?["reason"] as? String, "interrupted", file: file, line: line)
        XCTAssertEqual(events.filter { $0["event"] as? String == "runPaused" }.count, 1, "one pause per interrupt", file: file, line: line)
        let verify = try sandbox.run(["verify", "r1"])
        XCTAssertEqual(verify.status, 0, verify.stderr, file: file, line: line)
        XCTAssertEqual(try sandbox.statusJSON("r1")["current"] as? String, "second", file: file, line: line)

        // The lock went with the process: resume continues from the same step.
        let resume = try sandbox.run(["resume", "r1"], input: "done\ndone\n")
        XCTAssertEqual(resume.status, 0, resume.stderr, file: file, line: line)
        XCTAssertTrue(resume.stdout.contains("Step 2 of 3"), resume.stdout, file: file, line: line)
        XCTAssertFalse(resume.stdout.contains("Step 1 of 3"), resume.stdout, file: file, line: line)
        XCTAssertTrue(resume.stdout.contains("Run r1 complete: 3 done, 0 skipped"), resume.stdout, file: file, line: line)
        XCTAssertEqual(try sandbox.run(["verify", "r1"]).status, 0, file: file, line: line)
    }

    func testSIGKILLWhileWaitingLeavesTheLockReleased() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let walk = try walkWaitingAtPrompt(sandbox)
        walk.send("done\n")
        XCTAssertTrue(walk.out.wait(for: Prompt.three(2)), walk.out.text)
        walk.signal(SIGKILL)
        let end = walk.finish()
        XCTAssertEqual(end.reason, .uncaughtSignal)
        XCTAssertEqual(end.status, SIGKILL)
        // No pause was recorded (the process had no chance), and none is needed.
        XCTAssertEqual(try sandbox.loggedEvents("r1").compactMap { $0["event"] as? String }.filter { $0 != "variableRecorded" }, ["runStarted", "stepCompleted"])
        XCTAssertEqual(try sandbox.run(["verify", "r1"]).status, 0)

        // The lock file is left behind, naming a dead process; flock died with it.
        let resume = try sandbox.run(["resume", "r1"], input: "done\ndone\n", timeout: 10)
        XCTAssertEqual(resume.status, 0, resume.stderr)
        XCTAssertTrue(resume.stdout.contains("Step 2 of 3"), resume.stdout)
        XCTAssertTrue(resume.stdout.contains("Run r1 complete: 3 done, 0 skipped"), resume.stdout)
    }

    func testASignalDuringAPipedSecretQuestionIsHandledToo() throws {
        // The walk waits at a question (a secret, before the step's prompt), not at the prompt.
        let sandbox = try Sandbox()
        try sandbox.write("secret.md", """
        # Secret question

        Asks for a secret before the step.

        ## Variables
        - `TOKEN` (secret): a token.

        ## Use it {#use}
        Where: your laptop

        Expect: the check passes.

        ```sh check
        test -n "{{TOKEN}}"
        ```

        """)
        let walk = try LiveWalk(sandbox, ["start", "secret", "--run", "q1"])
        XCTAssertTrue(walk.out.wait(for: Prompt.question(1, "your laptop", "TOKEN")), walk.out.text)
        walk.signal(SIGTERM)
        let end = walk.finish()
        XCTAssertEqual(end.reason, .exit)
        XCTAssertEqual(end.status, 130, walk.err.text)
        XCTAssertTrue(walk.err.text.contains("runbook resume q1"), walk.err.text)
        XCTAssertEqual(try sandbox.run(["verify", "q1"]).status, 0)
        XCTAssertEqual(try sandbox.loggedEvents("q1").compactMap { $0["event"] as? String }.last, "runPaused")
    }
}
