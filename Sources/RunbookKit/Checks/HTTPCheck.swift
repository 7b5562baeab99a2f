import RunbookModel
import RunbookRun
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs `http check` and `sh check` for real: the system `curl` and `/bin/sh`.
public struct LiveCheckRunner: CheckRunner {
    public init() {}

    public func http(_ request: HTTPRequest, display: HTTPRequest, expectations: [Expectation], timeout: Double) -> CheckResult {
        CurlCheck.run(request, display: display, expectations: expectations, timeout: timeout)
    }

    /// How a check stopped by Ctrl-C ends its verdict (`RunningChildren.interruptRunning()`).
    public static let interrupted = "stopped (Ctrl-C)"

    static func seconds(_ timeout: Double) -> String {
        CurlRequest.seconds(timeout) + " s"
    }

    public func shell(_ script: String, environment: [String: String], timeout: Double) -> CheckResult {
        ShellCheck.run(script, environment: environment, timeout: timeout)
    }
}
