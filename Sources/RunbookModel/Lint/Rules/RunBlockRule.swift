import RunbookSupport
/// A step holds at most one run block (`sh run`, `bash run`): `run` runs one command.
public struct RunBlockRule: LintRule {
    public static let name = "run-block"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        runbook.steps.compactMap { step in
            let runs = step.actions.filter(\.isRun)
            guard runs.count > 1 else { return nil }
            return (runs[1].location,
                    "step \"\(step.title)\" has \(runs.count) run blocks; `run` runs one command: keep one, and split the step")
        }
    }
}
