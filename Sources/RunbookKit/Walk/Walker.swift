import RunbookModel
import RunbookRun
import RunbookSupport
import Foundation

/// How a walk ended, which the CLI maps to an exit status.
public enum WalkOutcome: Hashable, Sendable {
    /// Every step done or skipped (exit 0).
    case completed
    /// `quit` or end of input, progress saved (exit 3).
    case paused
    /// A check failed without a terminal (exit 1).
    case checkFailed
    /// Progress could not be saved (exit 1); the message says what to do.
    case failed(String)
}

/// Walks an operator through a run one step at a time.
///
/// Every event is appended to the log (and flushed) before the screen moves on. The walker runs on
/// one thread and owns its state; an interrupt reaches only its `gate`. It never touches the
/// terminal itself: it talks to a `Console`.
public final class Walker {
    public private(set) var state: RunState
    let runbook: Runbook
    /// The log, which an interrupt can seal from another thread.
    public let gate: WalkGate
    let console: Console
    let style: Style
    let person: Operator
    let checks: CheckRunner
    let checkTimeout: Double
    /// Values given for this walk, first in line: `--var`, then values entered again with `set NAME`.
    private var given: [String: String]
    let environment: [String: String]
    /// Secret values, in memory only.
    private var secretValues: [String: String] = [:]
    /// What to mask in what the operator typed and what a check answered.
    private(set) var secrets = Secrets()
    /// Where the step last shown on this screen runs: `>> Switch to:` compares with it, so it is right after `back` too.
    private var lastPlace: String?

    public init(runbook: Runbook, state: RunState, sink: EventSink, console: Console, style: Style, person: Operator,
                checks: CheckRunner, checkTimeout: Double = 10, assigned: [String: String] = [:],
                environment: [String: String] = [:]) {
        self.runbook = runbook
        self.state = state
        gate = WalkGate(sink: sink, person: person, state: state)
        self.console = console
        self.style = style
        self.person = person
        self.checks = checks
        self.checkTimeout = checkTimeout
        self.given = assigned
        self.environment = environment
        // A secret known from --var or the environment is masked from the first line on, even in a
        // note typed before the step that uses it.
        for variable in runbook.variables where variable.isSecret {
            for value in [assigned[variable.name], environment[variable.name]].compactMap({ $0 })
            where variable.problem(with: value) == nil {
                secretValues[variable.name] = value
                secrets.add(value)
                break
            }
        }
    }

    /// Records an event: checked by the reducer, appended and flushed, then applied.
    func record(_ event: RunEvent) throws(LogError) {
        let entry = person.record(event)
        var next = state
        do {
            try next.apply(entry)
        } catch {
            // The walker only sends legal events; reaching here is a bug, reported without a crash.
            throw .refused(run: state.run, reason: error.message)
        }
        try gate.append(entry, leadingTo: next)
        state = next
    }

    /// Writes lines of the runbook's own text and the walk's words: nothing here holds a secret value.
    private func say(_ lines: [String]) {
        console.write(lines.map { $0 + "\n" }.joined())
    }

    /// Walks from the current step until the run completes, pauses or fails.
    public func walk() -> WalkOutcome {
        do {
            return try walkSteps()
        } catch {
            return .failed(error.description)
        }
    }

    private func walkSteps() throws(LogError) -> WalkOutcome {
        let rails = StepScreen.guardrails(runbook, style: style)
        if !rails.isEmpty { say(rails + [""]) }
        var shown: Int?
        while true {
            guard let index = state.currentIndex else {
                try record(.runCompleted)
                say([style.success("Run \(state.run) complete: ") + summary(),
                     "Report: runbook report \(state.run)"])
                return .completed
            }
            let progress = state.steps[index]
            guard let step = runbook.step(id: progress.id) else {
                return .failed("step \(progress.id) is not in \(runbook.path) any more; edit the runbook or abandon the run")
            }
            var command: PromptCommand?
            if shown != index {
                shown = index
                let (missing, notes) = try resolveKnown(for: step)
                say([style.dim(String(repeating: "─", count: 60))]
                    + StepScreen.render(step, number: state.number(of: index), of: state.steps.count, previousPlace: lastPlace,
                                        values: state.variables, runbook: runbook, style: style))
                lastPlace = step.place
                if !notes.isEmpty { say([""] + notes) }
                switch try askMissing(missing) {
                case .resolved: break
                case .ended: return try pause(.inputEnded)
                case .command(let typed): command = typed
                }
                // A value typed at a question is shown in the command it goes into.
                if command == nil, let action = step.action,
                   missing.contains(where: { !$0.0.isSecret && action.variableNames.contains($0.0.name) }) {
                    say(["", "With your value" + (missing.count == 1 ? "" : "s") + ":"]
                        + StepScreen.action(action, values: state.variables, runbook: runbook, style: style))
                }
                if command == nil { say(["", style.dim(PromptCommand.reminder)]) }
            }
            if command == nil {
                console.write("\(state.number(of: index))/\(state.steps.count)> ")
                guard let line = console.readLine() else { return try pause(.inputEnded) }
                // From a pipe nothing echoes what was read: write it, so a transcript reads like a session.
                if !console.isInteractive { console.write(secrets.redact(line) + "\n") }
                command = PromptCommand(line)
            }
            while let typed = command {
                command = nil
                switch try obey(typed, on: step) {
                case .stay: break
                case .then(let next): command = next
                case .end(let outcome): return outcome
                }
            }
        }
    }

    /// What a prompt word leads to.
    private enum Next {
        /// Back to the loop: the current step is shown again if it changed.
        case stay
        /// Another word to obey, typed at a question.
        case then(PromptCommand)
        case end(WalkOutcome)
    }

    private func obey(_ command: PromptCommand, on step: Step) throws(LogError) -> Next {
        switch command {
        case .done:
            if step.check != nil {
                guard let passed = try runCheck(step) else { return .end(try pause(.inputEnded)) }
                if !passed { return console.isInteractive ? .stay : .end(.checkFailed) }
            }
            if step.choice != nil { return try choose(on: step, skipReason: nil) }
            try record(.stepCompleted(step: step.id))
            say([style.success("✔ Done: ") + step.title, ""])
        case .skip(let reason):
            guard !reason.isEmpty else {
                say(["skip needs a reason, kept in the run: skip REASON (e.g. skip already checked by Dana)"])
                return .stay
            }
            if step.choice != nil {
                say(["Skipped or not, the run goes on one way or another: choose it."])
                return try choose(on: step, skipReason: secrets.redact(reason))
            }
            try record(.stepSkipped(step: step.id, reason: secrets.redact(reason)))
            say([style.warning("↷ Skipped: ") + step.title + unmaskedNotice(), ""])
        case .back:
            guard let previous = state.previousIndex else {
                say(["This is the first step: there is no step before it to go back to."])
                return .stay
            }
            try record(.stepReopened(step: state.steps[previous].id))
            say([style.warning("↶ Back to step \(state.number(of: previous)): ") + state.steps[previous].title, ""])
        case .note(let text):
            guard !text.isEmpty else {
                say(["note needs text: note TEXT"])
                return .stay
            }
            try record(.noteAdded(step: step.id, text: secrets.redact(text)))
            say(["Note kept on this step." + unmaskedNotice()])
        case .check:
            guard step.check != nil else {
                say(["This step has no check: read its Expect, then type done."])
                return .stay
            }
            guard let passed = try runCheck(step) else { return .end(try pause(.inputEnded)) }
            if !passed && !console.isInteractive { return .end(.checkFailed) }
        case .set(let name):
            return try set(name, on: step)
        case .quit:
            return .end(try pause(.quit))
        case .help:
            say([PromptCommand.helpText])
            if let choice = step.choice {
                say(["  KEY          on this step, finish it with that choice at once: "
                     + choice.options.map(\.key).joined(separator: ", ")])
            }
        case .unknown(let text):
            if let option = step.choice?.options.first(where: { $0.key == text.lowercased() }) {
                // A KEY typed instead of `done`: the check first, when there is one, then the choice at once.
                if step.check != nil {
                    guard let passed = try runCheck(step) else { return .end(try pause(.inputEnded)) }
                    if !passed { return console.isInteractive ? .stay : .end(.checkFailed) }
                }
                try record(.choiceMade(step: step.id, option: option.key, target: option.target.value, skipReason: nil))
                sayChosen(option, on: step, skipped: false)
                return .stay
            }
            let typed = secrets.redact(text)
            say([(text.isEmpty ? "" : "`\(typed)` is not a prompt word: nothing was recorded. ") + PromptCommand.reminder])
        }
        return .stay
    }

    /// Asks which option of the step's `Choose:` the run takes, and records the step finished with it.
    private func choose(on step: Step, skipReason: String?) throws(LogError) -> Next {
        guard let options = step.choice?.options else { return .stay }
        let keys = options.map(\.key).joined(separator: ", ")
        say(["Which one? Type its number (1 to \(options.count)) or its KEY: \(keys)."])
        while true {
            console.write("choice> ")
            guard let line = console.readLine() else { return .end(try pause(.inputEnded)) }
            if !console.isInteractive { console.write(secrets.redact(line) + "\n") }
            let typed = line.trimmed.lowercased()
            let chosen = options.first { $0.key == typed } ?? Int(typed).flatMap { options.indices.contains($0 - 1) ? options[$0 - 1] : nil }
            if let chosen {
                try record(.choiceMade(step: step.id, option: chosen.key, target: chosen.target.value, skipReason: skipReason))
                sayChosen(chosen, on: step, skipped: skipReason != nil)
                return .stay
            }
            switch PromptCommand(typed) {
            case .quit: return .end(try pause(.quit))
            case .back: return .then(.back)
            default:
                say(["`\(secrets.redact(line.trimmed))` is not one of the options: type 1 to \(options.count), or one of: \(keys) (quit to leave; progress is saved)."])
            }
        }
    }

    private func sayChosen(_ option: ChoiceOption, on step: Step, skipped: Bool) {
        let to = option.target.value == ChoiceOption.end ? "the end of the run" : (runbook.step(id: option.target.value)?.title ?? option.target.value)
        say([(skipped ? style.warning("↷ Skipped: ") : style.success("✔ Done: ")) + step.title + " → `\(option.key)`"
             + (option.meaning.isEmpty ? "" : ": \(option.meaning)"), "Next: \(to)" + (skipped ? unmaskedNotice() : ""), ""])
    }

    private func pause(_ reason: PauseReason) throws(LogError) -> WalkOutcome {
        try record(.runPaused(reason: reason))
        let position = state.current.flatMap { step in state.position.map { "\($0) (\(step.title))" } } ?? "the last step"
        let message = "Paused at \(position); progress is saved. Resume with: runbook resume \(state.run)"
        if reason == .quit {
            say(["", message])
        } else {
            console.warn((reason == .inputEnded ? "Input ended. " : "") + message)
        }
        return .paused
    }

    public func summary() -> String {
        let elapsed = (state.endedAt ?? person.now()).timeIntervalSince(state.startedAt)
        return "\(state.doneCount) done, \(state.skippedCount) skipped, \(Elapsed.describe(elapsed)) elapsed."
    }

    // MARK: - Variables

    private enum Resolution {
        case resolved
        /// Input ended at a question.
        case ended
        /// The operator answered a question with a prompt word that acts without the value (quit, skip, back).
        case command(PromptCommand)
    }

    private enum Answer {
        case value(String)
        case ended
        case command(PromptCommand)
    }

    /// The variables a step needs before its prompt: every one its check uses, and the non-secret
    /// ones its action block shows.
    private func needed(by step: Step) -> [(Variable, purpose: String)] {
        let actionNames = step.action?.variableNames ?? []
        let shellNames = step.shellNames(declared: runbook.variables.map(\.name))
        let checkNames = (step.checks.first?.variableNames ?? []).union(shellNames)
        return (step.variableNames + shellNames.filter { !step.variableNames.contains($0) }).compactMap { name in
            guard let variable = runbook.variable(named: name) else { return nil }
            if checkNames.contains(name) { return (variable, "This step's check needs") }
            if actionNames.contains(name) && !variable.isSecret { return (variable, "This step's command needs") }
            return nil
        }
    }

    /// Resolves what it can of the step's variables without asking, first found wins: given values,
    /// the environment, the run's record, the default. Returns those left to ask, and a line for each
    /// value that was set aside because it does not fit its format.
    private func resolveKnown(for step: Step) throws(LogError) -> (missing: [(Variable, purpose: String)], notes: [String]) {
        var missing: [(Variable, purpose: String)] = []
        var notes: [String] = []
        for (variable, purpose) in needed(by: step) {
            let name = variable.name
            if variable.isSecret, secretValues[name] != nil { continue }
            var sources = [(given[name], "--var"), (environment[name], "the environment")]
            if !variable.isSecret { sources += [(state.variables[name], "this run's record"), (variable.defaultValue, "its Default:")] }
            var found: String?
            for case let (value?, origin) in sources where !value.isEmpty {
                if let problem = variable.problem(with: value) {
                    let shown = variable.isSecret ? "" : " (`\(value)`)"
                    notes.append("\(name) from \(origin)\(shown) does not fit its Format: (\(variable.formatDescription ?? "any text")): \(problem); not used.")
                    continue
                }
                found = value
                break
            }
            if let found { try keep(found, for: variable) } else { missing.append((variable, purpose)) }
        }
        return (missing, notes)
    }

    /// Asks, on the step's screen, for the values nothing else gave.
    private func askMissing(_ missing: [(Variable, purpose: String)]) throws(LogError) -> Resolution {
        for (variable, purpose) in missing {
            say(["", "\(purpose) \(variable.name)" + (variable.description.isEmpty ? "." : ": \(style.inlineCode(variable.description))")
                 + (variable.isSecret ? " It is typed without echo and kept in memory only." : "")])
            switch ask(variable) {
            case .value(let value): try keep(value, for: variable)
            case .ended: return .ended
            case .command(let command): return .command(command)
            }
        }
        return .resolved
    }

    /// Keeps a value for the walk: a secret in memory only, a non-secret recorded in the run when it changed.
    private func keep(_ value: String, for variable: Variable) throws(LogError) {
        if variable.isSecret {
            secretValues[variable.name] = value
            secrets.add(value)
        } else if state.variables[variable.name] != value {
            try record(.variableRecorded(name: variable.name, value: value))
        }
    }

    /// Asks for a variable's value until one fits: never empty, never a prompt word, always of its format.
    private func ask(_ variable: Variable) -> Answer {
        let name = variable.name
        while true {
            console.write("\(name): ")
            guard let line = variable.isSecret ? console.readSecret() : console.readLine() else { return .ended }
            // From a pipe nothing ends the question's line; a secret itself is never written.
            if !console.isInteractive { console.write(variable.isSecret ? "\n" : secrets.redact(line.trimmed) + "\n") }
            let value = line.trimmed
            let command = PromptCommand(value)
            if value.isEmpty {
                say(["\(name) cannot be empty: type its value, or quit (progress is saved)."])
            } else if command.isPromptWord {
                switch command {
                case .quit, .back: return .command(command)
                case .skip(let reason) where !reason.isEmpty: return .command(command)
                default:
                    say(["`\(command.word)` is a prompt word, not a value for \(name): nothing was kept. "
                         + "Type the value, or quit, or skip REASON."])
                }
            } else if let problem = variable.problem(with: value) {
                say(["That is not a value for \(name): \(problem) (Format: \(variable.formatDescription ?? "any text")). Type it again."])
            } else {
                return .value(value)
            }
        }
    }

    /// `set NAME`: the value is asked again; a secret stays in memory, a non-secret is recorded.
    private func set(_ name: String, on step: Step) throws(LogError) -> Next {
        let declared = runbook.variables.map(\.name)
        guard let variable = runbook.variable(named: name) else {
            let list = declared.isEmpty ? "this runbook declares none" : "it declares " + declared.joined(separator: ", ")
            if name.isEmpty {
                say(["set needs a variable name: set NAME (\(list))."])
            } else {
                let hint = Suggestion.closest(to: name, in: declared).map { "did you mean \($0)? " } ?? ""
                say(["No variable \(secrets.redact(name)) in this runbook: \(hint)\(list)."])
            }
            return .stay
        }
        say(["Enter \(name) again" + (variable.description.isEmpty ? "" : " (\(variable.description.trimming(".")))")
             + (variable.isSecret ? "; typed without echo, kept in memory only." : ".")])
        switch ask(variable) {
        case .ended: return .end(try pause(.inputEnded))
        case .command(let command): return .then(command)
        case .value(let value):
            if variable.isSecret {
                try keep(value, for: variable)
                say(["\(name) is set for this walk (never shown or stored)."
                     + (step.check != nil ? " Type check or done to run the check with it." : "")])
            } else {
                given[name] = value
                try keep(value, for: variable)
                say(["\(name) = \(value), recorded in the run."])
                if let action = step.action, action.variableNames.contains(name) {
                    say(StepScreen.action(action, values: state.variables, runbook: runbook, style: style))
                }
            }
        }
        return .stay
    }

    /// Said after a note or a skip reason is kept while a secret of the runbook is not known to this walk.
    private func unmaskedNotice() -> String {
        let unknown = runbook.variables.filter { $0.isSecret && secretValues[$0.name] == nil }.map(\.name)
        guard !unknown.isEmpty else { return "" }
        return " (Stored as typed: \(unknown.joined(separator: ", ")) \(unknown.count == 1 ? "is" : "are") not known to this walk yet, so cannot be masked.)"
    }

    /// Every value the step's check may use: recorded non-secret values and secrets held in memory.
    private func values() -> [String: String] {
        state.variables.merging(secretValues) { _, secret in secret }
    }

    // MARK: - Checks

    /// Runs the step's check and records the verdict; nil when input ended while pasting.
    private func runCheck(_ step: Step) throws(LogError) -> Bool? {
        guard let check = step.check else { return true }
        let values = values()
        // One pass: a value that holds `{{OTHER}}` is sent as it is, never substituted again.
        func substitute(_ text: String) -> String { Variable.substituting(text, values: values) }
        let result: CheckResult
        switch check {
        case .http(let request, let expectations):
            say([style.dim("Checking: \(request.method) \(Secrets.display(request.url, values: state.variables, runbook: runbook)) …")])
            let live = HTTPRequest(method: request.method, url: substitute(request.url),
                                   headers: request.headers.map { .init(name: $0.name, value: substitute($0.value)) },
                                   body: request.body.map(substitute))
            result = checks.http(live, display: request.displayed(values: state.variables, runbook: runbook),
                                 expectations: expectations, timeout: checkTimeout)
        case .shell(let script):
            say([style.dim("Checking: running the sh check …")])
            var exported: [String: String] = [:]
            for name in step.variableNames + step.shellNames(declared: runbook.variables.map(\.name)) {
                exported[name] = values[name]
            }
            // Values reach the shell only through its environment: `{{NAME}}` becomes `${NAME}`, so a value
            // is expanded, never parsed as shell syntax.
            let safe = Variable.substituting(script) { "${\($0)}" }
            result = checks.shell(safe, environment: exported, timeout: checkTimeout)
        case .paste(let expectations):
            say(["Paste what you saw (the whole selection is fine), then a line with only: end"])
            var pasted: [String] = []
            while true {
                guard let line = console.readLine() else { return nil }
                if line.trimmed.lowercased() == "end" { break }
                pasted.append(line)
            }
            result = Expectation.evaluate(expectations, against: Observed(body: pasted.joined(separator: "\n"), pasted: true))
        }
        if result.passed {
            try record(.checkPassed(step: step.id))
            say([style.success("✔ Check passed") + " (\(secrets.redact(result.message)))"])
        } else {
            try record(.checkFailed(step: step.id, reason: secrets.redact(result.recorded)))
            say([style.error("✘ Check failed: ") + secrets.redact(result.message)]
                + (result.reproduce.map { [style.dim("To try it by hand: ") + $0] } ?? []))
            say([console.isInteractive
                 ? "Fix it and type done (or check) to retry, set NAME to enter a value again, or skip REASON."
                 : "Without a terminal a failed check stops the run; fix it, then: runbook resume \(state.run)"])
        }
        return result.passed
    }
}
