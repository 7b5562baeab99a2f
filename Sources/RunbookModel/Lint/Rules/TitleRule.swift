import RunbookSupport
/// Exactly one H1, the first non-blank line: the title.
public struct TitleRule: LintRule {
    public static let name = "title"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        guard let first = runbook.titleHeadings.first else {
            // Without any H1 everything is "before the title"; one problem is enough.
            return [(SourceLocation(line: 1, column: 1),
                     "the runbook has no title; start the file with one H1 line, e.g. \"# Verify SMT JWT auth\"")]
        }
        var problems: [(SourceLocation, String)] = []
        if let before = runbook.textBeforeTitle, before < first {
            problems.append((before, "text before the title; make the H1 title the first line and move this text below it"))
        }
        for extra in runbook.titleHeadings.dropFirst() {
            problems.append((extra, "a second H1 heading; a runbook has one title: make this a step (##) or remove it"))
        }
        return problems
    }
}
