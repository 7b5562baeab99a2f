import RunbookSupport
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

    /// Why `value` cannot be this variable's value (empty, a control character, or not of its format);
    /// nil when it can.
    ///
    /// A NUL would cut the value short where a C string carries it (a check's environment), and other
    /// control characters (ESC, a line break) would be replayed raw by the screen and the report: no
    /// value holds them. A tab is text.
    public func problem(with value: String) -> String? {
        if value.isEmpty { return "it is empty" }
        if let control = value.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
            if control == "\u{0}" { return "it holds a NUL character" }
            let code = String(control.value, radix: 16, uppercase: true)
            return "it holds a control character (U+" + String(repeating: "0", count: 4 - code.count) + code + ")"
        }
        if case .success(let format)? = format { return format.problem(with: value) }
        return nil
    }

    /// Every `{{NAME}}` in a line with its 1-based column.
    ///
    /// Linear in the line: after `{{` only name characters are read, and a run of them is read
    /// once, since a brace, which ends it, is no name character.
    public static func references(in line: String) -> [(String, Int)] {
        var found: [(String, Int)] = []
        // Every reference holds "{{": one search of the contiguous bytes spares most lines the rest.
        guard line.utf8Contains("{{") else { return found }
        // An ASCII line's Characters are its bytes ("\r\n" cannot occur inside a line): no Character walk.
        if line.utf8.allSatisfy({ $0 < 0x80 }) { return asciiReferences(in: Array(line.utf8)) }
        let characters = Array(line)
        var i = 0
        while i + 1 < characters.count {
            if characters[i] == "{", characters[i + 1] == "{" {
                var j = i + 2
                while j < characters.count, isNameCharacter(characters[j]) { j += 1 }
                if j > i + 2, j + 1 < characters.count, characters[j] == "}", characters[j + 1] == "}" {
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

    /// `text` with each `{{NAME}}` that `values` holds replaced by its value, in one pass.
    ///
    /// A value is never scanned again, so a value that holds `{{OTHER}}` stays as it is.
    public static func substituting(_ text: String, values: [String: String]) -> String {
        values.isEmpty ? text : substituting(text) { values[$0] }
    }

    /// `text` with each `{{NAME}}` replaced by `value(NAME)`, or left as it is when that is nil; one pass.
    public static func substituting(_ text: String, value: (String) -> String?) -> String {
        let references = references(in: text)
        guard !references.isEmpty else { return text }
        let characters = Array(text)
        var result = ""
        var copied = 0
        for (name, column) in references {
            guard let value = value(name) else { continue }
            result += String(characters[copied..<(column - 1)])
            result += value
            copied = column - 1 + name.count + 4
        }
        return result + String(characters[copied...])
    }

    /// `references(in:)` of an ASCII line, on its bytes.
    private static func asciiReferences(in bytes: [UInt8]) -> [(String, Int)] {
        var found: [(String, Int)] = []
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == open, bytes[i + 1] == open {
                var j = i + 2
                while j < bytes.count, isNameByte(bytes[j]) { j += 1 }
                if j > i + 2, j + 1 < bytes.count, bytes[j] == close, bytes[j + 1] == close {
                    let name = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
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

    private static func isNameByte(_ ascii: UInt8) -> Bool {
        ascii == UInt8(ascii: "_") || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(ascii)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(ascii)
    }

    private static func isNameCharacter(_ c: Character) -> Bool {
        guard let ascii = c.asciiValue else { return false }
        return ascii == UInt8(ascii: "_") || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(ascii)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(ascii)
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
        // A linear byte search on folded UTF-8: Foundation's String.contains bridges to NSString and
        // is slow, and the standard library's firstRange(of:) is quadratic for a long pattern.
        !pattern.isEmpty && ByteSearch(FoldedText.fold(pattern)).firstOffset(in: FoldedText.fold(text)) != nil
    }
}
