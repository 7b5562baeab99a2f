import RunbookModel
import RunbookRun
import RunbookSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs an `http check` with the system `curl`, the request given as a config on standard input.
///
/// Nothing of the request is on curl's command line (`/proc/PID/cmdline` is readable by every
/// user) or in a file: only `curl -q --config -`. curl's standard error never reaches the
/// terminal: it becomes the one-line verdict. The host process must ignore SIGPIPE (the
/// executable does), in case curl dies before it reads its config.
enum CurlCheck {
    static func run(_ request: HTTPRequest, display: HTTPRequest, expectations: [Expectation], timeout: Double,
                    searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> CheckResult {
        var result = verdict(request, expectations: expectations, timeout: timeout, searchPath: searchPath)
        if !result.passed { result.reproduce = CurlRequest.command(display, timeout: timeout) }
        return result
    }

    private static func verdict(_ request: HTTPRequest, expectations: [Expectation], timeout: Double,
                                searchPath: String?) -> CheckResult {
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            return .fail("`\(request.url)` is not an http(s) URL; check the variables it uses")
        }
        if let problem = CurlRequest.problem(with: request) { return .fail(problem) }
        guard let curl = executable("curl", searchPath: searchPath) else {
            return .fail("curl is not installed (or not on PATH), and the http check runs it: install curl, then retry the check")
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: curl)
        process.arguments = CurlRequest.arguments
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        fflush(nil)
        do {
            try process.run()
        } catch {
            return .fail("cannot run \(curl): \(error.localizedDescription)")
        }
        let pid = process.processIdentifier
        let body = Reader(output.fileHandleForReading, limit: CurlRequest.maxResponseBytes) { kill(pid, SIGKILL) }
        let message = Reader(errors.fileHandleForReading, limit: 64 << 10) { kill(pid, SIGKILL) }
        let config = Data(CurlRequest.config(request, timeout: timeout).utf8)
        // Threads of their own, not the global queue: on 2 cores, two blocked readers use up its
        // width, and a third block (or Process's exit notice) was seen to wait a second for a thread.
        Thread {
            try? input.fileHandleForWriting.write(contentsOf: config)
            try? input.fileHandleForWriting.close()
        }.start()

        // curl's own `max-time` ends it first; this is the backstop for a curl that hangs anyway.
        if finished.wait(timeout: .now() + timeout + 2) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + 1) == .timedOut { kill(pid, SIGKILL) }
            return .fail("no answer from \(host) within \(CurlRequest.seconds(timeout)) s (timed out)")
        }
        let stdout = body.wait(), stderr = message.wait()
        if body.overflowed {
            return .fail("the response from \(host) is larger than \(CurlRequest.maxResponseBytes >> 20) MiB, more than a check reads")
        }
        if process.terminationReason == .uncaughtSignal {
            return .fail("request to \(host) failed: curl was stopped by signal \(process.terminationStatus)")
        }
        let status = process.terminationStatus
        guard status == 0 else {
            return .fail(CurlRequest.describe(exit: status, message: String(decoding: stderr, as: UTF8.self), url: request.url,
                                              host: host, port: url.port, timeout: timeout))
        }
        guard let response = CurlRequest.parse(stdout) else {
            return .fail("request to \(host) failed: curl's output could not be read (is it a curl from before 7.43?)")
        }
        return Expectation.evaluate(expectations, against: Observed(status: response.status, headers: response.headers,
                                                                    body: response.body))
    }

    /// The first executable file `name` in the folders of `searchPath` (a `PATH` value).
    static func executable(_ name: String, searchPath: String?) -> String? {
        for folder in (searchPath ?? "/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false) {
            let path = (folder.isEmpty ? "." : String(folder)) + "/" + name
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
               access(path, X_OK) == 0 {
                return path
            }
        }
        return nil
    }

    /// Reads a pipe to its end on another thread, keeping at most `limit` bytes; past that it calls
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
                    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
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

        /// Everything read, once the pipe has ended (at most 2 s after the writer exited: a child
        /// of curl's could hold the pipe open).
        func wait() -> [UInt8] {
            _ = done.wait(timeout: .now() + 2)
            return data.current.bytes
        }

        var overflowed: Bool { data.current.overflowed }
    }
}
