#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension StringProtocol {
    /// The last range where `other` occurs in `self` (what `range(of:options: .backwards)` finds in full Foundation).
    @inlinable public func lastRange(of other: some StringProtocol) -> Range<Index>? {
        guard !other.isEmpty else { return nil }
        var index = endIndex
        while index > startIndex {
            formIndex(before: &index)
            if self[index...].starts(with: other) { return index..<self.index(index, offsetBy: other.count) }
        }
        return nil
    }

    /// The byte offset of the first occurrence of `pattern`'s UTF-8 bytes in `self`'s at or after
    /// `from`, nil when none. For the short ASCII markers of Markdown (`<!--`, `{{`): the standard
    /// library's `contains` and `firstRange(of:)` walk `Character`s, and were most of a parse.
    @inlinable public func utf8Offset(of pattern: StaticString, from start: Int = 0) -> Int? {
        let count = pattern.utf8CodeUnitCount
        guard count > 0 else { return nil }
        let needle = pattern.utf8Start
        let found: Int?? = utf8.withContiguousStorageIfAvailable { text -> Int? in
            guard let base = text.baseAddress, text.count >= count else { return nil }
            var index = Swift.max(0, start)
            while index <= text.count - count {
                // The C library's memchr finds the first byte a word at a time.
                guard let hit = memchr(base + index, Int32(needle[0]), text.count - count + 1 - index) else { return nil }
                index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                var matched = 1
                while matched < count, base[index + matched] == needle[matched] { matched += 1 }
                if matched == count { return index }
                index += 1
            }
            return nil
        }
        if let found { return found }
        var copy = String(self)
        copy.makeContiguousUTF8()
        return copy.utf8Offset(of: pattern, from: start)
    }

    /// Whether `pattern`'s UTF-8 bytes occur in `self`'s (see `utf8Offset(of:from:)`).
    @inlinable public func utf8Contains(_ pattern: StaticString) -> Bool { utf8Offset(of: pattern) != nil }
}

extension Array where Element == String {
    /// The strings with `separator` between each two, as the standard library's `joined(separator:)`,
    /// which this one shadows for arrays of strings: that one ran unspecialized when called from our
    /// modules, and its first use scanned every protocol conformance of the binary for `Index`.
    @inlinable public func joined(separator: String = "") -> String {
        guard count > 1 else { return first ?? "" }
        var size = (count - 1) * separator.utf8.count
        for element in self { size += element.utf8.count }
        // Bytes copied straight into the new string's storage: appending to a String per piece cost
        // more than the copy itself.
        return String(unsafeUninitializedCapacity: size) { buffer in
            var offset = 0
            func copy(_ text: String) {
                var text = text
                text.withUTF8 { bytes in
                    if let source = bytes.baseAddress { (buffer.baseAddress! + offset).update(from: source, count: bytes.count) }
                    offset += bytes.count
                }
            }
            for (index, element) in enumerated() {
                if index > 0 { copy(separator) }
                copy(element)
            }
            return offset
        }
    }
}

