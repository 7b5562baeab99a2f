import RunbookModel
import RunbookRun
import RunbookSupport
/// ANSI styling, or none: colours only on a terminal, never with `NO_COLOR` or `--no-color`.
public struct Style: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Whether to colour: a terminal, no `NO_COLOR` (any value), no `--no-color`.
    public static func wanted(isTerminal: Bool, environment: [String: String], noColor: Bool) -> Bool {
        isTerminal && !noColor && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    public func bold(_ text: String) -> String { wrap(text, "1") }
    public func dim(_ text: String) -> String { wrap(text, "2") }
    /// Where to run a step: the most visible thing on the screen.
    public func place(_ text: String) -> String { wrap(text, "1;30;43") }
    public func warning(_ text: String) -> String { wrap(text, "1;33") }
    public func error(_ text: String) -> String { wrap(text, "1;31") }
    public func success(_ text: String) -> String { wrap(text, "1;32") }
    /// Inline code of Markdown prose: highlighted without its backticks in colour, kept as written without.
    public func inlineCode(_ text: String) -> String {
        guard enabled, text.contains("`") else { return text }
        var result = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "`"),
              let close = rest[rest.index(after: open)...].firstIndex(of: "`"), close > rest.index(after: open) {
            result += rest[..<open]
            result += wrap(String(rest[rest.index(after: open)..<close]), "36")
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
