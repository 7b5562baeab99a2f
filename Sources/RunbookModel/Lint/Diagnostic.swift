import RunbookSupport
/// One problem found by the linter, printed `PATH:LINE:COL: error|warning: MESSAGE [RULE]`.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable, Codable {
        case error
        case warning
    }

    public var path: String
    public var location: SourceLocation
    public var severity: Severity
    public var message: String
    public var rule: String

    public init(path: String, location: SourceLocation, severity: Severity, message: String, rule: String) {
        self.path = path
        self.location = location
        self.severity = severity
        self.message = message
        self.rule = rule
    }

    /// One line: control characters from the file (a lone CR in a title) or its path are shown escaped.
    public var description: String {
        "\(path.escapingControlCharacters):\(location.line):\(location.column): \(severity.rawValue): "
            + "\(message.escapingControlCharacters) [\(rule)]"
    }

    /// Sorted by file, then line, then column.
    public static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sorted { ($0.path, $0.location, $0.rule) < ($1.path, $1.location, $1.rule) }
    }
}

