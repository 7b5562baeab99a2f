import RunbookSupport
/// Some path from the first step reaches the end of the runbook: `#end`, or past the last step.
///
/// Without one, every walk goes round a loop for good, and only `quit` stops it.
public struct NoWayOutRule: LintRule {
    public static let name = "no-way-out"
    public static let severity = Diagnostic.Severity.warning

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        let steps = runbook.steps
        guard !steps.isEmpty else { return [] }
        let index = Dictionary(steps.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var reached = Set([0])
        var queue = [0]
        while let current = queue.popLast() {
            guard let targets = steps[current].targets else {
                if current + 1 == steps.count { return [] }  // running off the last step ends the run
                if reached.insert(current + 1).inserted { queue.append(current + 1) }
                continue
            }
            // A Choose: without one readable option is choice-syntax's error, not a trap.
            if targets.isEmpty { return [] }
            for target in targets {
                // An unknown target is unknown-target's error; this rule does not guess where it leads.
                guard !ChoiceOption.isFinal(target), let next = index[target] else { return [] }
                if reached.insert(next).inserted { queue.append(next) }
            }
        }
        let walked = reached.sorted()
        let furthest = steps[walked[walked.count - 1]]
        let names = walked.prefix(4).map { "#" + steps[$0].id }.joined(separator: ", ") + (walked.count > 4 ? ", …" : "")
        return [(furthest.location,
                 "no path from the first step reaches the end of the runbook: a walk goes round \(names) for good; give step \"\(furthest.title)\" a way out, e.g. an option → #end")]
    }
}
