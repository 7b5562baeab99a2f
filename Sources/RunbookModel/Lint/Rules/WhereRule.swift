import RunbookSupport
/// Every step says where to run it: exactly one non-empty `Where:` line.
public struct WhereRule: LintRule {
    public static let name = "where"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        runbook.steps.compactMap { step in
            switch step.wheres.count {
            case 0:
                (step.location, "step \"\(step.title)\" has no Where: line; add one saying where to run it, e.g. \"Where: PowerShell on your laptop\"")
            case 1 where step.wheres[0].value.isEmpty:
                (step.wheres[0].location, "step \"\(step.title)\" has an empty Where: line; say where to run it, e.g. \"Where: PowerShell on your laptop\"")
            case 1:
                nil
            default:
                (step.wheres[1].location, "step \"\(step.title)\" has \(step.wheres.count) Where: lines; keep one, and split the step if it runs in several places")
            }
        }
    }
}
