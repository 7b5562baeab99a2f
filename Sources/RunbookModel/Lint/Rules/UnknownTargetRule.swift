import RunbookSupport
/// Every `#target` of a `Choose:` option or a `Next:` is a step of the runbook, or `#end`.
///
/// A hand-off (another runbook's id, no `#`) is checked by `HandOffTargetRule`, which sees the catalog.
public struct UnknownTargetRule: LintRule {
    public static let name = "unknown-target"
    public static let severity = Diagnostic.Severity.error
    /// How many unknown targets of one runbook get a "did you mean": each hint compares the target
    /// with every step id, so hinting all of 10,000 typos took lint minutes (issue 13 item 8).
    public static let maxSuggestions = 50

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        let ids = runbook.steps.map(\.id)
        let known = Set(ids)
        var problems: [(SourceLocation, String)] = []
        var suggested = 0
        func check(_ target: String, at location: SourceLocation, in step: Step) {
            guard !ChoiceOption.isFinal(target), !known.contains(target) else { return }
            var hint = ""
            if suggested < Self.maxSuggestions {
                suggested += 1
                hint = Suggestion.closest(to: target, in: ids).map { "did you mean #\($0)? " } ?? ""
            }
            problems.append((location, "step \"\(step.title)\" leads to #\(target), which is no step of this runbook; \(hint)write a step id or #end"))
        }
        for step in runbook.steps {
            for option in step.choices.flatMap(\.options) { check(option.target.value, at: option.target.location, in: step) }
            for next in step.nexts {
                if let target = Step.target(in: next.value) { check(target, at: next.location, in: step) }
            }
        }
        return problems
    }
}
