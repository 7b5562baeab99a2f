import RunbookSupport
/// A step says how the operator knows it is done: a non-empty `Expect:`.
public struct NoExpectRule: LintRule {
    public static let name = "no-expect"
    public static let severity = Diagnostic.Severity.warning

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        runbook.steps.compactMap { step in
            switch step.expect {
            case nil:
                (step.location, "step \"\(step.title)\" has no Expect: line; add one saying how the operator knows it is done")
            case let expect? where expect.value.isEmpty:
                (step.location, "step \"\(step.title)\" has an empty Expect: line; say how the operator knows it is done")
            default:
                nil
            }
        }
    }
}
