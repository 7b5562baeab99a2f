import RunbookModel
import RunbookRun
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs an `http check` with the system `curl`, the request given as a config on standard input.
///
/// Nothing of the request is on curl's command line (`/proc/PID/cmdline` is readable by every
/// user) or in a file: only `curl -q --config -`. curl's standard error never reaches the
/// terminal: it becomes the one-line verdict.
enum CurlCheck {
    static func run(_ request: HTTPRequest, display: HTTPRequest, expectations: [Expectation], timeout: Double,
                    searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> CheckResult {
        var result = verdict(request, expectations: expectations, timeout: timeout, searchPath: searchPath)
        if !result.passed { result.reproduce = Text(CurlRequest.command(display, timeout: timeout), source: .runbook, role: .code) }
        return result
    }

    private static func verdict(_ request: HTTPRequest, expectations: [Expectation], timeout: Double,
                                searchPath: String?) -> CheckResult {
        guard let url = URL(string: request.url), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            return .fail("`\(outside: request.url)` is not an http(s) URL; check the variables it uses")
        }
        if let problem = CurlRequest.problem(with: request) { return .fail(Text(problem, source: .outside)) }
        guard let curl = executable("curl", searchPath: searchPath) else {
            return .fail("curl is not installed (or not on PATH), and the http check runs it: install curl, then retry the check")
        }

        // curl's own `max-time` ends it first; the limit here is the backstop for a curl that hangs anyway.
        let outcome: ChildProcess.Outcome
        switch ChildProcess.run(curl, arguments: CurlRequest.arguments, environment: ProcessInfo.processInfo.environment,
                                input: Array(CurlRequest.config(request, timeout: timeout).utf8),
                                outputLimit: CurlRequest.maxResponseBytes, timeout: timeout + 2) {
        case .failure(.cannotRun(let reason)): return .fail(Text(reason, source: .program))
        case .failure(.interrupted): return .fail("the request to \(outside: host) was \(program: LiveCheckRunner.interrupted)")
        case .failure(.timedOut): return .fail("no answer from \(outside: host) within \(program: CurlRequest.seconds(timeout)) s (timed out)")
        case .success(let ended): outcome = ended
        }
        if outcome.overflowed {
            return .fail("the response from \(outside: host) is larger than \(CurlRequest.maxResponseBytes >> 20) MiB, more than a check reads")
        }
        if outcome.signalled {
            return .fail("request to \(outside: host) failed: curl was stopped by signal \(outcome.status)")
        }
        let stdout = outcome.output, stderr = outcome.errors
        let status = outcome.status
        guard status == 0 else {
            return .fail(CurlRequest.describe(exit: status, message: String(decoding: stderr, as: UTF8.self), url: request.url,
                                              host: host, port: url.port, timeout: timeout))
        }
        guard let response = CurlRequest.parse(stdout) else {
            return .fail("request to \(outside: host) failed: curl's output could not be read (is it a curl from before 7.43?)")
        }
        return Expectation.evaluate(expectations, against: Observed(status: response.status, headers: response.headers,
                                                                    body: response.body))
    }

    /// The first executable file `name` in the folders of `searchPath` (a `PATH` value).
    static func executable(_ name: String, searchPath: String?) -> String? {
        for folder in (searchPath ?? "/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false) {
            let path = (folder.isEmpty ? "." : String(folder)) + "/" + name
            if System.isFolder(path) == false, access(path, X_OK) == 0 {
                return path
            }
        }
        return nil
    }
}
