import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Reads a pipe on its own thread as the child writes it, so a test can wait for text to appear.
final class StreamReader: @unchecked Sendable {
    private let condition = NSCondition()
    private var data = Data()
    private var ended = false

    init(_ handle: FileHandle) {
        let descriptor = handle.fileDescriptor
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                condition.lock()
                if count > 0 { data.append(contentsOf: buffer[0..<count]) } else { ended = true }
                condition.broadcast()
                condition.unlock()
                if count <= 0 { break }
            }
        }
        thread.start()
    }

    /// Everything read so far.
    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// Waits (at most `timeout` seconds) until `predicate` holds for the text read so far; false on timeout or end.
    @discardableResult
    func wait(timeout: Double = 10, until predicate: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if predicate(String(decoding: data, as: UTF8.self)) { return true }
            if ended || Date() >= deadline { return false }
            _ = condition.wait(until: min(deadline, Date().addingTimeInterval(0.5)))
        }
    }

    /// Waits (at most `timeout` seconds) for `text` to appear.
    @discardableResult
    func wait(for text: String, timeout: Double = 10) -> Bool {
        wait(timeout: timeout) { $0.contains(text) }
    }

    /// Waits (at most `timeout` seconds) for the end of the stream; true when it ended.
    func waitForEnd(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !ended {
            if !condition.wait(until: deadline) { return ended }
        }
        return true
    }
}

/// A walk of the built binary that is still running: its stdin to write, its output as it comes.
final class LiveWalk {
    let process: Process
    let arguments: [String]
    private let input: FileHandle
    let out: StreamReader
    let err: StreamReader
    private var finished: (status: Int32, reason: Process.TerminationReason)?

    init(_ sandbox: Sandbox, _ arguments: [String], env: [String: String] = [:]) throws {
        // A write to a walk that has died must fail with EPIPE, not kill the test process.
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
        let (process, stdin, stdout, stderr) = try sandbox.launch(arguments, env: env)
        self.process = process
        self.arguments = arguments
        input = stdin.fileHandleForWriting
        out = StreamReader(stdout.fileHandleForReading)
        err = StreamReader(stderr.fileHandleForReading)
    }

    var pid: pid_t { process.processIdentifier }

    /// Writes `text` to the walk's standard input; false when the walk no longer reads it.
    @discardableResult
    func send(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        let descriptor = input.fileDescriptor
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            bytes = bytes.dropFirst(count)
        }
        return true
    }

    /// Closes standard input: the walk sees the end of its input.
    func closeInput() { try? input.close() }

    func signal(_ number: Int32) { _ = kill(pid, number) }

    /// Waits (at most `timeout` seconds) for the walk to exit, killing it if it does not, and reaps it.
    /// Returns the exit status (or the signal number when `reason` is `.uncaughtSignal`).
    @discardableResult
    func finish(timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line)
        -> (status: Int32, reason: Process.TerminationReason) {
        if let finished { return finished }
        if !out.waitForEnd(timeout: timeout) || !err.waitForEnd(timeout: 2) {
            XCTFail("runbook \(arguments.joined(separator: " ")) did not exit within \(timeout) s; killed it", file: file, line: line)
            _ = kill(pid, SIGKILL)
        }
        process.waitUntilExit()
        closeInput()
        let result = (process.terminationStatus, process.terminationReason)
        finished = result
        return result
    }

    deinit {
        if finished == nil {
            _ = kill(pid, SIGKILL)
            process.waitUntilExit()
            closeInput()
        }
    }
}

/// A seeded pseudo-random generator (SplitMix64): the same seed gives the same test.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    /// How many times `needle` occurs (non-overlapping).
    func count(of needle: String) -> Int {
        var count = 0
        var rest = self[...]
        while let range = rest.range(of: needle) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }
}

/// Reading a run the way an operator would: `status RUN --json` and the log's lines.
extension Sandbox {
    /// The run's object from `status RUN --json`.
    func statusJSON(_ run: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = try self.run(["status", run, "--json"], file: file, line: line)
        XCTAssertEqual(result.status, 0, "status \(run): \(result.stderr)", file: file, line: line)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        let object = (parsed as? [[String: Any]])?.first ?? parsed as? [String: Any]
        return try XCTUnwrap(object, "status \(run) --json printed \(result.stdout)", file: file, line: line)
    }

    /// Steps of a run by status, from `status RUN --json`.
    func stepStatuses(_ run: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let steps = try statusJSON(run, file: file, line: line)["steps"] as? [[String: Any]] ?? []
        return steps.map { $0["status"] as? String ?? "?" }
    }

    /// The complete lines of a run's log, decoded.
    func loggedEvents(_ run: String) throws -> [[String: Any]] {
        let text = try String(contentsOf: log(run), encoding: .utf8)
        return try text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
    }
}
