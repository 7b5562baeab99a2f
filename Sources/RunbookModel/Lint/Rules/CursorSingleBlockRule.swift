import RunbookSupport
/// A step run in Cursor holds exactly one action block: the Cursor Agent Block to paste.
public struct CursorSingleBlockRule: LintRule {
    public static let name = "cursor-single-block"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        runbook.steps.filter { $0.place.lowercased().contains("cursor") }.compactMap { step in
            switch step.actions.count {
            case 0:
                (step.location, "step \"\(step.title)\" runs in Cursor but has no action block; add the single Cursor Agent Block to paste")
            case 1:
                nil
            default:
                (step.actions[1].location, "step \"\(step.title)\" runs in Cursor, so its Cursor Agent Block must be single; merge the blocks into one or split the step")
            }
        }
    }
}
