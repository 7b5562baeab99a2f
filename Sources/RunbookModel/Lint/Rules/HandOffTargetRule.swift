import RunbookSupport
/// Every hand-off (`→ RUNBOOK-ID`, `Next: RUNBOOK-ID`, no `#`) names a runbook: one linted with it, or one of
/// the runbooks folder (`catalog`), which is where the walk looks for it.
public struct HandOffTargetRule: CatalogLintRule {
    public static let name = UnknownTargetRule.name
    public static let severity = Diagnostic.Severity.error

    /// The runbook ids of the runbooks folder.
    public var catalog: Set<String>

    public init(catalog: Set<String> = []) {
        self.catalog = catalog
    }

    public func check(_ runbooks: [Runbook]) -> [(Runbook, SourceLocation, String)] {
        let known = catalog.union(runbooks.map(\.id))
        var problems: [(Runbook, SourceLocation, String)] = []
        for runbook in runbooks {
            for step in runbook.steps {
                var targets = step.choices.flatMap(\.options).map(\.target)
                targets += step.nexts.compactMap { next in Step.target(in: next.value).map { Located($0, at: next.location) } }
                for target in targets {
                    guard let id = ChoiceOption.handOff(target.value), !known.contains(id) else { continue }
                    let hint = runbook.step(id: id) != nil ? "a step of this runbook is written #\(id); "
                        : Suggestion.closest(to: id, in: known.sorted()).map { "did you mean \($0)? " } ?? ""
                    problems.append((runbook, target.location,
                                     "step \"\(step.title)\" hands off to \(id), which is no runbook of the runbooks folder; \(hint)write a runbook id, a #step-id or #end"))
                }
            }
        }
        return problems
    }
}
