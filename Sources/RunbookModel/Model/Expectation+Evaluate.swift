import RunbookSupport
/// A check's verdict.
public struct CheckResult: Hashable, Sendable {
    public var passed: Bool
    /// For the screen: what was expected and what came instead; strings from the response or paste are
    /// marked as from outside, so the renderer masks them before it cuts them.
    public var message: Text
    /// For the log and the report: numbers, booleans and null as they came, but never a string from a
    /// response body or a paste (it may hold a token).
    public var recorded: Text
    /// A command the operator can copy to try the same request by hand (secrets read from the
    /// environment as `$NAME`); shown under a failure, never recorded.
    public var reproduce: Text?
    /// The response's status, for an http check that got one.
    public var status: Int?

    public init(passed: Bool, message: Text, recorded: Text? = nil, status: Int? = nil) {
        self.passed = passed
        self.message = message
        self.recorded = recorded ?? message
        self.status = status
    }

    public static func pass(_ message: Text = "passed") -> CheckResult { CheckResult(passed: true, message: message) }
    public static func fail(_ message: Text, recorded: Text? = nil) -> CheckResult {
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
        var result = verdict(expectations, against: observed)
        result.status = observed.status
        return result
    }

    private static func verdict(_ expectations: [Expectation], against observed: Observed) -> CheckResult {
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
                    return .fail("expected status \(code), got \(program: observed.status.map(String.init) ?? "none")")
                }
            case .headerContains(let name, let text):
                let value = observed.headers.first { $0.key.lowercased() == name.lowercased() }?.value
                guard let value else { return .fail("expected a header \(runbook: name), there is none") }
                guard value.contains(text) else {
                    let expected: Text = "expected header \(runbook: name) to contain \(runbook: text)"
                    return .fail(expected + ", got " + quoted(value), recorded: expected)
                }
            case .bodyContains(let text):
                guard observed.body.contains(text) else {
                    let expected: Text = "expected the \(program: source) to contain \(runbook: text)"
                    if observed.pasted || observed.body.isEmpty { return .fail(expected + (observed.body.isEmpty ? ", got nothing" : "")) }
                    return .fail(expected + "; it begins " + quoted(observed.body), recorded: expected)
                }
            case .json(let path, let value):
                let dotted = path.joined(separator: ".")
                guard let document = document() else {
                    return .fail("expected JSON with \(runbook: dotted) == \(runbook: value.description), but the \(program: source) \(program: observed.pasted ? "holds no" : "is not") JSON")
                }
                guard let actual = document.value(at: path) else { return .fail("expected \(runbook: dotted) == \(runbook: value.description), there is no \(runbook: dotted)") }
                guard actual == value else {
                    return .fail("expected \(runbook: dotted) == \(runbook: value.description), got \(shown(actual))",
                                 recorded: "expected \(runbook: dotted) == \(runbook: value.description), got \(program: kept(actual))")
                }
            case .jsonIs(let path, let kind):
                let dotted = path.joined(separator: ".")
                let wanted: Text = kind == .exists ? "\(runbook: dotted) to exist" : "\(runbook: dotted) to be a \(program: kind.rawValue)"
                guard let document = document() else {
                    return .fail("expected JSON with \(wanted), but the \(program: source) \(program: observed.pasted ? "holds no" : "is not") JSON")
                }
                guard let actual = document.value(at: path) else { return .fail("expected \(wanted), there is no \(runbook: dotted)") }
                guard kind.admits(actual) else {
                    return .fail("expected \(wanted), got \(shown(actual))", recorded: "expected \(wanted), got \(program: kept(actual))")
                }
            }
        }
        return .pass("passed: \(runbook: expectations.map(\.description).joined(separator: ", "))")
    }

    /// A value as the screen shows it: strings from outside, cut at 60 characters once masked.
    static func shown(_ value: JSONValue) -> Text {
        switch value {
        case .string(let text) where text.isEmpty: "an empty string"
        case .null, .bool, .number: Text(value.description, source: .program)
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

    /// Text from outside, shown on one line and cut at 60 characters by the renderer, after masking.
    /// Only its first 4 KiB are kept: no part of what is cut off can show.
    static func quoted(_ text: String) -> Text {
        Text(String(text.prefix(4096)), source: .outside, limit: 60)
    }
}
