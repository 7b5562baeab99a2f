import RunbookSupport
/// `Wait:` reads as one, stands once per step, and polls (`up to … every …`) only a check that runbook
/// runs itself: an `http check` or an `sh check`.
public struct WaitRule: LintRule {
    public static let name = "wait"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        var problems: [(SourceLocation, String)] = []
        for step in runbook.steps {
            problems += step.malformedWaits.map { ($0.location, $0.value) }
            for extra in step.waits.dropFirst() {
                problems.append((extra.location, "step \"\(step.title)\" has \(step.waits.count) Wait: lines; keep one"))
            }
            guard let wait = step.wait, wait.every != nil else { continue }
            switch step.check {
            case .http?, .shell?: break
            case .paste?:
                problems.append((wait.location, "step \"\(step.title)\" polls a paste check, which only the operator can answer; "
                                 + "write Wait: \(Wait.duration(wait.seconds)), or give it an http or sh check"))
            case nil:
                problems.append((wait.location, "step \"\(step.title)\" waits up to \(Wait.duration(wait.seconds)) for a check it does not have; "
                                 + "give it an http or sh check, or write Wait: \(Wait.duration(wait.seconds))"))
            }
        }
        return problems
    }
}
