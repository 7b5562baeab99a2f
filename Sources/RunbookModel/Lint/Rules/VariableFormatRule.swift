import RunbookSupport
/// A `Format:` is readable, and a `Default:` fits its own variable's format.
public struct VariableFormatRule: LintRule {
    public static let name = "variable-format"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        runbook.variables.compactMap { variable in
            switch variable.format {
            case .failure(let error)?:
                return (variable.location, "the Format: of \(variable.name) cannot be read: \(error.message)")
            case .success(let format)?:
                guard let value = variable.defaultValue, let problem = format.problem(with: value) else { return nil }
                return (variable.location, "the Default: of \(variable.name) does not fit its own Format: (\(format)): \(problem); fix one of them")
            case nil:
                return nil
            }
        }
    }
}
