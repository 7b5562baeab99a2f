import RunbookSupport
/// `Via: ssh USER@HOST` says where a step's run block runs: once, readable, and only with a run block.
public struct ViaRule: LintRule {
    public static let name = "via"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        runbook.steps.flatMap { step -> [(SourceLocation, String)] in
            var problems: [(SourceLocation, String)] = []
            for via in step.vias where Via.parse(via.value) == nil {
                problems.append((via.location,
                                 "step \"\(step.title)\" has Via: \"\(via.value)\", which is not `ssh USER@HOST`; write it as e.g. \"Via: ssh deploy@intelliwatt-smt-proxy\""))
            }
            if step.vias.count > 1 {
                problems.append((step.vias[1].location,
                                 "step \"\(step.title)\" has \(step.vias.count) Via: lines; a run block runs in one place: keep one"))
            }
            if let first = step.vias.first, step.runBlock == nil {
                problems.append((first.location,
                                 "step \"\(step.title)\" has Via: but no run block; mark its action block to run (e.g. ```bash run), or remove Via:"))
            }
            return problems
        }
    }
}
