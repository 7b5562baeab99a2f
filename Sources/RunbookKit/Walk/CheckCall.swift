import RunbookModel
import RunbookSupport

/// A check for the driver to run, values already in place: the walk core asks, a `CheckRunner` runs.
public enum CheckCall: Hashable, Sendable {
    /// `live` is sent; `display` is the same request as the operator may see it (secrets as `{{NAME}}`).
    case http(HTTPRequest, display: HTTPRequest, expectations: [Expectation], timeout: Double)
    /// Values reach the script only through `environment`.
    case shell(String, environment: [String: String], timeout: Double)

    /// The request with every `{{NAME}}` replaced by its value, in one pass (a value holding `{{OTHER}}`
    /// is sent as it is).
    static func live(_ request: HTTPRequest, values: [String: String]) -> HTTPRequest {
        func substitute(_ text: String) -> String { Variable.substituting(text, values: values) }
        return HTTPRequest(method: request.method, url: substitute(request.url),
                           headers: request.headers.map { .init(name: $0.name, value: substitute($0.value)) },
                           body: request.body.map(substitute))
    }

    /// Runs the call with `runner`.
    public func run(with runner: CheckRunner) -> CheckResult {
        switch self {
        case .http(let request, let display, let expectations, let timeout):
            runner.http(request, display: display, expectations: expectations, timeout: timeout)
        case .shell(let script, let environment, let timeout):
            runner.shell(script, environment: environment, timeout: timeout)
        }
    }
}
