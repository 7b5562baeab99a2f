import RunbookModel
import RunbookRun
import RunbookSupport
/// The text of one step's screen in a walk, and of `show`.
public enum StepScreen {
    /// The guardrails, shown before the first step.
    public static func guardrails(_ runbook: Runbook, style: Style) -> [String] {
        guard !runbook.guardrails.isEmpty else { return [] }
        var lines = [style.warning("Guardrails: never do these.")]
        for guardrail in runbook.guardrails {
            lines.append("  - \(style.bold(guardrail.pattern))" + (guardrail.reason.isEmpty ? "" : ": \(guardrail.reason)"))
        }
        return lines
    }

    /// One step: number and count, Where first and most visible, title, prose, action, Expect, output, check.
    ///
    /// `previousPlace` is where the step last shown ran; when it differs, the screen says so before anything else.
    public static func render(_ step: Step, number: Int, of count: Int, previousPlace: String?,
                              values: [String: String], runbook: Runbook, style: Style) -> [String] {
        func show(_ text: String) -> String { Secrets.display(text, values: values, runbook: runbook) }
        func prose(_ text: String) -> String { style.inlineCode(show(text)) }
        var lines: [String] = []
        if let previousPlace, !previousPlace.isEmpty, previousPlace != step.place {
            lines.append(style.warning(">> Switch to: \(step.place)"))
            lines.append("")
        }
        lines.append(style.dim("Step \(number) of \(count)"))
        lines.append(style.place(style.enabled ? " WHERE: \(step.place) " : "WHERE: \(step.place)"))
        lines.append(style.bold(show(step.title)))
        if !step.prose.isEmpty {
            lines.append("")
            lines += step.prose.map(prose)
        }
        if let action = step.action {
            lines.append("")
            lines += Self.action(action, values: values, runbook: runbook, style: style)
        }
        if let expect = step.expect, !expect.value.isEmpty {
            lines.append("")
            lines.append(style.bold("Expect: ") + prose(expect.value))
        }
        if let output = step.output {
            lines.append("")
            lines.append(style.dim("Output looks like:"))
            lines += output.lines.map { "  " + show($0) }
        }
        if let check = step.check {
            lines.append("")
            lines.append(style.dim("Check: ") + show(check.summary))
        }
        if let choice = step.choice {
            lines.append("")
            lines.append(style.bold("Choose:") + (choice.question.isEmpty ? "" : " " + prose(choice.question)))
            let width = choice.options.map(\.key.count).max() ?? 0
            for (number, option) in choice.options.enumerated() {
                let target = option.target.value
                let to = target == ChoiceOption.end ? "the end of the run" : (runbook.step(id: target)?.title ?? "#" + target)
                lines.append("  \(number + 1). " + style.bold(option.key) + String(repeating: " ", count: width - option.key.count)
                             + "  " + (option.meaning.isEmpty ? "" : prose(option.meaning) + " ") + "→ " + to
                             + (option.condition.map { " " + $0.written } ?? ""))
            }
            lines.append(style.dim("Type done, then the number or the KEY; or the KEY alone."))
        } else if let next = step.next {
            lines.append("")
            lines.append(style.dim("Next: ") + (next == ChoiceOption.end ? "the end of the run" : (runbook.step(id: next)?.title ?? "#" + next)))
        }
        return lines
    }

    /// An action block with its fences: non-secret variables substituted, secrets as `{{NAME}}`.
    public static func action(_ block: CodeBlock, values: [String: String], runbook: Runbook, style: Style) -> [String] {
        [style.dim("```" + block.info)] + block.lines.map { Secrets.display($0, values: values, runbook: runbook) } + [style.dim("```")]
    }

    /// The house rules, said once when a walk begins, whatever the runbook.
    public static func houseRules(style: Style) -> [String] {
        [style.bold("How this works:") + " one step at a time. Each step says WHERE to run it, first; when the place changes, the screen says Switch to before anything else.",
         "Do the step, compare with its Expect, then type done: nothing moves on until you do. Type help for the other words."]
    }
}
