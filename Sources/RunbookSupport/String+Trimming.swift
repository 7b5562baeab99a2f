/// Trimming without Foundation's NSString bridge, which dominated parse time.
///
/// `@inlinable` here and in the other string helpers: called from another module, a generic function
/// runs unspecialized, and the runtime then looks up `Index` and `SubSequence` by name at first use,
/// scanning every protocol conformance of the binary (a tenth of a start, and 400 KiB of its pages).
extension StringProtocol {
    /// Without leading and trailing spaces and tabs (and other whitespace).
    @inlinable public var trimmed: String {
        // Most lines start and end with a visible ASCII character: nothing to trim, no Character walk.
        let text = String(self)
        if let first = text.utf8.first, let last = text.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return text
        }
        // ASCII whitespace at the ends next to ASCII text: cut on bytes. No two ASCII characters
        // but "\r\n" (whitespace both) form one Character, so the cut is where the Character walk's is.
        let bytes = text.utf8
        guard let start = bytes.firstIndex(where: { !Self.isASCIIWhitespace($0) }) else { return "" }
        let end = bytes.lastIndex { !Self.isASCIIWhitespace($0) } ?? start
        if bytes[start] < 0x80, bytes[end] < 0x80 { return String(text[start...end]) }
        return text.trimming { $0.isWhitespace }
    }

    /// Tab, line feed, vertical tab, form feed, carriage return and space: the ASCII `isWhitespace`.
    @inline(__always) public static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte)
    }

    /// Without leading and trailing characters in `characters`.
    @inlinable public func trimming(_ characters: String) -> String { trimming { characters.contains($0) } }

    @inlinable public func trimming(where drop: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !drop($0) }), let last = lastIndex(where: { !drop($0) }) else { return "" }
        return String(self[first...last])
    }

    /// Without trailing spaces and tabs.
    @inlinable public func trimmingTrailingWhitespace() -> String {
        let text = String(self)
        if let last = text.utf8.last, last != UInt8(ascii: " "), last != UInt8(ascii: "\t") { return text }
        return String(self[..<(lastIndex { $0 != " " && $0 != "\t" }.map { index(after: $0) } ?? startIndex)])
    }
}
