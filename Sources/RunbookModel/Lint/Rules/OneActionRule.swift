import RunbookSupport
/// One step at a time: a step holds at most one action block.
public struct OneActionRule: LintRule {
    public static let name = "one-action"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        runbook.steps.filter { $0.actions.count > 1 }.map { step in
            (step.actions[1].location,
             "step \"\(step.title)\" has \(step.actions.count) action blocks; one step at a time: split it into steps with one block each")
        }
    }
}
