import RunbookSupport
/// `Choose:` and `Next:` are written so a walk can follow them.
public struct ChoiceSyntaxRule: LintRule {
    public static let name = "choice-syntax"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        var problems: [(SourceLocation, String)] = []
        for step in runbook.steps {
            let named = "step \"\(step.title)\""
            if let choice = step.choices.first, let next = step.nexts.first {
                problems.append((max(choice.location, next.location), "\(named) has both Choose: and Next:; keep one: the options say where each answer leads"))
            }
            for extra in step.choices.dropFirst() {
                problems.append((extra.location, "\(named) has \(step.choices.count) Choose: lines; keep one, with all its options"))
            }
            for extra in step.nexts.dropFirst() {
                problems.append((extra.location, "\(named) has \(step.nexts.count) Next: lines; keep one"))
            }
            for next in step.nexts where Step.target(in: next.value) == nil {
                problems.append((next.location, "write Next: #step-id, Next: #end or Next: RUNBOOK-ID (a hand-off), not `Next: \(next.value)`"))
            }
            for choice in step.choices {
                problems += choice.malformed.map { ($0.location, $0.value) }
                var seen = Set<String>()
                for (position, option) in choice.options.enumerated() {
                    if let number = Int(option.key), number != position + 1, choice.options.indices.contains(number - 1) {
                        problems.append((option.location, "the KEY `\(option.key)` is also the number of option \(number); use a word, so typing it cannot mean two things"))
                    }
                    if !Runbook.isValidID(option.key) {
                        problems.append((option.location, "the KEY `\(option.key)` is not lowercase letters, digits and dashes ([a-z0-9][a-z0-9-]*)"))
                    } else if PromptCommand(option.key).isPromptWord {
                        problems.append((option.location, "the KEY `\(option.key)` is a prompt word; pick another, so typing it cannot mean two things"))
                    }
                    if let condition = option.condition, step.checks.isEmpty {
                        problems.append((option.location, "the option `\(option.key)` ends \(condition.written), but \(named) has no check block; add one, or drop the condition"))
                    }
                    if !seen.insert(option.key).inserted {
                        problems.append((option.location, "the KEY `\(option.key)` is used twice in this Choose:; each option needs its own"))
                    }
                }
                if choice.options.count + choice.malformed.count < 2 {
                    problems.append((choice.location, "\(named) offers \(choice.options.count) option\(choice.options.count == 1 ? "" : "s") after Choose:; a decision needs two or more (use Next: for a single jump)"))
                }
            }
        }
        return problems
    }
}
