/// Trimming without Foundation's NSString bridge, which dominated parse time.
extension StringProtocol {
    /// Without leading and trailing spaces and tabs (and other whitespace).
    public var trimmed: String {
        // Most lines start and end with a visible ASCII character: nothing to trim, no Character walk.
        let text = String(self)
        if let first = text.utf8.first, let last = text.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return text
        }
        return text.trimming { $0.isWhitespace }
    }

    /// Without leading and trailing characters in `characters`.
    public func trimming(_ characters: String) -> String { trimming { characters.contains($0) } }

    public func trimming(where drop: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !drop($0) }), let last = lastIndex(where: { !drop($0) }) else { return "" }
        return String(self[first...last])
    }

    /// Without trailing spaces and tabs.
    public func trimmingTrailingWhitespace() -> String {
        let text = String(self)
        if let last = text.utf8.last, last != UInt8(ascii: " "), last != UInt8(ascii: "\t") { return text }
        return String(self[..<(lastIndex { $0 != " " && $0 != "\t" }.map { index(after: $0) } ?? startIndex)])
    }
}
