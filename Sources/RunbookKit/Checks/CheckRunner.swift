import Foundation

/// The verdict of a check: passed, or which expectation failed and why, in one line.
public struct CheckResult: Hashable, Sendable {
    public var passed: Bool
    public var message: String
    /// A command the operator can copy to try the same request by hand (secrets left as `{{NAME}}`).
    public var reproduce: String?

    public static func pass(_ message: String = "passed") -> CheckResult { CheckResult(passed: true, message: message) }
    public static func fail(_ message: String) -> CheckResult { CheckResult(passed: false, message: message) }
}

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

/// What a response (or pasted text) is tested against.
public struct Observed: Sendable {
    public var status: Int?
    public var headers: [String: String]
    public var body: String
    /// For pasted text: never show what was seen, it may hold a token.
    public var confidential: Bool

    public init(status: Int? = nil, headers: [String: String] = [:], body: String, confidential: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.confidential = confidential
    }
}

extension Expectation {
    /// Tests every expectation in order; the first that fails is the verdict.
    public static func evaluate(_ expectations: [Expectation], against observed: Observed) -> CheckResult {
        var json: JSONValue??
        for expectation in expectations {
            switch expectation {
            case .status(let code):
                guard observed.status == code else {
                    return .fail("expected status \(code), got \(observed.status.map(String.init) ?? "none")")
                }
            case .headerContains(let name, let text):
                let value = observed.headers.first { $0.key.lowercased() == name.lowercased() }?.value
                guard let value else { return .fail("expected a header \(name), there is none") }
                guard value.contains(text) else { return .fail("expected header \(name) to contain \(text)") }
            case .bodyContains(let text):
                guard observed.body.contains(text) else { return .fail("expected the body to contain \(text)") }
            case .json(let path, let value):
                if json == nil { json = .some(JSONValue.parse(observed.body)) }
                let dotted = path.joined(separator: ".")
                guard let document = json ?? nil else {
                    return .fail("expected JSON with \(dotted) == \(value), but the \(observed.confidential ? "pasted text" : "body") is not JSON")
                }
                guard let actual = document.value(at: path) else { return .fail("expected \(dotted) == \(value), there is no \(dotted)") }
                guard actual == value else {
                    let shown = observed.confidential || actual.description.count > 40 ? "something else" : actual.description
                    return .fail("expected \(dotted) == \(value), got \(shown)")
                }
            }
        }
        return .pass("passed: " + expectations.map(\.description).joined(separator: ", "))
    }
}
