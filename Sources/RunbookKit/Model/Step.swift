/// One step of a runbook: an H2 heading and everything up to the next one.
public struct Step: Hashable, Sendable {
    /// The explicit `{#id}` of the heading, else the slug of its title.
    public var id: String
    public var title: String
    /// Where the heading stands.
    public var location: SourceLocation
    /// Every `Where:` line of the step; the house rules want exactly one.
    public var wheres: [Located<String>]
    /// The prose, line by line, blank lines kept as paragraph breaks.
    public var prose: [String]
    public var actions: [CodeBlock]
    public var outputs: [CodeBlock]
    public var checks: [CodeBlock]
    public var expect: Located<String>?
    /// Every `{{NAME}}` in the step, in file order.
    public var references: [Located<String>]
    /// SHA-256 of the step's source lines: a changed step gets a new digest.
    public var digest: String

    public init(
        id: String, title: String, location: SourceLocation, wheres: [Located<String>] = [],
        prose: [String] = [], actions: [CodeBlock] = [], outputs: [CodeBlock] = [], checks: [CodeBlock] = [],
        expect: Located<String>? = nil, references: [Located<String>] = [], digest: String = ""
    ) {
        self.id = id
        self.title = title
        self.location = location
        self.wheres = wheres
        self.prose = prose
        self.actions = actions
        self.outputs = outputs
        self.checks = checks
        self.expect = expect
        self.references = references
        self.digest = digest
    }

    /// The place to run the step: the first non-empty `Where:`, or "".
    public var place: String {
        wheres.first { !$0.value.isEmpty }?.value ?? ""
    }

    public var action: CodeBlock? { actions.first }
    public var output: CodeBlock? { outputs.first }
    /// The step's check block, parsed; `nil` when it has none or it is malformed.
    public var check: Check? {
        if case .success(let check)? = checks.first?.check { return check }
        return nil
    }

    /// The names of the variables the step refers to, without repeats, in order.
    public var variableNames: [String] {
        var seen = Set<String>()
        return references.map(\.value).filter { seen.insert($0).inserted }
    }

    /// The names among `declared` that the step's `sh check` reads as `$NAME` or `${NAME}`.
    ///
    /// A check's variables are exported to its shell, so reading one from there uses it as much as `{{NAME}}` does.
    public func shellNames(declared: [String]) -> [String] {
        let read = shellReads
        return read.isEmpty ? [] : declared.filter(read.contains)
    }

    /// Every name the step's `sh check` reads as `$NAME` or `${NAME}`, declared or not.
    public var shellReads: Set<String> {
        guard case .shell(let script)? = check else { return [] }
        let scalars = Array(script.unicodeScalars)
        func isNamePart(_ c: Unicode.Scalar) -> Bool {
            ("A"..."Z").contains(c) || ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "_"
        }
        var read = Set<String>()
        for (index, scalar) in scalars.enumerated() where scalar == "$" {
            var start = index + 1
            if start < scalars.count, scalars[start] == "{" {
                start += 1
                // `${#NAME}`, the length of NAME, reads it too.
                if start < scalars.count, scalars[start] == "#" { start += 1 }
            }
            var end = start
            while end < scalars.count, isNamePart(scalars[end]) { end += 1 }
            if end > start { read.insert(String(String.UnicodeScalarView(scalars[start..<end]))) }
        }
        return read
    }
}
