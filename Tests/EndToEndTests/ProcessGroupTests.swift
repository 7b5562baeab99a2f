import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A check's processes end with the check (issue 13 item 9): each check runs in a process group of its own,
/// ended when runbook is told to stop (SIGTERM) and when the operator stops the check (SIGINT, Ctrl-C).
final class ProcessGroupTests: XCTestCase {
    /// An sh check that records its shell's process id, then sleeps.
    static func sleeper(pidFile: String) -> String {
        """
        # Sleeper

        A check that takes its time.

        ## Wait {#wait}
        Where: bash on your laptop

        Expect: the check passes.

        ```sh check
        echo $$ > \(pidFile); sleep 45
        ```

        """
    }

    /// The processes of group `group` that have not ended (zombies waiting to be reaped count as ended).
    static func living(inGroup group: pid_t) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int32($0) != nil }.compactMap { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let fields = stat.split(separator: ")").last?.split(separator: " "), fields.count > 2,
                  fields[0] != "Z", Int32(fields[2]) == group else { return nil }
            return pid + " " + stat.prefix { $0 != ")" } + ")"
        }
    }

    func testSIGTERMDuringAnShCheckEndsTheChecksWholeProcessGroup() throws { try interruptCheck(with: SIGTERM) }

    /// Ctrl-C during a check stops the check only (SPEC 6): its group ends, the walk is back at the step's prompt.
    func testSIGINTDuringAnShCheckEndsTheChecksWholeProcessGroupAndReturnsToThePrompt() throws {
        let sandbox = try Sandbox()
        let (walk, checkGroup) = try walkInCheck(sandbox)
        walk.signal(SIGINT)
        let prompt = Prompt.step(1, "bash on your laptop")
        XCTAssertTrue(walk.out.wait { $0.count(of: prompt) >= 2 }, walk.out.text + walk.err.text)
        XCTAssertTrue(walk.out.text.hasSuffix(prompt + "done\nChecking: running the sh check …\n\n"
            + "Check stopped (Ctrl-C); nothing was recorded. Back at the step: done or check runs it again.\n" + prompt), walk.out.text)
        XCTAssertEqual(Self.living(inGroup: checkGroup), [], "the check outlived its Ctrl-C")
        walk.send("quit\n")
        let end = walk.finish()
        XCTAssertEqual(end.reason, .exit)
        XCTAssertEqual(end.status, 3, walk.out.text + walk.err.text)
        XCTAssertEqual(walk.err.text, "")
        XCTAssertEqual(try sandbox.events("r"), ["runStarted", "runPaused"], "the stopped check is no verdict")
    }

    /// A walk of the sleeper whose check is running: the walk and the check's process group.
    private func walkInCheck(_ sandbox: Sandbox, file: StaticString = #filePath, line: UInt = #line) throws -> (LiveWalk, pid_t) {
        let pidFile = sandbox.root.appendingPathComponent("check.pid").path
        try sandbox.write("sleeper.md", Self.sleeper(pidFile: pidFile))
        let walk = try LiveWalk(sandbox, ["start", "sleeper", "--run", "r"])
        XCTAssertTrue(walk.out.wait(for: Prompt.step(1, "bash on your laptop")), walk.out.text + walk.err.text, file: file, line: line)
        walk.send("done\n")
        var group: pid_t?
        for _ in 0..<1000 {
            group = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let group, Self.living(inGroup: group).count >= 2 { break }
            usleep(10_000)
        }
        let checkGroup = try XCTUnwrap(group, "the sh check never started:\n\(walk.out.text)", file: file, line: line)
        XCTAssertNotEqual(checkGroup, getpgid(walk.pid), "the check shares runbook's process group", file: file, line: line)
        return (walk, checkGroup)
    }

    private func interruptCheck(with number: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
        let sandbox = try Sandbox()
        let (walk, checkGroup) = try walkInCheck(sandbox, file: file, line: line)
        walk.signal(number)
        let end = walk.finish(file: file, line: line)
        XCTAssertEqual(end.reason, .exit, file: file, line: line)
        XCTAssertEqual(end.status, 130, walk.out.text + walk.err.text, file: file, line: line)
        XCTAssertEqual(Self.living(inGroup: checkGroup), [], "the check outlived runbook", file: file, line: line)
        // The stopped check is no verdict: nothing after the interrupt's pause was recorded.
        let events = try sandbox.events("r")
        XCTAssertEqual(events.last, "runPaused", file: file, line: line)
        XCTAssertFalse(events.contains("checkFailed"), "\(events)", file: file, line: line)
    }
}
