import RunbookSupport
/// A fenced code block (``` or ~~~).
public struct CodeBlock: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// What the operator runs or pastes.
        case action
        /// A sample of what success looks like.
        case output
        /// What the CLI verifies itself.
        case check
    }

    public var kind: Kind
    /// The whole info string after the fence, e.g. `http check`.
    public var info: String
    /// The content lines, without the fences.
    public var lines: [String]
    /// Where the opening fence stands.
    public var location: SourceLocation
    public var isClosed: Bool
    /// For a check block: the parsed check, or why it is malformed.
    public var check: Result<Check, CheckSyntaxError>?

    public init(kind: Kind, info: String, lines: [String], location: SourceLocation, isClosed: Bool = true,
                check: Result<Check, CheckSyntaxError>? = nil) {
        self.kind = kind
        self.info = info
        self.lines = lines
        self.location = location
        self.isClosed = isClosed
        self.check = check
    }

    /// The first word of the info string that is not `check`, `output`, `search` or `run`, e.g. `powershell`.
    public var language: String? {
        info.split(separator: " ").map(String.init).first { $0 != "check" && $0 != "output" && $0 != "search" && $0 != "run" }
    }

    /// True for an action block whose info string holds the word `run` (`sh run`, `bash run`): runbook
    /// may run it for the operator, at the word `run`.
    public var isRun: Bool {
        kind == .action && Self.info(info, hasWord: "run")
    }

    /// True when the info string holds the word `search` (`sh search`): the block looks for
    /// guardrail patterns, it does not use them, so it may name them.
    public var isSearch: Bool {
        Self.info(info, hasWord: "search")
    }

    public var text: String { lines.joined(separator: "\n") }

    /// The names of the variables the block refers to as `{{NAME}}`.
    public var variableNames: Set<String> {
        Set(lines.flatMap { Variable.references(in: $0).map(\.0) })
    }

    /// The kind a block gets from the words of its info string.
    public static func kind(ofInfo info: String) -> Kind {
        if Self.info(info, hasWord: "check") { return .check }
        if Self.info(info, hasWord: "output") { return .output }
        return .action
    }

    /// Whether `word` is one of the words of `info`, split at spaces and tabs.
    ///
    /// On bytes when `info` is ASCII (every info string the rules and the walk ask about many
    /// times): splitting it into `Substring`s for each question was most of some lint rules. Other
    /// text keeps the `Character` split, where a combining mark after a space joins the space.
    static func info(_ info: String, hasWord word: StaticString) -> Bool {
        var text = info
        let found: Bool? = text.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            let target = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: " "), bytes[end] != UInt8(ascii: "\t") { end += 1 }
                if end - start == target.count, UnsafeBufferPointer(rebasing: bytes[start..<end]).elementsEqual(target) { return true }
                start = end + 1
            }
            return false
        }
        return found ?? info.split(whereSeparator: { $0 == " " || $0 == "\t" }).contains(Substring(word.description))
    }
}
