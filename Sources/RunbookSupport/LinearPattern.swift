/// A regular expression matched in time linear in the value: a Thompson NFA run as a Pike VM.
///
/// `Format:` patterns come from runbooks and values from operators; a backtracking engine (Swift's
/// `Regex`) takes exponential time on `(a+)+b` against `aaaa…c`, and so hung lint and `start`. This
/// one never backtracks: each character of the value advances every live state once, so a match
/// costs at most the value's length times the program's size, and both are capped.
///
/// The syntax is the common core: literals, `.`, `[…]` and `[^…]` with ranges, `\d \w \s` (ASCII) and
/// their negations, escapes, groups `(…)`, `(?:…)` and `(?<name>…)`, `|`, `* + ?`, `{n}`, `{n,}`,
/// `{n,m}`, `{,m}` (a lazy `?` after one is accepted: it changes nothing for a whole match), `^` and `$`.
/// Back-references, look-arounds and flags are refused with a reason: they have no linear match.
public struct LinearPattern: Hashable, Sendable {
    /// The most instructions a compiled pattern may hold (`{n}` copies its operand n times).
    public static let maxProgram = 2_000
    /// The longest value tested: longer is refused without matching, so a match stays cheap.
    public static let maxValue = 4_096

    /// Why a pattern cannot be used, in one line.
    public struct Problem: Error, Hashable, Sendable {
        public var message: String
    }

    enum Instruction: Hashable, Sendable {
        case scalar(ScalarSet)
        case split(Int, Int)
        case jump(Int)
        case atStart, atEnd
        case match
    }

    let program: [Instruction]

    public init(_ pattern: String) throws(Problem) {
        var parser = Parser(scalars: Array(pattern.unicodeScalars))
        let node = try parser.parseWhole()
        var compiler = Compiler()
        try compiler.emit(node)
        compiler.program.append(.match)
        program = compiler.program
    }

    /// True when the whole of `value` matches; false, without trying, for a value over `maxValue`.
    public func wholeMatch(_ value: String) -> Bool {
        let scalars = Array(value.unicodeScalars)
        guard scalars.count <= Self.maxValue else { return false }
        var current = StateSet(size: program.count)
        var next = StateSet(size: program.count)
        add(0, at: 0, count: scalars.count, to: &current)
        for (position, scalar) in scalars.enumerated() {
            next.clear()
            for pc in current.members {
                if case .scalar(let set) = program[pc], set.contains(scalar) {
                    add(pc + 1, at: position + 1, count: scalars.count, to: &next)
                }
            }
            swap(&current, &next)
            if current.members.isEmpty { return false }
        }
        return current.members.contains { program[$0] == .match }
    }

    /// Adds `pc` and every state reachable from it without reading a character.
    private func add(_ pc: Int, at position: Int, count: Int, to set: inout StateSet) {
        var stack = [pc]
        while let pc = stack.popLast() {
            guard set.insert(pc) else { continue }
            switch program[pc] {
            case .jump(let target): stack.append(target)
            case .split(let first, let second): stack += [second, first]
            case .atStart: if position == 0 { stack.append(pc + 1) }
            case .atEnd: if position == count { stack.append(pc + 1) }
            case .scalar, .match: break
            }
        }
    }
}

/// Program counters, each at most once, in the order added: a sparse set, cleared in O(1).
private struct StateSet {
    var members: [Int] = []
    var seen: [Bool]

    init(size: Int) { seen = Array(repeating: false, count: size) }

    mutating func insert(_ pc: Int) -> Bool {
        if seen[pc] { return false }
        seen[pc] = true
        members.append(pc)
        return true
    }

    mutating func clear() {
        for pc in members { seen[pc] = false }
        members.removeAll(keepingCapacity: true)
    }
}

/// A set of Unicode scalars: ranges, maybe negated.
struct ScalarSet: Hashable, Sendable {
    var ranges: [ClosedRange<UInt32>]
    var negated = false

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        ranges.contains { $0.contains(scalar.value) } != negated
    }

    static func one(_ scalar: Unicode.Scalar) -> ScalarSet { ScalarSet(ranges: [scalar.value...scalar.value]) }
    static let digit = ScalarSet(ranges: [0x30...0x39])
    static let word = ScalarSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let space = ScalarSet(ranges: [0x09...0x0D, 0x20...0x20])
    /// `.`: anything but a line feed.
    static let any = ScalarSet(ranges: [0x0A...0x0A], negated: true)
}

private indirect enum Node {
    case empty
    case scalar(ScalarSet)
    case sequence([Node])
    case either([Node])
    case repeated(Node, min: Int, max: Int?)
    case start, end
}

private struct Parser {
    let scalars: [Unicode.Scalar]
    var index = 0

    typealias Problem = LinearPattern.Problem

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    mutating func parseWhole() throws(Problem) -> Node {
        let node = try alternation()
        if let extra = peek { throw Problem(message: "an unmatched `\(extra)`") }
        return node
    }

    mutating func alternation() throws(Problem) -> Node {
        var branches = [try sequence()]
        while peek == "|" {
            index += 1
            branches.append(try sequence())
        }
        return branches.count == 1 ? branches[0] : .either(branches)
    }

    mutating func sequence() throws(Problem) -> Node {
        var items: [Node] = []
        while let scalar = peek, scalar != "|", scalar != ")" {
            let atom = try self.atom()
            items.append(try quantified(atom))
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .sequence(items))
    }

    mutating func quantified(_ atom: Node) throws(Problem) -> Node {
        var node = atom
        while let scalar = peek {
            var bounds: (Int, Int?)
            switch scalar {
            case "*": bounds = (0, nil); index += 1
            case "+": bounds = (1, nil); index += 1
            case "?": bounds = (0, 1); index += 1
            case "{":
                guard let counted = countedBounds() else { return node }  // a literal `{`, as in most engines
                bounds = counted
            default: return node
            }
            if case .start = atom { throw Problem(message: "a quantifier after `^`") }
            if case .end = atom { throw Problem(message: "a quantifier after `$`") }
            if peek == "?" { index += 1 }  // lazy: the same set of whole matches
            if peek == "+" { throw Problem(message: "a possessive quantifier (`*+`, `++`…), which Format: does not support") }
            node = .repeated(node, min: bounds.0, max: bounds.1)
        }
        return node
    }

    /// `{n}`, `{n,}` or `{n,m}` at `index`, consumed; nil (nothing consumed) when it is not one.
    mutating func countedBounds() -> (Int, Int?)? {
        var cursor = index + 1
        func number() -> Int? {
            let start = cursor
            while cursor < scalars.count, ("0"..."9").contains(scalars[cursor]), cursor - start < 6 { cursor += 1 }
            return cursor > start ? Int(String(String.UnicodeScalarView(scalars[start..<cursor]))) : nil
        }
        // `{,m}` is `{0,m}`, as in Swift's `Regex`.
        guard let low = number() ?? (cursor < scalars.count && scalars[cursor] == "," ? 0 : nil) else { return nil }
        var high: Int? = low
        if cursor < scalars.count, scalars[cursor] == "," {
            cursor += 1
            high = number()
        }
        guard cursor < scalars.count, scalars[cursor] == "}", high.map({ low <= $0 }) ?? true else { return nil }
        index = cursor + 1
        return (low, high)
    }

    mutating func atom() throws(Problem) -> Node {
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "(":
            if peek == "?" {
                if index + 1 < scalars.count, scalars[index + 1] == ":" {
                    index += 2
                } else if index + 2 < scalars.count, scalars[index + 1] == "<", scalars[index + 2] != "=", scalars[index + 2] != "!" {
                    // A named group captures nothing here: skip its name.
                    while let next = peek, next != ">" { index += 1 }
                    guard peek == ">" else { throw Problem(message: "a group name that never closes with `>`") }
                    index += 1
                } else {
                    throw Problem(message: "`(?` look-arounds and flags, which Format: does not support")
                }
            }
            let inner = try alternation()
            guard peek == ")" else { throw Problem(message: "a `(` that never closes") }
            index += 1
            return inner
        case ")": throw Problem(message: "an unmatched `)`")
        case "[": return .scalar(try characterClass())
        case ".": return .scalar(.any)
        case "^": return .start
        case "$": return .end
        case "*", "+", "?": throw Problem(message: "`\(scalar)` with nothing before it to repeat")
        case "\\": return .scalar(try escape(inClass: false))
        default: return .scalar(.one(scalar))
        }
    }

    /// After `\`: a class (`\d`), a control (`\n`), or an escaped literal (`\.`).
    mutating func escape(inClass: Bool) throws(Problem) -> ScalarSet {
        guard let scalar = peek else { throw Problem(message: "a `\\` at the end") }
        index += 1
        switch scalar {
        case "d": return .digit
        case "D": return ScalarSet(ranges: ScalarSet.digit.ranges, negated: true)
        case "w": return .word
        case "W": return ScalarSet(ranges: ScalarSet.word.ranges, negated: true)
        case "s": return .space
        case "S": return ScalarSet(ranges: ScalarSet.space.ranges, negated: true)
        case "n": return .one("\n")
        case "t": return .one("\t")
        case "r": return .one("\r")
        case "b" where inClass: return .one("\u{8}")
        default:
            if ("0"..."9").contains(scalar) { throw Problem(message: "a back-reference `\\\(scalar)`, which Format: does not support") }
            if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) {
                throw Problem(message: "`\\\(scalar)`, which Format: does not support; use a class such as [a-z]")
            }
            return .one(scalar)
        }
    }

    /// After `[`: ranges up to the closing `]`; a `]` first is a literal.
    mutating func characterClass() throws(Problem) -> ScalarSet {
        var set = ScalarSet(ranges: [])
        if peek == "^" {
            set.negated = true
            index += 1
        }
        var first = true
        while true {
            guard let scalar = peek else { throw Problem(message: "a `[` that never closes") }
            if scalar == "]" && !first { index += 1; return set }
            first = false
            index += 1
            var low: ScalarSet
            if scalar == "\\" {
                low = try escape(inClass: true)
            } else if scalar == "[" && peek == ":" {
                throw Problem(message: "POSIX classes such as [:alpha:], which Format: does not support")
            } else {
                low = .one(scalar)
            }
            // `a-z`: a range, when both ends are single characters and `-` is not last.
            if peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]", low.ranges.count == 1, !low.negated,
               low.ranges[0].lowerBound == low.ranges[0].upperBound {
                index += 1
                var high = scalars[index]
                index += 1
                if high == "\\" {
                    let escaped = try escape(inClass: true)
                    guard escaped.ranges.count == 1, !escaped.negated, escaped.ranges[0].count == 1,
                          let end = Unicode.Scalar(escaped.ranges[0].lowerBound) else {
                        throw Problem(message: "a range that ends in a class")
                    }
                    high = end
                }
                guard low.ranges[0].lowerBound <= high.value else { throw Problem(message: "a range out of order") }
                set.ranges.append(low.ranges[0].lowerBound...high.value)
            } else if low.negated {
                // `[^\d]` and `[\D]`: a negated class inside a class is its complement's ranges.
                set.ranges += Self.complement(low.ranges)
            } else {
                set.ranges += low.ranges
            }
        }
    }

    static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = max(next, range.upperBound + 1)
        }
        if next <= 0x10FFFF { result.append(next...0x10FFFF) }
        return result
    }
}

private struct Compiler {
    var program: [LinearPattern.Instruction] = []

    mutating func append(_ instruction: LinearPattern.Instruction) throws(LinearPattern.Problem) {
        guard program.count < LinearPattern.maxProgram else {
            throw LinearPattern.Problem(message: "it is too large (over \(LinearPattern.maxProgram) steps once its counts are expanded)")
        }
        program.append(instruction)
    }

    mutating func emit(_ node: Node) throws(LinearPattern.Problem) {
        switch node {
        case .empty: break
        case .scalar(let set): try append(.scalar(set))
        case .start: try append(.atStart)
        case .end: try append(.atEnd)
        case .sequence(let items):
            for item in items { try emit(item) }
        case .either(let branches):
            var jumps: [Int] = []
            for (position, branch) in branches.enumerated() {
                if position < branches.count - 1 {
                    let split = program.count
                    try append(.split(split + 1, -1))
                    try emit(branch)
                    jumps.append(program.count)
                    try append(.jump(-1))
                    program[split] = .split(split + 1, program.count)
                } else {
                    try emit(branch)
                }
            }
            for jump in jumps { program[jump] = .jump(program.count) }
        case .repeated(let body, let low, let high):
            for _ in 0..<low { try emit(body) }
            if let high {
                var splits: [Int] = []
                for _ in low..<high {
                    splits.append(program.count)
                    try append(.split(program.count + 1, -1))
                    try emit(body)
                }
                for split in splits { program[split] = .split(split + 1, program.count) }
            } else {
                let loop = program.count
                try append(.split(loop + 1, -1))
                try emit(body)
                try append(.jump(loop))
                program[loop] = .split(loop + 1, program.count)
            }
        }
    }
}
