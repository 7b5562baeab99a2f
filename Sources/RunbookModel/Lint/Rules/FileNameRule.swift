import RunbookSupport
/// The id, the file name without `.md`, matches `[a-z0-9][a-z0-9-]*`.
public struct FileNameRule: LintRule {
    public static let name = "file-name"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        guard !Runbook.isValidID(runbook.id) else { return [] }
        let slug = RunbookParser.slug(runbook.id)
        let example = slug.isEmpty ? "" : ", e.g. \(slug).md"
        return [(SourceLocation(line: 1, column: 1),
                 "the id \"\(runbook.id)\" is not lowercase letters, digits and dashes; rename the file\(example)")]
    }
}
