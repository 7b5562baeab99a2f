/// A variable declared under `## Variables`.
public struct Variable: Hashable, Sendable {
    public var name: String
    public var description: String
    public var defaultValue: String?
    public var isSecret: Bool
    /// `Format:` in the declaration: the shape every value must have, or why the format is unreadable.
    public var format: Result<ValueFormat, FormatError>?
    public var location: SourceLocation

    public init(name: String, description: String = "", defaultValue: String? = nil, isSecret: Bool = false,
                format: Result<ValueFormat, FormatError>? = nil, location: SourceLocation) {
        self.name = name
        self.description = description
        self.defaultValue = defaultValue
        self.isSecret = isSecret
        self.format = format
        self.location = location
    }

    /// The format in words, when it has one that can be read: `64 characters`, `an http(s) URL`.
    public var formatDescription: String? {
        if case .success(let format)? = format { return format.description }
        return nil
    }

    /// Why `value` cannot be this variable's value (empty, or not of its format); nil when it can.
    public func problem(with value: String) -> String? {
        if value.isEmpty { return "it is empty" }
        if case .success(let format)? = format { return format.problem(with: value) }
        return nil
    }

    /// Every `{{NAME}}` in a line with its 1-based column.
    public static func references(in line: String) -> [(String, Int)] {
        var found: [(String, Int)] = []
        guard line.utf8.contains(UInt8(ascii: "{")) else { return found }
        let characters = Array(line)
        var i = 0
        while i + 1 < characters.count {
            if characters[i] == "{", characters[i + 1] == "{" {
                var j = i + 2
                while j < characters.count, characters[j] != "}" { j += 1 }
                if j + 1 < characters.count, characters[j + 1] == "}" {
                    let name = String(characters[(i + 2)..<j])
                    if Variable.isValidName(name) {
                        found.append((name, i + 1))
                        i = j + 2
                        continue
                    }
                }
            }
            i += 1
        }
        return found
    }

    /// `text` with every `{{NAME}}` replaced by `replacement(NAME)`, in one pass.
    public static func replacingReferences(in text: String, with replacement: (String) -> String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{") {
            let after = rest[open.upperBound...]
            let name = after.prefix { $0 == "_" || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
            if isValidName(String(name)), after.dropFirst(name.count).hasPrefix("}}") {
                result += rest[..<open.lowerBound] + replacement(String(name))
                rest = after.dropFirst(name.count + 2)
            } else {
                // Not a reference: keep one `{` and look again from the next, so `{{{NAME}}` is found too.
                let next = rest.index(after: open.lowerBound)
                result += rest[..<next]
                rest = rest[next...]
            }
        }
        return result + rest
    }

    /// True when `name` matches `[A-Z_][A-Z0-9_]*`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}

/// A forbidden pattern under `## Guardrails` and the reason it is forbidden.
public struct Guardrail: Hashable, Sendable {
    /// Matched as a case-insensitive substring of action and check blocks.
    public var pattern: String
    public var reason: String
    public var location: SourceLocation

    public init(pattern: String, reason: String, location: SourceLocation) {
        self.pattern = pattern
        self.reason = reason
        self.location = location
    }

    public func matches(_ text: String) -> Bool {
        // Byte search on lowercased UTF-8: Foundation's String.contains bridges to NSString and is slow.
        !pattern.isEmpty && Array(text.lowercased().utf8).firstRange(of: Array(pattern.lowercased().utf8)) != nil
    }
}
