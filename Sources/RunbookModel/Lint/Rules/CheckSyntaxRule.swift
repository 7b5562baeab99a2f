import RunbookSupport
/// Check blocks parse, and a step holds at most one.
public struct CheckSyntaxRule: LintRule {
    public static let name = "check-syntax"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        var problems: [(SourceLocation, String)] = []
        for step in runbook.steps {
            for block in step.checks {
                if case .failure(let error)? = block.check {
                    problems.append((error.location, error.message))
                }
            }
            if step.checks.count > 1 {
                problems.append((step.checks[1].location,
                                 "step \"\(step.title)\" has \(step.checks.count) check blocks; keep one, with all its expect lines"))
            }
        }
        return problems
    }
}
