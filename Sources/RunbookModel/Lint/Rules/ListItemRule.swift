import RunbookSupport
/// Items under Guardrails and Variables have the shape the parser reads.
public struct ListItemRule: LintRule {
    public static let name = "list-item"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        // The parser writes the message next to the shape it expects.
        runbook.malformedItems.map { ($0.location, $0.value) }
    }
}
