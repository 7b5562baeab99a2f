import RunbookSupport
/// A runbook has at least one step.
public struct NoStepsRule: LintRule {
    public static let name = "no-steps"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        guard runbook.steps.isEmpty else { return [] }
        let location = runbook.titleHeadings.first ?? SourceLocation(line: 1, column: 1)
        return [(location, "the runbook has no steps; add an H2 heading per step, e.g. \"## SSH to the droplet\" with its Where: line")]
    }
}
