import RunbookSupport
/// Every `{{NAME}}` a step uses is declared under `## Variables`.
public struct UndeclaredVariableRule: LintRule {
    public static let name = "undeclared-variable"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        let declared = Set(runbook.variables.map(\.name))
        return runbook.steps.flatMap(\.references).filter { !declared.contains($0.value) }.map { reference in
            (reference.location,
             "variable {{\(reference.value)}} is not declared; add it under ## Variables, e.g. \"- `\(reference.value)`: what it holds\"")
        }
    }
}
