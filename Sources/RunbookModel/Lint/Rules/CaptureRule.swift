import RunbookSupport
/// `Capture:` reads as one, names a declared variable, and stands on a step whose text it can read:
/// one with a paste check or a run block.
public struct CaptureRule: LintRule {
    public static let name = "capture"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        var problems: [(SourceLocation, String)] = []
        for step in runbook.steps {
            problems += step.malformedCaptures.map { ($0.location, $0.value) }
            let readable = step.hasRunBlock || { if case .paste? = step.check { true } else { false } }()
            for capture in step.captures {
                if runbook.variable(named: capture.name) == nil {
                    problems.append((capture.location, "Capture: \(capture.name) is not declared; add it under ## Variables"))
                } else if !readable {
                    problems.append((capture.location, "step \"\(step.title)\" captures \(capture.name) but has nothing to read it from; "
                                     + "a capture needs a paste check or a run block"))
                }
            }
        }
        return problems
    }
}
