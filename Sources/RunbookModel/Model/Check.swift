import RunbookSupport
/// What a check block asks the CLI to verify.
public enum Check: Hashable, Sendable {
    /// `http check`: send a request, then test the response.
    case http(HTTPRequest, [Expectation])
    /// `paste check`: the operator pastes what they saw; test the text.
    case paste([Expectation])
    /// `sh check`: run the script under `/bin/sh`; exit status 0 passes.
    case shell(String)

    /// A one-line summary for `show` and the walk, e.g. `http GET …/token: status 501, json ok == false`.
    public var summary: String {
        switch self {
        case .http(let request, let expectations):
            return "http \(request.method) \(request.url)" + Expectation.summary(expectations)
        case .paste(let expectations):
            return "paste what you saw" + Expectation.summary(expectations)
        case .shell(let script):
            let first = script.split(separator: "\n").first.map(String.init) ?? ""
            return "sh `\(first)`" + (script.contains("\n") ? " …" : "") + ": exit status 0"
        }
    }

    public var kindName: String {
        switch self {
        case .http: "http"
        case .paste: "paste"
        case .shell: "sh"
        }
    }
}

/// The request of an `http check`, in the `.http` file convention.
public struct HTTPRequest: Hashable, Sendable {
    public struct Header: Hashable, Sendable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var method: String
    public var url: String
    public var headers: [Header]
    public var body: String?

    public init(method: String, url: String, headers: [Header] = [], body: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// One `expect …` line of a check.
public enum Expectation: Hashable, Sendable, CustomStringConvertible {
    case status(Int)
    case headerContains(name: String, text: String)
    case bodyContains(String)
    /// `expect json PATH == VALUE`; the path is split on dots.
    case json(path: [String], value: JSONValue)
    /// `expect json PATH exists`, `expect json PATH is non-empty string`, …
    case jsonIs(path: [String], kind: JSONKind)

    public var description: String {
        switch self {
        case .status(let code): "status \(code)"
        case .headerContains(let name, let text): "header \(name) contains \(text)"
        case .bodyContains(let text): "body contains \(text)"
        case .json(let path, let value): "json \(path.joined(separator: ".")) == \(value)"
        case .jsonIs(let path, .exists): "json \(path.joined(separator: ".")) exists"
        case .jsonIs(let path, let kind): "json \(path.joined(separator: ".")) is \(kind.rawValue)"
        }
    }

    static func summary(_ expectations: [Expectation]) -> String {
        expectations.isEmpty ? "" : ": " + expectations.map(\.description).joined(separator: ", ")
    }
}

/// What `expect json PATH is KIND` (or `exists`) asks of the value at PATH.
public enum JSONKind: String, Hashable, Sendable, CaseIterable {
    case exists
    case string
    /// A string with at least one character: "the token is there", not merely the key.
    case nonEmptyString = "non-empty string"
    case number
    case boolean
    case null
    case object
    case array

    public func admits(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.exists, _), (.string, .string), (.number, .number), (.boolean, .bool), (.null, .null),
             (.object, .object), (.array, .array):
            true
        case (.nonEmptyString, .string(let text)):
            !text.isEmpty
        default:
            false
        }
    }
}

/// Why a check block is malformed, and on which line.
public struct CheckSyntaxError: Error, Hashable, Sendable {
    public var message: String
    public var location: SourceLocation

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }
}
