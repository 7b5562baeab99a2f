import RunbookModel
import RunbookRun
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs the checks that talk to the outside world; passed in, so the walk is tested without a network.
public protocol CheckRunner: Sendable {
    /// Sends the request (variables already substituted) and tests the response.
    ///
    /// `display` is the same request as the operator may see it (secrets still `{{NAME}}`), for the
    /// command a failed check prints to reproduce it.
    func http(_ request: HTTPRequest, display: HTTPRequest, expectations: [Expectation], timeout: Double) -> CheckResult
    /// Runs `script` under `/bin/sh` with `environment` added; exit status 0 passes.
    func shell(_ script: String, environment: [String: String], timeout: Double) -> CheckResult
}
