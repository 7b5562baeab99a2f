import RunbookModel
import RunbookRun
import RunbookSupport
/// The text of `list` and `show`, plain or JSON.
public enum RunbookViews {
    /// One runbook a line, sorted by id: id, title, step count, tags; `*` marks unfinished runs.
    public static func list(_ runbooks: [Runbook], unfinished: Set<String>) -> String {
        guard !runbooks.isEmpty else { return "No runbooks here. Write one with: runbook new ID\n" }
        let sorted = runbooks.sorted { $0.id < $1.id }
        let idWidth = sorted.map { $0.id.count + 2 }.max() ?? 0
        let titleWidth = min(48, sorted.map(\.title.escapingControlCharacters.count).max() ?? 0)
        var text = ""
        for runbook in sorted {
            let mark = unfinished.contains(runbook.id) ? " *" : ""
            let steps = "\(runbook.steps.count) step\(runbook.steps.count == 1 ? "" : "s")"
            let tags = runbook.tags.isEmpty ? "" : "  [" + runbook.tags.joined(separator: ", ") + "]"
            text += pad(runbook.id + mark, idWidth) + "  " + pad(runbook.title.escapingControlCharacters, titleWidth) + "  "
                + pad(steps, 8) + tags.escapingControlCharacters
            text = text.trimmingTrailingWhitespace() + "\n"
        }
        if !unfinished.isEmpty { text += "\n* has an unfinished run: runbook runs\n" }
        return text
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    public static func listJSON(_ runbooks: [Runbook], unfinished: Set<String>) -> String {
        struct Item: Encodable {
            var id, title, path: String
            var steps: Int
            var tags: [String]
            var unfinishedRuns: Bool
        }
        return JSONText.encode(runbooks.sorted { $0.id < $1.id }.map {
            Item(id: $0.id, title: $0.title, path: $0.path, steps: $0.steps.count, tags: $0.tags,
                 unfinishedRuns: unfinished.contains($0.id))
        })
    }

    /// The whole runbook for reading: title, summary, guardrails, variables, then every step.
    public static func show(_ runbook: Runbook, style: Style) -> String {
        var lines = [style.bold(runbook.title) + style.dim("  (\(runbook.id), \(runbook.steps.count) step\(runbook.steps.count == 1 ? "" : "s"))")]
        if !runbook.preamble.isEmpty { lines += [""] + runbook.preamble }
        if !runbook.tags.isEmpty { lines += ["Tags: " + runbook.tags.joined(separator: ", ")] }
        let rails = StepScreen.guardrails(runbook, style: style)
        if !rails.isEmpty { lines += [""] + rails }
        if !runbook.variables.isEmpty {
            lines += ["", style.bold("Variables:")]
            for variable in runbook.variables {
                var line = "  \(variable.name)" + (variable.isSecret ? " (secret)" : "")
                if !variable.description.isEmpty { line += ": \(variable.description)" }
                if let value = variable.defaultValue, !variable.isSecret { line += " Default: \(value)" }
                lines.append(line)
            }
        }
        let renderer = Renderer(style: style)
        func context(after: Bool) {
            for section in runbook.context where section.isAfterSteps == after {
                lines += ["", style.dim(String(repeating: "─", count: 60))]
                lines += StepScreen.context(section, values: [:], runbook: runbook).map(renderer.line)
            }
        }
        context(after: false)
        for (index, step) in runbook.steps.enumerated() {
            lines += ["", style.dim(String(repeating: "─", count: 60))]
            lines += StepScreen.render(step, number: index + 1, of: runbook.steps.count,
                                       previousPlace: index > 0 ? runbook.steps[index - 1].place : nil,
                                       values: [:], runbook: runbook, style: style)
        }
        context(after: true)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The runbook as JSON: everything a walk uses (options, jumps, check kinds), for tools and reviews.
    public static func showJSON(_ runbook: Runbook) -> String {
        struct Block: Encodable {
            var info, text: String
            var language: String?
            init(_ block: CodeBlock) {
                info = block.info
                text = block.text
                language = block.language
            }
        }
        struct OptionView: Encodable {
            var key, meaning, target: String
            /// `passes`, `fails`, or null when the option fits either verdict.
            var condition: String?
            /// The runbook a hand-off target names (`target` is then `runbook:ID`), else null.
            var handOff: String?

            enum CodingKeys: CodingKey { case key, meaning, target, condition, handOff }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(key, forKey: .key)
                try container.encode(meaning, forKey: .meaning)
                try container.encode(target, forKey: .target)
                try container.encode(condition, forKey: .condition)  // null, not left out: every option has the field
                try container.encode(handOff, forKey: .handOff)
            }
        }
        struct WaitView: Encodable {
            var seconds: Int
            /// With polling: seconds between two runs of the step's check, else null.
            var every: Int?
            var written: String

            enum CodingKeys: CodingKey { case seconds, every, written }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(seconds, forKey: .seconds)
                try container.encode(every, forKey: .every)
                try container.encode(written, forKey: .written)
            }
        }
        struct ChoiceView: Encodable {
            var question: String
            var options: [OptionView]
        }
        struct StepView: Encodable {
            var id, title, `where`, digest: String
            var prose: String
            /// The first action block; `actions` holds every one (alternatives, one per language).
            var action: Block?
            var actions: [Block]
            var expect: String?
            var output: Block?
            /// The check's one-line summary, and its kind: `http`, `paste` or `sh`.
            var check: String?
            var checkKind: String?
            var choose: ChoiceView?
            /// `Next:`'s target: a step id, `end`, or `runbook:ID` for a hand-off.
            var next: String?
            /// The runbook `Next:` hands off to, else null.
            var handOff: String?
            /// Each `Capture:` as written: `NAME = json PATH` or `NAME = line /REGEX/`.
            var captures: [String]
            /// `Wait:`, or null.
            var wait: WaitView?

            enum CodingKeys: String, CodingKey {
                case id, title, `where`, digest, prose, action, actions, expect, output, check, checkKind, choose, next, handOff, captures, wait
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(id, forKey: .id)
                try container.encode(title, forKey: .title)
                try container.encode(`where`, forKey: .where)
                try container.encode(digest, forKey: .digest)
                try container.encode(prose, forKey: .prose)
                try container.encodeIfPresent(action, forKey: .action)
                try container.encode(actions, forKey: .actions)
                try container.encodeIfPresent(expect, forKey: .expect)
                try container.encodeIfPresent(output, forKey: .output)
                try container.encodeIfPresent(check, forKey: .check)
                try container.encodeIfPresent(checkKind, forKey: .checkKind)
                try container.encodeIfPresent(choose, forKey: .choose)
                try container.encodeIfPresent(next, forKey: .next)
                try container.encode(handOff, forKey: .handOff)
                try container.encode(captures, forKey: .captures)
                try container.encode(wait, forKey: .wait)  // null, not left out
            }
        }
        struct VariableView: Encodable {
            var name, description: String
            var `default`: String?
            var secret: Bool
        }
        struct GuardrailView: Encodable { var pattern, reason: String }
        struct ContextView: Encodable {
            var id, title, text: String
            /// `before` the first step or `after` the last.
            var placement: String
        }
        struct View: Encodable {
            var id, title, path, summary, digest: String
            var tags: [String]
            var guardrails: [GuardrailView]
            var variables: [VariableView]
            var context: [ContextView]
            var steps: [StepView]
        }
        let view = View(
            id: runbook.id, title: runbook.title, path: runbook.path, summary: runbook.summary, digest: runbook.digest,
            tags: runbook.tags,
            guardrails: runbook.guardrails.map { GuardrailView(pattern: $0.pattern, reason: $0.reason) },
            variables: runbook.variables.map {
                VariableView(name: $0.name, description: $0.description, default: $0.isSecret ? nil : $0.defaultValue,
                             secret: $0.isSecret)
            },
            context: runbook.context.map {
                ContextView(id: $0.id, title: $0.title, text: $0.prose.joined(separator: "\n"),
                            placement: $0.isAfterSteps ? "after" : "before")
            },
            steps: runbook.steps.map { step in
                StepView(id: step.id, title: step.title, where: step.place, digest: step.digest,
                         prose: step.prose.joined(separator: "\n"),
                         action: step.action.map(Block.init), actions: step.actions.map(Block.init),
                         expect: step.expect?.value, output: step.output.map(Block.init),
                         check: step.check?.summary, checkKind: step.check?.kindName,
                         choose: step.choice.map { choice in
                             ChoiceView(question: choice.question, options: choice.options.map {
                                 OptionView(key: $0.key, meaning: $0.meaning, target: $0.target.value, condition: $0.condition?.rawValue,
                                            handOff: ChoiceOption.handOff($0.target.value))
                             })
                         },
                         next: step.next, handOff: step.next.flatMap(ChoiceOption.handOff), captures: step.captures.map(\.written),
                         wait: step.wait.map { WaitView(seconds: $0.seconds, every: $0.every, written: $0.written) })
            })
        return JSONText.encode(view)
    }
}
