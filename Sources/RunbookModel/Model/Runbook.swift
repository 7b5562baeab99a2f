import RunbookSupport
/// A parsed runbook: the title, the preamble and the steps of one Markdown file.
///
/// Besides the values a walk needs, it keeps the raw facts the linter judges
/// (every H1, text before the title, fences that never close), so that parsing
/// never fails on a malformed file and lint can report every problem at once.
public struct Runbook: Hashable, Sendable {
    /// The file name without `.md`.
    public var id: String
    /// The path the runbook was read from, as given.
    public var path: String
    public var title: String
    /// The prose between the title and the first section, paragraph breaks kept; `start` shows it.
    public var preamble: [String] = []
    public var tags: [String]
    public var guardrails: [Guardrail]
    public var variables: [Variable] {
        didSet { variableIndex = Self.index(of: variables) }
    }
    /// Where each variable stands by name (the first declared wins): a lookup per `{{NAME}}` shown
    /// must not scan every declaration.
    private var variableIndex: [String: Int] = [:]
    public var steps: [Step]
    /// Background sections before the first step or after the last (SPEC 11), in file order.
    public var context: [ContextSection] = []
    /// SHA-256 of the whole file, line endings normalised to LF.
    public var digest: String

    /// Where each level-1 heading stands (outside code blocks).
    public var titleHeadings: [SourceLocation]
    /// The first non-blank line before the first H1, if any.
    public var textBeforeTitle: SourceLocation?
    /// Code blocks whose fence never closes.
    public var unclosedFences: [SourceLocation]
    /// Items under Guardrails or Variables that do not have the expected shape.
    public var malformedItems: [Located<String>]

    public init(
        id: String, path: String, title: String = "", tags: [String] = [],
        guardrails: [Guardrail] = [], variables: [Variable] = [], steps: [Step] = [], digest: String = "",
        titleHeadings: [SourceLocation] = [], textBeforeTitle: SourceLocation? = nil,
        unclosedFences: [SourceLocation] = [], malformedItems: [Located<String>] = []
    ) {
        self.id = id
        self.path = path
        self.title = title
        self.tags = tags
        self.guardrails = guardrails
        self.variables = variables
        variableIndex = Self.index(of: variables)
        self.steps = steps
        self.digest = digest
        self.titleHeadings = titleHeadings
        self.textBeforeTitle = textBeforeTitle
        self.unclosedFences = unclosedFences
        self.malformedItems = malformedItems
    }

    /// The first paragraph of the preamble (headings left out), on one line: what `list` shows.
    public var summary: String {
        preamble.drop { $0.isEmpty }.prefix { !$0.isEmpty }
            .filter { !$0.trimmed.hasPrefix("#") }.map(\.trimmed).joined(separator: " ")
    }

    public func variable(named name: String) -> Variable? {
        variableIndex[name].map { variables[$0] }
    }

    private static func index(of variables: [Variable]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, variable) in variables.enumerated() where index[variable.name] == nil {
            index[variable.name] = position
        }
        return index
    }

    /// The names of the variables declared secret, in order.
    public var secretNames: [String] {
        variables.filter(\.isSecret).map(\.name)
    }

    public func step(id: String) -> Step? {
        steps.first { $0.id == id }
    }

    /// True when `id` is a valid runbook id: `[a-z0-9][a-z0-9-]*`.
    public static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, isLowerAlnum(first) else { return false }
        return id.unicodeScalars.allSatisfy { isLowerAlnum($0) || $0 == "-" }
    }

    private static func isLowerAlnum(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("0"..."9").contains(c)
    }
}
