import RunbookSupport
/// One picture of success: a step holds at most one `Expect:` and one output sample.
///
/// A second one was once dropped without a word; now both are kept and named, so the writer merges them.
public struct OneExpectRule: LintRule {
    public static let name = "one-expect"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        var problems: [(SourceLocation, String)] = []
        for step in runbook.steps {
            if let first = step.expects.first {
                for extra in step.expects.dropFirst() {
                    problems.append((extra.location, "step \"\(step.title)\" has a second Expect: on line \(extra.location.line), after the one on line \(first.location.line); keep one, saying all the operator should see"))
                }
            }
            if let first = step.outputs.first {
                for extra in step.outputs.dropFirst() {
                    problems.append((extra.location, "step \"\(step.title)\" has a second output sample on line \(extra.location.line), after the one on line \(first.location.line); keep one, or split the step"))
                }
            }
        }
        return problems
    }
}
