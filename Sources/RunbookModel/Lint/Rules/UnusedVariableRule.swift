import RunbookSupport
/// A declared variable is used by some step.
public struct UnusedVariableRule: LintRule {
    public static let name = "unused-variable"
    public static let severity = Diagnostic.Severity.warning

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        // The names each sh check reads, not filtered per step against every declared name:
        // that would cost steps × variables.
        let used = Set(runbook.steps.flatMap(\.references).map(\.value))
            .union(runbook.steps.flatMap(\.shellReads))
        return runbook.variables.filter { !used.contains($0.name) }.map { variable in
            (variable.location, "variable \(variable.name) is declared but no step uses it; use it as {{\(variable.name)}} or remove it")
        }
    }
}
