import RunbookSupport
/// The shape a variable's value must have, from `Format:` in its declaration.
///
/// Checked on every source of a value (`--var`, the environment, a recorded value, a prompt), so a
/// token pasted with a character missing is refused where it is typed, not at the check that uses it.
public enum ValueFormat: Hashable, Sendable, CustomStringConvertible {
    /// `Format: 64 characters`, `Format: 32 to 64 characters`, `Format: at least 8 characters`.
    case length(min: Int, max: Int?)
    /// `Format: URL`: an `http://` or `https://` URL with a host.
    case url
    /// ``Format: `^[0-9a-f]{64}$` ``: a regular expression the whole value must match, matched by
    /// `LinearPattern` in time linear in the value.
    case pattern(String)

    /// Reads the text after `Format:`; the error says what forms exist.
    public static func parse(_ text: String) -> Result<ValueFormat, FormatError> {
        let usage = "write `Format: 64 characters`, `Format: 8 to 64 characters`, `Format: at least 8 characters`, `Format: URL` or a pattern in backticks"
        let trimmed = text.trimmed
        if trimmed.count >= 2, trimmed.hasPrefix("`"), trimmed.hasSuffix("`") {
            let pattern = String(trimmed.dropFirst().dropLast())
            guard !pattern.isEmpty else { return .failure(FormatError("the pattern is empty; " + usage)) }
            do {
                _ = try LinearPattern(pattern)
            } catch {
                return .failure(FormatError("`\(pattern)` is not a regular expression this runbook can use: \(error.message)"))
            }
            return .success(.pattern(pattern))
        }
        if trimmed.lowercased() == "url" { return .success(.url) }
        let words = trimmed.split(separator: " ").map { $0.lowercased() }
        guard let unit = words.last, unit == "characters" || unit == "character" else { return .failure(FormatError(usage)) }
        let numbers = words.dropLast()
        switch numbers.count {
        case 1:
            if let count = Int(numbers[numbers.startIndex]), count > 0 { return .success(.length(min: count, max: count)) }
        case 3 where numbers[numbers.startIndex] == "at" && numbers[numbers.startIndex + 1] == "least":
            if let count = Int(numbers[numbers.startIndex + 2]), count > 0 { return .success(.length(min: count, max: nil)) }
        case 3 where numbers[numbers.startIndex + 1] == "to":
            if let low = Int(numbers[numbers.startIndex]), let high = Int(numbers[numbers.startIndex + 2]), 0 < low, low <= high {
                return .success(.length(min: low, max: high))
            }
        default: break
        }
        return .failure(FormatError(usage))
    }

    /// Why `value` does not fit, in words that never repeat the value; nil when it fits.
    public func problem(with value: String) -> String? {
        switch self {
        case .length(let low, let high):
            let count = value.count
            if count >= low, high.map({ count <= $0 }) ?? true { return nil }
            return "it has \(count) character\(count == 1 ? "" : "s"), not \(self)"
        case .url:
            let lower = value.lowercased()
            for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
                let host = value.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
                if !host.isEmpty, !value.contains(where: \.isWhitespace) { return nil }
            }
            return "it is not an http:// or https:// URL"
        case .pattern(let pattern):
            // Matched in linear time: a pattern such as `(a+)+b` must not hang lint or a walk.
            if value.unicodeScalars.count > LinearPattern.maxValue {
                return "it is longer than \(LinearPattern.maxValue) characters, more than a pattern is tested on"
            }
            guard let compiled = try? LinearPattern(pattern), compiled.wholeMatch(value) else {
                return "it does not match `\(pattern)`"
            }
            return nil
        }
    }

    public var description: String {
        switch self {
        case .length(let low, let high?) where low == high: "\(low) character\(low == 1 ? "" : "s")"
        case .length(let low, let high?): "\(low) to \(high) characters"
        case .length(let low, nil): "at least \(low) characters"
        case .url: "an http(s) URL"
        case .pattern(let pattern): "`\(pattern)`"
        }
    }
}

/// Why the text after `Format:` is not a format.
public struct FormatError: Error, Hashable, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}
