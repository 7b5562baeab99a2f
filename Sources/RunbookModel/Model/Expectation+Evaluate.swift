import RunbookSupport
import Foundation

/// The verdict of a check: passed, or which expectation failed and why, in one line.
public struct CheckResult: Hashable, Sendable {
    public var passed: Bool
    /// For the screen: what was expected and what came instead, strings from the response or paste included.
    public var message: String
    /// For the log and the report: numbers, booleans and null as they came, but never a string from a
    /// response body or a paste (it may hold a token).
    public var recorded: String
    /// A command the operator can copy to try the same request by hand (secrets left as `{{NAME}}`);
    /// shown under a failure, never recorded.
    public var reproduce: String?

    public init(passed: Bool, message: String, recorded: String? = nil) {
        self.passed = passed
        self.message = message
        self.recorded = recorded ?? message
    }

    public static func pass(_ message: String = "passed") -> CheckResult { CheckResult(passed: true, message: message) }
    public static func fail(_ message: String, recorded: String? = nil) -> CheckResult {
        CheckResult(passed: false, message: message, recorded: recorded)
    }
}

/// What a response (or pasted text) is tested against.
public struct Observed: Sendable {
    public var status: Int?
    public var headers: [String: String]
    public var body: String
    /// Text the operator pasted: JSON expectations look for the JSON value inside it (a terminal
    /// selection holds a prompt line before it and a shell prompt after it).
    public var pasted: Bool

    public init(status: Int? = nil, headers: [String: String] = [:], body: String, pasted: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.pasted = pasted
    }
}

extension Expectation {
    /// Tests every expectation in order; the first that fails is the verdict, with what came instead.
    public static func evaluate(_ expectations: [Expectation], against observed: Observed) -> CheckResult {
        let source = observed.pasted ? "pasted text" : "body"
        var json: JSONValue??
        func document() -> JSONValue? {
            if json == nil { json = .some(observed.pasted ? JSONValue.find(in: observed.body) : JSONValue.parse(observed.body)) }
            return json ?? nil
        }
        for expectation in expectations {
            switch expectation {
            case .status(let code):
                guard observed.status == code else {
                    return .fail("expected status \(code), got \(observed.status.map(String.init) ?? "none")")
                }
            case .headerContains(let name, let text):
                let value = observed.headers.first { $0.key.lowercased() == name.lowercased() }?.value
                guard let value else { return .fail("expected a header \(name), there is none") }
                guard value.contains(text) else {
                    let expected = "expected header \(name) to contain \(text)"
                    return .fail(expected + ", got " + quoted(value), recorded: expected)
                }
            case .bodyContains(let text):
                guard observed.body.contains(text) else {
                    let expected = "expected the \(source) to contain \(text)"
                    if observed.pasted || observed.body.isEmpty { return .fail(expected + (observed.body.isEmpty ? ", got nothing" : "")) }
                    return .fail(expected + "; it begins " + quoted(observed.body), recorded: expected)
                }
            case .json(let path, let value):
                let dotted = path.joined(separator: ".")
                guard let document = document() else {
                    return .fail("expected JSON with \(dotted) == \(value), but the \(source) \(observed.pasted ? "holds no" : "is not") JSON")
                }
                guard let actual = document.value(at: path) else { return .fail("expected \(dotted) == \(value), there is no \(dotted)") }
                guard actual == value else {
                    return .fail("expected \(dotted) == \(value), got \(shown(actual))",
                                 recorded: "expected \(dotted) == \(value), got \(kept(actual))")
                }
            case .jsonIs(let path, let kind):
                let dotted = path.joined(separator: ".")
                let wanted = kind == .exists ? "\(dotted) to exist" : "\(dotted) to be a \(kind.rawValue)"
                guard let document = document() else {
                    return .fail("expected JSON with \(wanted), but the \(source) \(observed.pasted ? "holds no" : "is not") JSON")
                }
                guard let actual = document.value(at: path) else { return .fail("expected \(wanted), there is no \(dotted)") }
                guard kind.admits(actual) else {
                    return .fail("expected \(wanted), got \(shown(actual))", recorded: "expected \(wanted), got \(kept(actual))")
                }
            }
        }
        return .pass("passed: " + expectations.map(\.description).joined(separator: ", "))
    }

    /// A value as the screen shows it: strings quoted and cut at 60 characters.
    static func shown(_ value: JSONValue) -> String {
        switch value {
        case .string(let text) where text.isEmpty: "an empty string"
        case .null, .bool, .number: value.description
        default: quoted(value.description)
        }
    }

    /// A value as the log keeps it: numbers, booleans and null as they are, the kind of anything else.
    static func kept(_ value: JSONValue) -> String {
        switch value {
        case .null, .bool, .number: value.description
        case .string(let text): text.isEmpty ? "an empty string" : "a string (shown on screen only)"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Text on one line, cut at 60 characters.
    static func quoted(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count > 60 ? String(line.prefix(60)) + "…" : line
    }
}
