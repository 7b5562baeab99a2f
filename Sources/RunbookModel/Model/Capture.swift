import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `Capture: NAME = json PATH` or `Capture: NAME = line /REGEX/`: a value read from a paste check's text
/// (or a run block's output) once the check passes, kept as the variable's value (SPEC 11).
public struct Capture: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        /// The value at a dotted path of the JSON found in the text.
        case json([String])
        /// The first group of the first line the pattern matches (the whole match without a group).
        case line(String)
    }

    public var name: String
    public var source: Source
    public var location: SourceLocation

    public init(name: String, source: Source, location: SourceLocation) {
        self.name = name
        self.source = source
        self.location = location
    }

    /// As written after `Capture:`.
    public var written: String {
        switch source {
        case .json(let path): "\(name) = json \(path.joined(separator: "."))"
        case .line(let pattern): "\(name) = line /\(pattern)/"
        }
    }

    /// Reads the text after `Capture:`.
    public static func parse(_ text: String, at location: SourceLocation) -> Result<Capture, FormatError> {
        let shape = "a capture is written Capture: NAME = json PATH, or Capture: NAME = line /REGEX/"
        guard let equals = text.firstIndex(of: "=") else { return .failure(FormatError(shape)) }
        let name = text[..<equals].trimmed
        guard Variable.isValidName(name) else { return .failure(FormatError(shape + ", NAME in [A-Z_][A-Z0-9_]*")) }
        let rest = text[text.index(after: equals)...].trimmed
        if rest.hasPrefix("json ") {
            let path = rest.dropFirst(5).trimmed
            let keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.isEmpty, !keys.contains(where: \.isEmpty), !path.contains(" ") else {
                return .failure(FormatError("the JSON path `\(path)` is not a dotted path such as `instance.name`"))
            }
            return .success(Capture(name: name, source: .json(keys), location: location))
        }
        if rest.hasPrefix("line ") {
            let pattern = rest.dropFirst(5).trimmed
            guard pattern.count >= 2, pattern.hasPrefix("/"), pattern.hasSuffix("/") else {
                return .failure(FormatError(shape + ": the REGEX between slashes"))
            }
            let inner = String(pattern.dropFirst().dropLast())
            guard (try? Regex(inner)) != nil else {
                return .failure(FormatError("`/\(inner)/` is not a regular expression"))
            }
            return .success(Capture(name: name, source: .line(inner), location: location))
        }
        return .failure(FormatError(shape))
    }

    /// The value the text holds for this capture, or nil when it holds none.
    public func value(in text: String) -> String? {
        switch source {
        case .json(let path):
            guard let found = JSONValue.find(in: text)?.value(at: path) else { return nil }
            switch found {
            case .string(let value): return value.isEmpty ? nil : value
            case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
            case .bool(let value): return String(value)
            case .null, .array, .object: return nil
            }
        case .line(let pattern):
            guard let regex = try? Regex(pattern) else { return nil }
            // Lines are cut at 4 KiB: a pattern that backtracks cannot make a long paste hang the walk.
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                guard let match = try? regex.firstMatch(in: String(line.prefix(4096))) else { continue }
                let group = match.output.count > 1 ? match.output[1].substring : match.output[0].substring
                guard let group else { continue }
                let value = String(group).trimmed
                if !value.isEmpty { return value }
            }
            return nil
        }
    }
}
