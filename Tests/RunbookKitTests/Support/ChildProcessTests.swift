import Dispatch
import RunbookSupport
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class ChildProcessTests: XCTestCase {
    private func sh(_ script: String, environment: [String: String] = ["PATH": "/usr/bin:/bin"], input: [UInt8]? = nil,
                    merging: Bool = false, limit: Int = 1 << 20, timeout: Double = 10) -> Result<ChildProcess.Outcome, ChildProcess.Failure> {
        ChildProcess.run("/bin/sh", arguments: ["-c", script], environment: environment, input: input,
                         mergingErrors: merging, outputLimit: limit, timeout: timeout)
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// True once the process `pid` has ended (waits up to 2 s): it is gone, or a zombie left for
    /// whichever process adopted it to reap.
    static func ended(_ pid: pid_t) -> Bool {
        for _ in 0..<200 {
            if kill(pid, 0) != 0 && errno == ESRCH { return true }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if stat.split(separator: ")").last?.split(separator: " ").first == "Z" { return true }
            usleep(10_000)
        }
        return false
    }

    private func gone(_ pid: pid_t) -> Bool { Self.ended(pid) }

    func testOutputAndErrorsAreKeptApartOrMerged() throws {
        let apart = try sh("echo out; echo err >&2; exit 3").get()
        XCTAssertEqual(apart, ChildProcess.Outcome(status: 3, signalled: false, output: Array("out\n".utf8),
                                                   errors: Array("err\n".utf8), overflowed: false))
        let merged = try sh("echo out; echo err >&2", merging: true).get()
        XCTAssertEqual(text(merged.output), "out\nerr\n")
        XCTAssertEqual(merged.errors, [])
    }

    func testStandardInputIsFedFromTheBufferOrIsEmpty() throws {
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 300_000) + Array("\nend\n".utf8)
        XCTAssertEqual(text(try sh("wc -c; tail -n 1", input: big).get().output), "300005\n")
        XCTAssertEqual(text(try sh("tail -n 1", input: Array("a\nlast\n".utf8)).get().output), "last\n")
        XCTAssertEqual(text(try sh("cat; echo done").get().output), "done\n")
        // A child that never reads its input: the unread buffer is dropped, the test process lives on.
        XCTAssertEqual(try sh("exit 0", input: big).get().status, 0)
    }

    func testTheEnvironmentIsExactlyTheOneGivenNeverTheCommandLine() throws {
        let outcome = try sh("env | sort; cat /proc/$$/cmdline | tr '\\0' ' '",
                             environment: ["TOKEN": "s3cr3t value"]).get()
        let lines = text(outcome.output).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.filter { $0.hasPrefix("TOKEN=") }, ["TOKEN=s3cr3t value"])
        XCTAssertFalse(lines.contains { $0.hasPrefix("HOME=") }, "the test's own environment leaked: \(lines)")
        XCTAssertFalse(lines.last?.contains("s3cr3t") ?? true)
    }

    func testEachChildLeadsAProcessGroupOfItsOwn() throws {
        let outcome = try sh("echo $$ $(cut -d' ' -f5 /proc/$$/stat)").get()
        let numbers = text(outcome.output).split(separator: " ").map { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(numbers.count, 2)
        XCTAssertEqual(numbers[0], numbers[1], "the child is not its group's leader")
        XCTAssertNotEqual(numbers[1], getpgrp())
        XCTAssertEqual(RunningChildren.groups, [], "a finished child is still recorded")
    }

    func testATimeLimitEndsTheWholeGroupWithinASecond() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pidFile = folder.appendingPathComponent("pid").path
        let started = DispatchTime.now()
        XCTAssertEqual(sh("sleep 30 & echo $! > \(pidFile); wait", timeout: 0.2), .failure(.timedOut))
        XCTAssertLessThan(Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9, 2.5)
        let background = try XCTUnwrap(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertTrue(gone(background), "the check's background sleep survived its time limit")
    }

    func testAChildIgnoringSIGTERMIsKilledASecondLater() {
        XCTAssertEqual(sh("trap '' TERM; sleep 30", timeout: 0.3), .failure(.timedOut))
    }

    func testSignalsTheParentIgnoresAndBlocksAreBackToTheirDefaultsInTheChild() throws {
        // The executable ignores and blocks SIGTERM (its signal sources read it); the check must not inherit that.
        signal(SIGTERM, SIG_IGN)
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        defer {
            pthread_sigmask(SIG_UNBLOCK, &blocked, nil)
            signal(SIGTERM, SIG_DFL)
        }
        let outcome = try sh("kill -TERM $$; sleep 5").get()
        XCTAssertEqual(outcome.signalled, true)
        XCTAssertEqual(outcome.status, SIGTERM)
    }

    func testOutputPastItsLimitStopsTheChild() throws {
        let outcome = try sh("yes", limit: 100_000, timeout: 10).get()
        XCTAssertTrue(outcome.overflowed)
        XCTAssertLessThanOrEqual(outcome.output.count, 100_000)
    }

    func testAMissingProgramCannotRunWithOneLine() {
        XCTAssertEqual(ChildProcess.run("/nonexistent/tool", environment: [:], outputLimit: 10, timeout: 1),
                       .failure(.cannotRun("cannot run /nonexistent/tool: No such file or directory")))
    }

    func testAValueWithANULIsRefusedNotCutShort() {
        XCTAssertEqual(sh("exit 0", environment: ["V": "a\u{0}b"]),
                       .failure(.cannotRun("cannot run /bin/sh: an argument or a value holds a NUL character")))
    }

    func testInterruptRunningStopsTheChildAndItsGroup() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pidFile = folder.appendingPathComponent("pid").path
        let result = Locked<Result<ChildProcess.Outcome, ChildProcess.Failure>?>(nil)
        let done = DispatchSemaphore(value: 0)
        System.startThread {
            result.current = ChildProcess.run("/bin/sh", arguments: ["-c", "sleep 30 & echo $! > \(pidFile); wait"],
                                              environment: [:], outputLimit: 100, timeout: 30)
            done.signal()
        }
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: pidFile) || RunningChildren.groups.isEmpty {
            usleep(10_000)
        }
        usleep(20_000)
        RunningChildren.interruptRunning()
        XCTAssertEqual(done.wait(timeout: .now() + 3), .success, "the interrupted child was still waited for")
        XCTAssertEqual(result.current, .failure(.interrupted))
        let background = try XCTUnwrap(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertTrue(gone(background), "the interrupted check's background sleep survived")
        // Interrupting is not closing: the next child runs.
        XCTAssertEqual(try sh("echo again").get().output, Array("again\n".utf8))
    }

    func testATerminalChildSeesATerminalAndPrintsThroughIt() throws {
        let child = try TerminalChild.start("/bin/sh", arguments: ["-c", "if [ -t 0 ] && [ -t 1 ]; then echo on-a-terminal; else echo no-terminal; fi; read line; echo got:$line"],
                                            environment: ["PATH": "/usr/bin:/bin"]).get()
        child.write(Array("typed\n".utf8))
        let output = text(child.readToEnd())
        XCTAssertEqual(child.wait(timeout: 5).status, 0)
        // The terminal echoes what was typed, and turns each "\n" into "\r\n".
        XCTAssertEqual(output.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n").filter { $0 != "typed" },
                       ["on-a-terminal", "got:typed"])
        XCTAssertEqual(RunningChildren.groups, [])
    }
}
