/// Substring search in linear time, on UTF-8 bytes.
///
/// The standard library's `firstRange(of:)` compares the pattern at every position: a long pattern
/// that nearly matches everywhere (`aaa…ab` in `aaa…a`) makes it quadratic. Knuth–Morris–Pratt reads
/// each byte of the text once.
public struct ByteSearch: Sendable {
    public let pattern: [UInt8]
    /// For each prefix of the pattern, the length of its longest proper border.
    private let border: [Int]

    public init(_ pattern: [UInt8]) {
        self.pattern = pattern
        var border = [Int](repeating: 0, count: pattern.count)
        var length = 0
        var index = 1
        while index < pattern.count {
            if pattern[index] == pattern[length] {
                length += 1
                border[index] = length
                index += 1
            } else if length > 0 {
                length = border[length - 1]
            } else {
                index += 1
            }
        }
        self.border = border
    }

    /// The offset of the first occurrence of the pattern in `text` at or after `from`; nil when none.
    public func firstOffset(in text: [UInt8], from start: Int = 0) -> Int? {
        guard !pattern.isEmpty else { return nil }
        var matched = 0
        var index = start
        while index < text.count {
            if text[index] == pattern[matched] {
                matched += 1
                index += 1
                if matched == pattern.count { return index - matched }
            } else if matched > 0 {
                matched = border[matched - 1]
            } else {
                index += 1
            }
        }
        return nil
    }
}

extension String {
    /// `self` with every occurrence of `target` replaced, in one pass over the UTF-8 bytes.
    public func replacingEvery(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        let text = Array(utf8)
        let search = ByteSearch(Array(target.utf8))
        guard var found = search.firstOffset(in: text) else { return self }
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var copied = 0
        let replacementBytes = Array(replacement.utf8)
        while true {
            result += text[copied..<found]
            result += replacementBytes
            copied = found + search.pattern.count
            guard let next = search.firstOffset(in: text, from: copied) else { break }
            found = next
        }
        result += text[copied...]
        return String(decoding: result, as: UTF8.self)
    }
}

/// Text folded to lower case for case-insensitive matching, with the way back to columns.
///
/// Folds scalar by scalar, as `String.lowercased()` does, so a pattern folded the same way
/// matches what `lowercased()` would; each folded byte remembers the scalar it came from.
public struct FoldedText {
    public var bytes: [UInt8] = []
    /// For each byte of `bytes`, the index of the scalar of the original text it came from.
    public var scalarIndex: [Int] = []
    private let text: String

    public init(_ text: String) {
        self.text = text
        bytes.reserveCapacity(text.utf8.count)
        scalarIndex.reserveCapacity(text.utf8.count)
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                bytes.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
                scalarIndex.append(index)
            } else {
                for byte in scalar.properties.lowercaseMapping.utf8 {
                    bytes.append(byte)
                    scalarIndex.append(index)
                }
            }
        }
    }

    /// The folded bytes of `text` alone.
    public static func fold(_ text: String) -> [UInt8] { FoldedText(text).bytes }

    /// The 0-based character offsets, in the original text, of the folded byte offsets `offsets`.
    public func characterOffsets(of offsets: [Int]) -> [Int] {
        guard !offsets.isEmpty else { return [] }
        // Scalar index -> character offset, in one walk over the characters.
        var characterOfScalar: [Int] = []
        characterOfScalar.reserveCapacity(scalarIndex.last.map { $0 + 1 } ?? 0)
        for (offset, character) in text.enumerated() {
            for _ in character.unicodeScalars { characterOfScalar.append(offset) }
        }
        return offsets.map { characterOfScalar[scalarIndex[$0]] }
    }
}

/// Many patterns searched at once in one pass over a text (Aho–Corasick).
///
/// Reports, per text, the first occurrence of each pattern that occurs, in time linear in the
/// text plus the number of patterns found: a pattern's occurrences after its first are never
/// walked again (see `firstOccurrences`). Edges live in one dictionary, so a megabyte of
/// patterns costs a few arrays of that length, not a table per node.
public struct PatternSet {
    /// `node << 8 | byte` -> child node.
    private var edges: [Int: Int] = [:]
    private var fail: [Int] = [0]
    /// The nearest node on the failure chain (the node itself excluded) that ends a pattern; 0 when none.
    private var output: [Int] = [0]
    private var depth: [Int] = [0]
    /// The patterns that end at each node.
    private var ends: [[Int]] = [[]]
    /// Per node, the number of the last `firstOccurrences` call that reported it.
    private var stamp: [Int] = [0]
    private var calls = 0

    private func child(_ node: Int, _ byte: UInt8) -> Int? { edges[node &<< 8 | Int(byte)] }

    /// Builds the automaton; an empty pattern never matches.
    public init(_ patterns: [[UInt8]]) {
        var parent = [0]
        var byteFromParent: [UInt8] = [0]
        for (index, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var node = 0
            for byte in pattern {
                if let existing = child(node, byte) {
                    node = existing
                } else {
                    let created = fail.count
                    fail.append(0)
                    output.append(0)
                    depth.append(depth[node] + 1)
                    ends.append([])
                    stamp.append(0)
                    parent.append(node)
                    byteFromParent.append(byte)
                    edges[node &<< 8 | Int(byte)] = created
                    node = created
                }
            }
            ends[node].append(index)
        }
        // By depth: a node's failure link points to a shallower node, linked before it.
        var byDepth = [[Int]](repeating: [], count: (depth.max() ?? 0) + 1)
        for node in 1..<fail.count { byDepth[depth[node]].append(node) }
        for level in byDepth.dropFirst(2) {
            for node in level {
                let byte = byteFromParent[node]
                var link = fail[parent[node]]
                while link != 0, child(link, byte) == nil { link = fail[link] }
                fail[node] = child(link, byte) ?? 0
                output[node] = ends[fail[node]].isEmpty ? output[fail[node]] : fail[node]
            }
        }
    }

    /// The first occurrence of each pattern found in `text`: pattern index and start offset, by end offset.
    public mutating func firstOccurrences(in text: [UInt8]) -> [(pattern: Int, start: Int)] {
        calls += 1
        var found: [(pattern: Int, start: Int)] = []
        guard fail.count > 1 else { return found }
        var node = 0
        for (offset, byte) in text.enumerated() {
            while node != 0, child(node, byte) == nil { node = fail[node] }
            node = child(node, byte) ?? 0
            var hit = ends[node].isEmpty ? output[node] : node
            // A node reported before in this text had its whole output chain reported with it
            // (each pattern on the chain is a suffix of it, so it ended there too): stop there.
            while hit != 0, stamp[hit] != calls {
                stamp[hit] = calls
                for pattern in ends[hit] { found.append((pattern, offset + 1 - depth[hit])) }
                hit = output[hit]
            }
        }
        return found
    }
}
