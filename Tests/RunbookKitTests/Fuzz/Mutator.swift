/// Hostile edits of a file's bytes: what a careless editor, a bad merge or a broken disk leaves.
///
/// Each edit is named, so a failing case says how it was made; the same seed makes the same edits.
struct Mutator {
    var random: SeededRandom

    /// Pieces that mean something to the runbook parser, or that break text.
    static let tokens: [[UInt8]] = [
        "{", "{{", "}}", "{{A}}", "{{BASE_URL}}", "{{NAME", "{#", "{#x}", "}", "`", "``", "```", "~~~", "````",
        "#", "# ", "## ", "### ", "\r", "\r\n", "\n", "\n\n", "\t", "$", "${", "$A", "-", "- ", "- `", "* `x`",
        "Where:", "Expect:", "Tags:", "Where: here\n", "expect ", "expect status 200", "expect json a == ",
        "check", "output", "http check", "sh check", "paste check", " == ", "→", "é", "е", "\u{202E}",
        "GET ", "http://", "|", "\\", "\"", "  ", "    ", "Default: `x`", "(secret)",
    ].map { Array($0.utf8) } + [[0x00], [0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF0, 0x9F], [0x1B, 0x5B]]

    /// What a long line is made of: braces, fences, dollars, backticks…
    static let longLineUnits: [String] = ["{", "{{A", "{{", "$", "${A", "`", "a", "|", "# ", "-", " ", "é", "{#", "~", "\r", "}}", "Aa"]

    /// `bytes` after `rounds` random edits, and the names of the edits.
    mutating func mutate(_ bytes: [UInt8], rounds: Int, longLines: ClosedRange<Int>) -> ([UInt8], [String]) {
        var bytes = bytes
        var applied: [String] = []
        for _ in 0..<rounds {
            let name = edit(&bytes, longLines: longLines)
            applied.append(name)
        }
        return (bytes, applied)
    }

    private func lineStarts(_ bytes: [UInt8]) -> [Int] {
        [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }.filter { $0 < bytes.count }
    }

    /// The byte range of a random line, its newline included.
    private mutating func randomLine(_ bytes: [UInt8]) -> Range<Int> {
        let starts = lineStarts(bytes)
        let index = random.below(starts.count)
        let end = index + 1 < starts.count ? starts[index + 1] : bytes.count
        return starts[index]..<end
    }

    private mutating func edit(_ bytes: inout [UInt8], longLines: ClosedRange<Int>) -> String {
        let position = random.below(bytes.count + 1)
        switch random.below(14) {
        case 0:
            guard !bytes.isEmpty else { return "nothing to flip" }
            let index = random.below(bytes.count)
            bytes[index] = random.oneIn(2) ? bytes[index] ^ UInt8(1 << random.below(8)) : UInt8(random.below(256))
            return "flip byte \(index)"
        case 1:
            let count = min(1 + random.below(64), bytes.count - min(position, bytes.count))
            bytes.removeSubrange(position..<(position + count))
            return "delete \(count) bytes at \(position)"
        case 2, 3:
            let token = random.pick(Self.tokens)
            bytes.insert(contentsOf: token, at: position)
            return "insert \(token) at \(position)"
        case 4:
            guard !bytes.isEmpty else { return "no line to cut" }
            let line = randomLine(bytes)
            let cut = line.lowerBound + random.below(line.count)
            bytes.removeSubrange(cut..<max(cut, line.upperBound - 1))
            return "cut line at \(cut)"
        case 5:
            guard !bytes.isEmpty else { return "no line to duplicate" }
            let line = randomLine(bytes)
            let copy = Array(bytes[line])
            let at = lineStarts(bytes).randomElement(using: &random) ?? 0
            bytes.insert(contentsOf: copy, at: at)
            return "duplicate line \(line) at \(at)"
        case 6:
            guard !bytes.isEmpty else { return "no line to swap" }
            let first = randomLine(bytes)
            let line = Array(bytes[first])
            bytes.removeSubrange(first)
            let at = lineStarts(bytes).randomElement(using: &random) ?? 0
            bytes.insert(contentsOf: line, at: min(at, bytes.count))
            return "move line \(first) to \(at)"
        case 7:
            guard !bytes.isEmpty else { return "no line to delete" }
            let line = randomLine(bytes)
            bytes.removeSubrange(line)
            return "delete line \(line)"
        case 8:
            let fence = random.pick(["```", "~~~", "````", "```http check", "```sh check", "~~~ paste check", "```json output", "   ```"])
            let at = lineStarts(bytes).randomElement(using: &random) ?? 0
            bytes.insert(contentsOf: Array((fence + "\n").utf8), at: at)
            return "open fence \(fence) at \(at)"
        case 9:
            var mixed: [UInt8] = []
            mixed.reserveCapacity(bytes.count + bytes.count / 8)
            for byte in bytes {
                if byte == 0x0A && random.oneIn(3) { mixed.append(0x0D) }
                mixed.append(byte)
            }
            bytes = mixed
            return "mix CRLF"
        case 10, 11:
            let unit = random.pick(Self.longLineUnits)
            let count = longLines.lowerBound + random.below(longLines.count)
            let line = Array(String(repeating: unit, count: count / max(unit.utf8.count, 1)).utf8) + [0x0A]
            let at = lineStarts(bytes).randomElement(using: &random) ?? 0
            bytes.insert(contentsOf: line, at: at)
            return "long line of \(line.count) bytes of \(unit.debugDescription) at \(at)"
        case 12:
            bytes.insert(UInt8(0x80 + random.below(0x80)), at: position)
            return "invalid UTF-8 at \(position)"
        default:
            // A block of lines from elsewhere in the file: a bad merge.
            guard bytes.count > 2 else { return "too short to splice" }
            let start = random.below(bytes.count)
            let length = min(1 + random.below(400), bytes.count - start)
            let piece = Array(bytes[start..<(start + length)])
            bytes.insert(contentsOf: piece, at: position)
            return "splice \(length) bytes from \(start) at \(position)"
        }
    }
}
