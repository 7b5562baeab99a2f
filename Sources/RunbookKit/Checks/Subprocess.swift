import Foundation
import RunbookSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process run to its end, or stopped at a time limit: what it wrote and how it ended.
///
/// The checks that reach out (`curl`, `/bin/sh`) run through it. Its pipes are read on threads of
/// their own, not the global queue: on 2 cores, two blocked readers use up its width, and a third
/// block (or Process's exit notice) was seen to wait a second for a thread.
struct Subprocess {
    struct Outcome {
        var status: Int32
        /// Ended by a signal (`status` is its number), not by exiting.
        var signalled: Bool
        var output: [UInt8]
        /// Standard error; empty when it is merged into `output`.
        var errors: [UInt8]
        /// `output` passed its limit: the child was killed and the rest dropped.
        var overflowed: Bool
    }

    enum Failure: Error {
        case cannotRun(String)
        /// Still running at the time limit: stopped (SIGTERM, then SIGKILL a second later).
        case timedOut
    }

    /// Runs `executable` with `input` on its standard input (or none), waits at most `timeout` seconds.
    static func run(_ executable: String, arguments: [String], environment: [String: String]? = nil, input: Data? = nil,
                    mergingErrors: Bool, outputLimit: Int, timeout: Double) -> Result<Outcome, Failure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe(), errors = Pipe(), feed = Pipe()
        process.standardOutput = output
        process.standardError = mergingErrors ? output : errors
        process.standardInput = input == nil ? FileHandle.nullDevice : feed
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        fflush(nil)
        do {
            try process.run()
        } catch {
            return .failure(.cannotRun("cannot run \(executable): \(error.localizedDescription)"))
        }
        let pid = process.processIdentifier
        let out = Reader(output.fileHandleForReading, limit: outputLimit) { kill(pid, SIGKILL) }
        let err = mergingErrors ? nil : Reader(errors.fileHandleForReading, limit: 64 << 10) { kill(pid, SIGKILL) }
        if let input {
            Thread {
                try? feed.fileHandleForWriting.write(contentsOf: input)
                try? feed.fileHandleForWriting.close()
            }.start()
        }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + 1) == .timedOut { kill(pid, SIGKILL) }
            return .failure(.timedOut)
        }
        let written = out.wait()
        return .success(Outcome(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                                output: written, errors: err?.wait() ?? [], overflowed: out.overflowed))
    }

    /// Reads a pipe to its end on a thread of its own, keeping at most `limit` bytes; past that it calls
    /// `overflow` once (which stops the writer) and drops the rest.
    private final class Reader: @unchecked Sendable {
        private let data = Locked<(bytes: [UInt8], overflowed: Bool)>(([], false))
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle, limit: Int, overflow: @escaping @Sendable () -> Void) {
            let descriptor = handle.fileDescriptor
            Thread { [data, done] in
                var bytes: [UInt8] = []
                var overflowed = false
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let count = buffer.withUnsafeMutableBytes { System.read(descriptor, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    if overflowed { continue }
                    if bytes.count + count > limit {
                        overflowed = true
                        overflow()
                        continue
                    }
                    bytes += buffer[0..<count]
                }
                // Held to here, the handle keeps the descriptor open (not reused) until the pipe ended.
                withExtendedLifetime(handle) {}
                data.current = (bytes, overflowed)
                done.signal()
            }.start()
        }

        /// Everything read, once the pipe has ended (at most 2 s after the child exited: a child of
        /// its own could hold the pipe open).
        func wait() -> [UInt8] {
            _ = done.wait(timeout: .now() + 2)
            return data.current.bytes
        }

        var overflowed: Bool { data.current.overflowed }
    }
}
