import RunbookSupport
/// Every step can be reached from the first one, following the file order, `Next:` and the options.
public struct UnreachableStepRule: LintRule {
    public static let name = "unreachable-step"
    public static let severity = Diagnostic.Severity.warning

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        let steps = runbook.steps
        guard !steps.isEmpty else { return [] }
        let index = Dictionary(steps.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var reached = Set([0])
        var queue = [0]
        while let current = queue.popLast() {
            let following = steps[current].targets.map { $0.compactMap { index[$0] } } ?? (current + 1 < steps.count ? [current + 1] : [])
            for next in following where reached.insert(next).inserted { queue.append(next) }
        }
        return steps.indices.filter { !reached.contains($0) }.map { unreached in
            (steps[unreached].location,
             "no path from the first step reaches step \"\(steps[unreached].title)\"; point an option or a Next: at #\(steps[unreached].id), or remove the step")
        }
    }
}
