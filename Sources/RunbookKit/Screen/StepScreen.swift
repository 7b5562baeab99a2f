import RunbookModel
import RunbookRun
import RunbookSupport

/// The lines of one step's screen in a walk, and of `show`.
public enum StepScreen {
    /// Where a step stands and how far the walk has come, for its header.
    public struct Header: Hashable, Sendable {
        /// The step's number in the runbook, and how many steps the runbook has.
        public var number: Int
        public var count: Int
        /// Progress on the path, when walking: steps behind, and steps left on the path known now.
        public var done: Int?
        public var left: Int?
        /// How many times the step was finished before (a retry loop): 0 on a first pass.
        public var earlierPasses: Int = 0

        public init(number: Int, count: Int, done: Int? = nil, left: Int? = nil, earlierPasses: Int = 0) {
            self.number = number
            self.count = count
            self.done = done
            self.left = left
            self.earlierPasses = earlierPasses
        }
    }

    /// The guardrails, shown before the first step.
    public static func guardrails(_ runbook: Runbook) -> [Text] {
        guard !runbook.guardrails.isEmpty else { return [] }
        var lines: [Text] = [Text("Guardrails: never do these.", source: .program, role: .warning)]
        for guardrail in runbook.guardrails {
            lines.append("  - \(runbook: guardrail.pattern, role: .bold)" + (guardrail.reason.isEmpty ? "" : ": \(runbook: guardrail.reason, role: .prose)"))
        }
        return lines
    }

    /// The context sections, named once when a walk begins.
    public static func contextNames(_ runbook: Runbook) -> [Text] {
        guard !runbook.context.isEmpty else { return [] }
        let names = runbook.context.map(\.title).joined(separator: ", ")
        return ["About this runbook: \(runbook: names). Type about to list them, about NAME to read one."]
    }

    /// One context section: its title, then its prose.
    public static func context(_ section: ContextSection, values: [String: String], runbook: Runbook) -> [Text] {
        [display(section.title, values: values, runbook: runbook, role: .bold)]
            + section.prose.map { display($0, values: values, runbook: runbook, role: .prose) }
    }

    /// The place as the prompt names it: the Where as written, up to a parenthesis, cut to about 40 characters.
    public static func promptPlace(_ place: String) -> String {
        var short = String(place.prefix { $0 != "(" }).trimmed
        if short.isEmpty { short = place.trimmed }
        if short.count > 40 {
            let cut = short.prefix(40)
            short = (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + "…"
        }
        return short
    }

    /// One step: Switch to when the place changed, number, Where first and most visible, title, prose,
    /// action, Expect, output, check, and the ways on.
    public static func screen(_ step: Step, locate: ((String) -> Int?)? = nil, header: Header, previousPlace: String?, values: [String: String],
                              runbook: Runbook, shell: String? = nil) -> [Text] {
        func prose(_ text: String) -> Text { display(text, values: values, runbook: runbook, role: .prose) }
        var lines: [Text] = []
        if let previousPlace, !previousPlace.isEmpty, previousPlace != step.place {
            lines.append((">> Switch to: " as Text).styled(.warning) + display(step.place, values: values, runbook: runbook, role: .warning))
            lines.append("")
        }
        var top = "Step \(header.number) of \(header.count)"
        if let done = header.done, let left = header.left {
            top += " · \(done) done, \(left) left on this path"
        }
        if header.earlierPasses > 0 {
            top += " · pass \(header.earlierPasses + 1): walked \(header.earlierPasses == 1 ? "once" : "\(header.earlierPasses) times") before"
        }
        lines.append(Text(top, source: .program, role: .dim))
        lines.append(("WHERE: " as Text).styled(.place) + display(step.place, values: values, runbook: runbook, role: .place))
        lines.append(display(step.title, values: values, runbook: runbook, role: .bold))
        if !step.prose.isEmpty {
            lines.append("")
            lines += step.prose.map(prose)
        }
        lines += actions(step.actions(for: shell), values: values, runbook: runbook)
        if let expect = step.expect, !expect.value.isEmpty {
            lines.append("")
            lines.append(Text("Expect: ", source: .program, role: .bold) + prose(expect.value))
        }
        if let output = step.output {
            lines.append("")
            lines.append(Text("Output looks like:", source: .program, role: .dim))
            lines += output.lines.map { "  " + display($0, values: values, runbook: runbook, role: .code) }
        }
        if let check = step.check {
            lines.append("")
            lines.append(Text("Check: ", source: .program, role: .dim) + display(check.summary, values: values, runbook: runbook))
        }
        if let choice = step.choice {
            lines.append("")
            lines.append(Text("Choose:", source: .program, role: .bold) + (choice.question.isEmpty ? "" : " " + prose(choice.question)))
            lines += options(choice, runbook: runbook, values: values, locate: locate)
        } else if let next = step.next {
            lines.append("")
            lines.append(Text("Next: ", source: .program, role: .dim) + destination(next, runbook: runbook, locate: locate))
        }
        return lines
    }

    /// The options of a decision, numbered.
    public static func options(_ choice: Choice, runbook: Runbook, values: [String: String] = [:],
                               locate: ((String) -> Int?)? = nil) -> [Text] {
        let width = choice.options.map(\.key.count).max() ?? 0
        return choice.options.enumerated().map { number, option in
            var line: Text = "  \(number + 1). \(runbook: option.key, role: .bold)\(program: String(repeating: " ", count: width - option.key.count))  "
            if !option.meaning.isEmpty { line += display(option.meaning, values: values, runbook: runbook, role: .prose) + " " }
            return line + "→ " + destination(option.target.value, runbook: runbook, locate: locate)
                + (option.condition.map { " " + Text($0.written, source: .runbook) } ?? "")
        }
    }

    /// Where a target leads, in words.
    /// Where a target leads, in words; `locate` finds a step's index without a search when it can.
    public static func destination(_ target: String, runbook: Runbook, locate: ((String) -> Int?)? = nil) -> Text {
        if target == ChoiceOption.end { return "the end of the run" }
        if let other = ChoiceOption.handOff(target) { return "the runbook \(runbook: other) (a hand-off: a run of it starts)" }
        if let index = locate?(target) ?? runbook.steps.firstIndex(where: { $0.id == target }),
           index < runbook.steps.count, runbook.steps[index].id == target {
            return "step \(index + 1), \(runbook: runbook.steps[index].title)"
        }
        return "#\(runbook: target)"
    }

    /// The action blocks shown, each after a blank line; alternatives (one per language) each labelled.
    public static func actions(_ blocks: [CodeBlock], values: [String: String], runbook: Runbook) -> [Text] {
        var lines: [Text] = []
        for (position, block) in blocks.enumerated() {
            lines.append("")
            if blocks.count > 1 {
                let label = (position == 0 ? "In " : "Or in ") + (block.language ?? "another shell") + ":"
                lines.append(Text(label, source: .program, role: .dim))
            }
            lines += action(block, values: values, runbook: runbook)
        }
        return lines
    }

    /// An action block with its fences: non-secret variables substituted, secrets as `{{NAME}}`.
    public static func action(_ block: CodeBlock, values: [String: String], runbook: Runbook) -> [Text] {
        [Text("```" + block.info, source: .runbook, role: .dim)]
            + block.lines.map { display($0, values: values, runbook: runbook, role: .code) }
            + [Text("```", source: .runbook, role: .dim)]
    }

    /// The runbook's text with `{{NAME}}` of non-secret variables replaced by their values; secrets stay
    /// `{{NAME}}`. A value the operator gave is marked as typed (it is masked like anything typed); a
    /// value that is the variable's `Default:` is the runbook's own text.
    public static func display(_ text: String, values: [String: String], runbook: Runbook, role: Text.Role = .plain) -> Text {
        let references = Variable.references(in: text)
        guard !references.isEmpty, !values.isEmpty else { return Text(text, source: .runbook, role: role) }
        let characters = Array(text)
        var result = Text()
        var copied = 0
        for (name, column) in references {
            let variable = runbook.variable(named: name)
            guard let value = values[name], variable?.isSecret != true else { continue }
            result += Text(String(characters[copied..<(column - 1)]), source: .runbook, role: role)
            result += Text(value, source: value == variable?.defaultValue ? .runbook : .typed, role: role)
            copied = column - 1 + name.count + 4
        }
        return result + Text(String(characters[copied...]), source: .runbook, role: role)
    }

    /// The house rules, said once when a walk begins, whatever the runbook.
    public static func houseRules() -> [Text] {
        [("How this works:" as Text).styled(.bold) + " one step at a time. Each step says WHERE to run it, first; when the place changes, the screen says Switch to before anything else.",
         "Do the step, compare with its Expect, then type done: nothing moves on until you do. The prompt names the place and the step. Type help for the other words."]
    }

    // MARK: - Plain strings, for `show` and tests

    /// One step's screen as plain or coloured lines, with no secret known.
    public static func render(_ step: Step, number: Int, of count: Int, previousPlace: String?,
                              values: [String: String], runbook: Runbook, style: Style) -> [String] {
        let renderer = Renderer(style: style)
        return screen(step, header: Header(number: number, count: count), previousPlace: previousPlace, values: values,
                      runbook: runbook).map(renderer.line)
    }

    public static func guardrails(_ runbook: Runbook, style: Style) -> [String] {
        guardrails(runbook).map(Renderer(style: style).line)
    }

}
