import RunbookSupport
/// Secrets never live in runbooks: a secret variable has no default.
public struct SecretDefaultRule: LintRule {
    public static let name = "secret-default"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        runbook.variables.filter { $0.isSecret && $0.defaultValue != nil }.map { variable in
            (variable.location,
             "secret variable \(variable.name) has a default; secrets never live in runbooks: remove the Default: and let the operator supply it")
        }
    }
}
