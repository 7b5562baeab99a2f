import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Parses the content of a check block (`http check`, `paste check`, `sh check`).
enum CheckParser {
    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    static func parse(_ block: CodeBlock) -> Result<Check, CheckSyntaxError> {
        Result { try check(block) }.mapError { $0 as! CheckSyntaxError }
    }

    private static func check(_ block: CodeBlock) throws(CheckSyntaxError) -> Check {
        let kinds = block.info.split(separator: " ").map(String.init).filter { $0 != "check" }
        let start = block.location
        func at(_ index: Int, _ column: Int = 1) -> SourceLocation {
            SourceLocation(line: start.line + 1 + index, column: start.column + column - 1)
        }
        switch kinds.first {
        case "http":
            return try http(block.lines, at: at)
        case "paste":
            var expectations: [Expectation] = []
            for (index, line) in block.lines.enumerated() {
                let trimmed = line.trimmed
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                guard trimmed.hasPrefix("expect ") else {
                    throw CheckSyntaxError("a paste check holds only `expect body contains TEXT` and `expect json PATH == VALUE` lines", at: at(index))
                }
                let expectation = try expect(trimmed, at: at(index))
                switch expectation {
                case .status, .headerContains:
                    throw CheckSyntaxError("a paste check can only expect `body contains` or `json`: there is no status or header in pasted text", at: at(index))
                default: expectations.append(expectation)
                }
            }
            guard !expectations.isEmpty else {
                throw CheckSyntaxError("a paste check needs at least one `expect` line", at: start)
            }
            return .paste(expectations)
        case "sh":
            guard block.lines.contains(where: { !$0.trimmed.isEmpty }) else {
                throw CheckSyntaxError("an sh check needs a script", at: start)
            }
            return .shell(block.text)
        case let other?:
            throw CheckSyntaxError("unknown check kind `\(other)`: write `http check`, `paste check` or `sh check`", at: start)
        case nil:
            throw CheckSyntaxError("a check block needs its kind: write `http check`, `paste check` or `sh check`", at: start)
        }
    }

    private static func http(_ lines: [String], at: (Int, Int) -> SourceLocation) throws(CheckSyntaxError) -> Check {
        var expectations: [Expectation] = []
        var request: HTTPRequest?
        var inBody = false
        var body: [String] = []
        var bodyStart: Int?
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmed
            if trimmed.hasPrefix("expect ") {
                expectations.append(try expect(trimmed, at: at(index, 1)))
                continue
            }
            // No copy of the request is held while its headers grow: each header line appends in place.
            guard request != nil else {
                if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("//") { continue }
                let words = trimmed.split(separator: " ").map(String.init)
                guard words.count == 2 || (words.count == 3 && words[2].hasPrefix("HTTP/")), methods.contains(words[0]) else {
                    throw CheckSyntaxError("an http check starts with a request line `METHOD URL`, e.g. `GET {{BASE_URL}}/health`", at: at(index, 1))
                }
                guard words[1].hasPrefix("http://") || words[1].hasPrefix("https://") || words[1].hasPrefix("{{") else {
                    throw CheckSyntaxError("the URL `\(words[1])` must start with http:// or https://", at: at(index, words[0].count + 2))
                }
                request = HTTPRequest(method: words[0], url: words[1])
                continue
            }
            if inBody {
                if bodyStart == nil, !trimmed.isEmpty { bodyStart = index }
                body.append(line)
            } else if trimmed.isEmpty {
                inBody = true
            } else if let colon = trimmed.firstIndex(of: ":"), colon != trimmed.startIndex,
                      !trimmed[..<colon].contains(" ") {
                let name = String(trimmed[..<colon])
                let value = trimmed[trimmed.index(after: colon)...].trimmed
                request?.headers.append(.init(name: name, value: value))
            } else {
                throw CheckSyntaxError("a header line is `Name: value`; put a blank line before a body", at: at(index, 1))
            }
        }
        guard var request else {
            throw CheckSyntaxError("an http check needs a request line `METHOD URL`", at: at(-1, 1))
        }
        while body.last?.trimmed.isEmpty == true { body.removeLast() }
        if let bodyStart, request.method == "GET" || request.method == "HEAD" {
            throw CheckSyntaxError("a \(request.method) request has no body: remove the lines after the blank line, or use POST", at: at(bodyStart, 1))
        }
        request.body = body.isEmpty ? nil : body.joined(separator: "\n")
        guard !expectations.isEmpty else {
            throw CheckSyntaxError("an http check needs at least one `expect` line, e.g. `expect status 200`", at: at(-1, 1))
        }
        return .http(request, expectations)
    }

    /// TEXT of `contains TEXT`: bare as written, or the text inside double quotes (as in Hurl).
    static func unquoted(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        if case .string(let inside)? = JSONValue.parse(text) { return inside }
        return String(text.dropFirst().dropLast())
    }

    /// One `expect …` line.
    static func expect(_ line: String, at location: SourceLocation) throws(CheckSyntaxError) -> Expectation {
        let words = line.split(separator: " ", maxSplits: 2).map(String.init)
        let usage = "an expectation is `expect status N`, `expect header NAME contains TEXT`, `expect body contains TEXT` or `expect json PATH == VALUE`"
        guard words.count == 3 else { throw CheckSyntaxError(usage, at: location) }
        let rest = words[2].trimmed
        switch words[1] {
        case "status":
            guard let code = Int(rest), (100...599).contains(code) else {
                throw CheckSyntaxError("`expect status` takes an HTTP status code from 100 to 599, not `\(rest)`", at: location)
            }
            return .status(code)
        case "header":
            let parts = rest.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3, parts[1] == "contains" else {
                throw CheckSyntaxError("write `expect header NAME contains TEXT`", at: location)
            }
            return .headerContains(name: parts[0], text: unquoted(parts[2]))
        case "body":
            let text = unquoted(rest.dropFirst(9).trimmed)
            guard rest.hasPrefix("contains "), !text.isEmpty else {
                throw CheckSyntaxError("write `expect body contains TEXT` (TEXT bare, or in double quotes)", at: location)
            }
            return .bodyContains(text)
        case "json":
            let usage = "write `expect json PATH == VALUE`, `expect json PATH exists` or `expect json PATH is KIND` (KIND: "
                + JSONKind.allCases.dropFirst().map(\.rawValue).joined(separator: ", ") + ")"
            let path: String
            let target: (JSONValue?, JSONKind?)
            if let equals = rest.firstRange(of: " == ") {
                path = rest[..<equals.lowerBound].trimmed
                let literal = rest[equals.upperBound...].trimmed
                guard let value = JSONValue.parse(literal) else {
                    throw CheckSyntaxError("`\(literal)` is not a JSON literal: write `false`, `501` or `\"text\"` (strings in double quotes)", at: location)
                }
                target = (value, nil)
            } else if rest.hasSuffix(" exists") {
                path = rest.dropLast(7).trimmed
                target = (nil, .exists)
            } else if let verb = rest.firstRange(of: " is ") {
                path = rest[..<verb.lowerBound].trimmed
                let name = rest[verb.upperBound...].trimmed
                guard let kind = JSONKind(rawValue: name), kind != .exists else {
                    throw CheckSyntaxError("`\(name)` is not a kind of JSON value; " + usage, at: location)
                }
                target = (nil, kind)
            } else {
                throw CheckSyntaxError(usage + ", e.g. `expect json ok == false`", at: location)
            }
            let keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.isEmpty, !keys.contains(where: \.isEmpty), !path.contains(" ") else {
                throw CheckSyntaxError("the JSON path `\(path)` is not a dotted path such as `instructions.dropletHost`", at: location)
            }
            if let value = target.0 { return .json(path: keys, value: value) }
            return .jsonIs(path: keys, kind: target.1 ?? .exists)
        default:
            throw CheckSyntaxError(usage, at: location)
        }
    }
}
