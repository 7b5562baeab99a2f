import RunbookSupport
/// `Via: ssh USER@HOST`: a step's run block runs on that host, through the system's `ssh`.
public struct Via: Hashable, Sendable {
    public var user: String
    public var host: String

    public init(user: String, host: String) {
        self.user = user
        self.host = host
    }

    /// `USER@HOST`, as `ssh` takes it.
    public var destination: String { "\(user)@\(host)" }

    /// Reads the text after `Via:`; nil when it is not `ssh USER@HOST` (USER and HOST letters, digits,
    /// `.`, `_` and `-`, not starting with `-`, so neither can be read by `ssh` as an option).
    public static func parse(_ text: String) -> Via? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 2, words[0] == "ssh" else { return nil }
        let parts = words[1].split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, isName(parts[0]), isName(parts[1]) else { return nil }
        return Via(user: String(parts[0]), host: String(parts[1]))
    }

    private static func isName(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first, first != "-", text.count <= 253 else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
    }
}
