import RunbookSupport
/// Runs refer to steps by id, so the ids of one runbook are unique.
public struct DuplicateStepRule: LintRule {
    public static let name = "duplicate-step"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        var first: [String: Step] = [:]
        var problems: [(SourceLocation, String)] = []
        for step in runbook.steps {
            if let earlier = first[step.id] {
                problems.append((step.location,
                                 "step id \"\(step.id)\" is also the id of step \"\(earlier.title)\" on line \(earlier.location.line); change the title or give it an explicit {#id}"))
            } else {
                first[step.id] = step
            }
        }
        return problems
    }
}
