import RunbookModel
import RunbookRun
import RunbookSupport

/// The prompt's words, decisions and checks.
extension WalkCore {
    mutating func obey(_ command: PromptCommand) throws(Refused) -> Request {
        guard let (_, step) = currentStep else { return try next() }
        switch command {
        case .done:
            if step.check != nil { return try startCheck(step, then: .done) }
            if step.choice != nil { return askChoice(step, skipReason: nil, verdict: nil) }
            try record(.stepCompleted(step: step.id))
            say(("✔ Done: " as Text).styled(.success) + Text(step.title, source: .runbook), "")
            return try next()
        case .skip(let reason):
            guard !reason.isEmpty else {
                say("skip needs a reason, kept in the run: skip REASON (e.g. skip already checked by Dana)")
                return prompt()
            }
            guard let kept = variables.storable(reason) else { return askSecretsFirst(before: "skip " + reason) }
            if step.choice != nil {
                say("Skipped or not, the run goes on one way or another: choose it.")
                return askChoice(step, skipReason: variables.masked(kept), verdict: nil)
            }
            try record(.stepSkipped(step: step.id, reason: variables.masked(kept)))
            say(("↷ Skipped: " as Text).styled(.warning) + Text(step.title, source: .runbook), "")
            return try next()
        case .back:
            guard let previous = state.previousIndex else {
                say("This is the first step: there is no step before it to go back to.")
                return prompt()
            }
            let reopened = state.steps[previous]
            try record(.stepReopened(step: reopened.id))
            let undone: Text = reopened.choice.map { " (its choice `\(runbook: $0.key)` is undone: choose again)" } ?? ""
            say(("↶ Back to step \(state.number(of: previous)): " as Text).styled(.warning) + Text(reopened.title, source: .runbook) + undone, "")
            return try next()
        case .note(let text):
            guard !text.isEmpty else {
                say("note needs text: note TEXT")
                return prompt()
            }
            guard let kept = variables.storable(text) else { return askSecretsFirst(before: "note " + text) }
            try record(.noteAdded(step: step.id, text: variables.masked(kept)))
            say("Note kept on this step.")
            return prompt()
        case .check:
            guard step.check != nil else {
                say("This step has no check: read its Expect, then type done.")
                return prompt()
            }
            return try startCheck(step, then: .checkOnly)
        case .run:
            return try run(step)
        case .set(let name):
            return set(name)
        case .quit:
            return try pause(.quit)
        case .help:
            say(Text(PromptCommand.helpText, source: .program))
            if let choice = step.choice {
                let keys = choice.options.enumerated().map { "\($0.offset + 1) \($0.element.key)" }.joined(separator: ", ")
                say("  here         the options are \(runbook: keys)")
            }
            return prompt()
        case .about(let topic):
            return about(topic)
        case .unknown(let text):
            if let option = option(typed: text, on: step) {
                // A KEY (or an option's number) typed instead of `done`: the check first, when there is one.
                if step.check != nil { return try startCheck(step, then: .key(option.key)) }
                return try choose(option, on: step, skipReason: nil, verdict: nil)
            }
            say((text.isEmpty ? "" : "`\(typed: text)` is not a prompt word: nothing was recorded. ") + reminder(for: step))
            return prompt()
        }
    }

    /// The option a line names: its KEY, or its number (a KEY that is a number wins over a position).
    func option(typed line: String, on step: Step) -> ChoiceOption? {
        guard let options = step.choice?.options else { return nil }
        let typed = line.trimmed.lowercased()
        if let keyed = options.first(where: { $0.key == typed }) { return keyed }
        guard let number = Int(typed), options.indices.contains(number - 1) else { return nil }
        return options[number - 1]
    }

    /// Text typed before the walk knows a secret (after a resume, or before its step) could carry it: ask for it first.
    mutating func askSecretsFirst(before line: String) -> Request {
        let unknown = variables.unknownSecrets.filter { if case .success? = $0.format { false } else { true } }
        say("Before anything you type is kept, this walk must know "
            + Text(unknown.map(\.name).joined(separator: ", "), source: .runbook)
            + ", so that it can never be stored in clear.")
        return ask(unknown.map { .init(variable: $0, purpose: "Masking needs") }, then: .command(line))
    }

    // MARK: - Decisions

    mutating func askChoice(_ step: Step, skipReason: String?, verdict: Bool?) -> Request {
        guard let options = step.choice?.options else { return prompt() }
        mode = .choosing(skipReason: skipReason, verdict: verdict)
        let keys = options.map(\.key).joined(separator: ", ")
        say("Which one? Type its number (1 to \(options.count)) or its KEY: \(runbook: keys).")
        return .answer(promptLabel(" · choice"), secret: false)
    }

    mutating func chose(_ input: Input, skipReason: String?, verdict: Bool?) throws(Refused) -> Request {
        guard let (_, step) = currentStep, let options = step.choice?.options else { return try next() }
        switch input {
        case .ended:
            return try pause(.inputEnded)
        case .interrupted:
            mode = .prompt
            say("Choice stopped (Ctrl-C); nothing was chosen. Back at the step.")
            return prompt()
        case .begin, .checked, .ran, .waited:
            throw Refused("internal error: a choice got input it was not waiting for; progress is saved, resume the run")
        case .line(let line):
            if let chosen = option(typed: line, on: step) {
                mode = .prompt
                return try choose(chosen, on: step, skipReason: skipReason, verdict: verdict)
            }
            switch PromptCommand(line) {
            case .quit:
                mode = .prompt
                return try pause(.quit)
            case .back:
                mode = .prompt
                return try obey(.back)
            default:
                let keys = options.map(\.key).joined(separator: ", ")
                say("`\(typed: line.trimmed)` is not one of the options: type 1 to \(options.count), or one of: \(runbook: keys) (quit to leave; progress is saved).")
                return .answer(promptLabel(" · choice"), secret: false)
            }
        }
    }

    /// Finishes a decision step with `option`, when the check's verdict allows it.
    mutating func choose(_ option: ChoiceOption, on step: Step, skipReason: String?, verdict: Bool?) throws(Refused) -> Request {
        if let verdict, let condition = option.condition, (condition == .passes) != verdict {
            let fitting = step.choice?.options.filter { $0.condition == nil || ($0.condition == .passes) == verdict } ?? []
            let names = fitting.map { "`\($0.key)`" }.joined(separator: ", ")
            say("`\(runbook: option.key)` is for when the check \(program: condition == .passes ? "passes" : "fails"); it \(program: verdict ? "passed" : "failed"): "
                + (fitting.isEmpty ? "no option fits; fix it and type check, or skip REASON." : "choose \(runbook: names)."))
            mode = fitting.isEmpty ? .prompt : .choosing(skipReason: skipReason, verdict: verdict)
            return fitting.isEmpty ? prompt() : .answer(promptLabel(" · choice"), secret: false)
        }
        try record(.choiceMade(step: step.id, option: option.key, target: option.target.value, skipReason: skipReason,
                               verdict: verdict.map { $0 ? .passed : .failed }))
        let mark: Text = skipReason == nil ? ("✔ Done: " as Text).styled(.success) : ("↷ Skipped: " as Text).styled(.warning)
        say(mark + Text(step.title, source: .runbook) + " → `\(runbook: option.key)`"
            + (option.meaning.isEmpty ? "" : ": " + Text(option.meaning, source: .runbook)),
            "Next: " + StepScreen.destination(option.target.value, runbook: runbook, locate: located), "")
        return try next()
    }

    // MARK: - Checks

    mutating func startCheck(_ step: Step, then: AfterCheck) throws(Refused) -> Request {
        guard let check = step.check else { return try checked(.pass(), then: then) }
        switch check {
        case .paste(let expectations):
            if let ranOutput {
                // `run` brought the output: it is checked as the pasted text, and nothing is asked.
                say(Text("Checking the output of run (no paste needed) …", source: .program, role: .dim))
                let result = Expectation.evaluate(expectations, against: Observed(body: ranOutput, pasted: true))
                // Captures read the output as they read a paste (SPEC 11).
                if result.passed { captureText = ranOutput }
                return try checked(result, then: then)
            }
            mode = .pasting([], then: then)
            say("Paste what you saw (the whole selection is fine), then a line with only: end")
            return .pasteLine
        case .http, .shell:
            if case .http(let request, _) = check {
                let display = request.displayed(values: state.variables, runbook: runbook)
                say(Text("Checking: ", source: .program, role: .dim) + Text("\(display.method) \(display.url) …", source: .runbook, role: .dim))
            } else {
                say(Text("Checking: running the sh check …", source: .program, role: .dim))
            }
            mode = .checking(then: then)
            guard let call = call(for: step) else { return try checked(.pass(), then: then) }
            return .check(call)
        }
    }

    /// The step's `http check` or `sh check` as the driver runs it, values in place; nil for a paste check.
    func call(for step: Step) -> CheckCall? {
        let values = variables.values(recorded: state.variables)
        switch step.check {
        case .http(let request, let expectations)?:
            let display = request.displayed(values: state.variables, runbook: runbook)
            return .http(CheckCall.live(request, values: values), display: display, expectations: expectations, timeout: checkTimeout)
        case .shell(let script)?:
            var exported: [String: String] = [:]
            for name in step.variableNames + step.shellNames(declared: runbook.variables.map(\.name)) {
                exported[name] = values[name]
            }
            // Values reach the shell only through its environment: `{{NAME}}` becomes `${NAME}`.
            return .shell(Variable.substituting(script) { "${\($0)}" }, environment: exported, timeout: checkTimeout)
        case .paste?, nil:
            return nil
        }
    }

    mutating func pasted(_ input: Input, lines: [String], then: AfterCheck) throws(Refused) -> Request {
        switch input {
        case .line(let line):
            if line.trimmed.lowercased() == "end" {
                guard let (_, step) = currentStep, case .paste(let expectations)? = step.check else { return try next() }
                let result = Expectation.evaluate(expectations, against: Observed(body: lines.joined(separator: "\n"), pasted: true))
                if result.passed { captureText = lines.joined(separator: "\n") }
                return try checked(result, then: then)
            }
            mode = .pasting(lines + [line], then: then)
            return .pasteLine
        case .ended:
            mode = .prompt
            return try pause(.inputEnded)
        case .interrupted:
            mode = .prompt
            say("Paste stopped (Ctrl-C); nothing was checked. Back at the step.")
            return prompt()
        case .begin, .checked, .ran, .waited:
            throw Refused("internal error: a paste got input it was not waiting for; progress is saved, resume the run")
        }
    }

    /// A check's verdict: recorded, said, and what it leads to.
    mutating func checked(_ result: CheckResult, then: AfterCheck) throws(Refused) -> Request {
        mode = .prompt
        guard let (_, step) = currentStep else { return try next() }
        let options = step.choice?.options ?? []
        let fitsFailure = options.contains { $0.condition == .fails }
        if result.passed {
            try record(.checkPassed(step: step.id))
            say(("✔ Check passed" as Text).styled(.success) + " (" + result.message + ")")
            try keepCaptures(of: step)
        } else {
            try record(.checkFailed(step: step.id, reason: variables.renderer.plain(result.recorded)))
            say(("✘ Check failed: " as Text).styled(.error) + result.message)
            if let reproduce = result.reproduce { say(("To try it by hand: " as Text).styled(.dim) + reproduce) }
            if let hint = secretHint(for: step, result: result) { say(hint) }
        }
        let hinted = !result.passed && secretHint(for: step, result: result) != nil
        let conditional = options.contains { $0.condition != nil }
        switch then {
        case .checkOnly, .ran:
            if !result.passed && !interactive && !fitsFailure { return .finish(.checkFailed) }
            if !result.passed && !fitsFailure {
                say(then == .ran ? "Fix it and type run to run it again, or skip REASON." : retryLine(step, offerSet: !hinted))
            } else if then == .ran {
                say("", reminder(for: step).styled(.dim))
            }
            return prompt()
        case .done, .key:
            if !result.passed && !fitsFailure {
                if !interactive {
                    say("Without a terminal a failed check stops the run; fix it, then: \(program: "runbook resume " + state.run, role: .code)")
                    return .finish(.checkFailed)
                }
                say(retryLine(step, offerSet: !hinted))
                return prompt()
            }
            let verdict: Bool? = conditional ? result.passed : nil
            if case .key(let key) = then, let option = options.first(where: { $0.key == key }) {
                return try choose(option, on: step, skipReason: nil, verdict: verdict)
            }
            if step.choice != nil { return askChoice(step, skipReason: nil, verdict: verdict) }
            try record(.stepCompleted(step: step.id))
            say(("✔ Done: " as Text).styled(.success) + Text(step.title, source: .runbook), "")
            return try next()
        }
    }

    func retryLine(_ step: Step, offerSet: Bool) -> Text {
        let set = !offerSet || variables.needs(of: step).isEmpty ? "" : ", set NAME to enter a value again"
        return "Fix it and type done (or check) to retry\(program: set), or skip REASON."
    }

    /// A 401 or 403 from a check that sends a secret: the secret is the likely cause.
    func secretHint(for step: Step, result: CheckResult) -> Text? {
        guard let status = result.status, status == 401 || status == 403, case .http(let request, _)? = step.check else { return nil }
        let sent = Set(request.headers.flatMap { Variable.references(in: $0.value).map(\.0) })
        let secrets = runbook.variables.filter { sent.contains($0.name) && variables.isSecret($0) }.map(\.name)
        guard !secrets.isEmpty else { return nil }
        return "\(status) means the server refused the credentials: set \(program: secrets.joined(separator: " / ")) to enter "
            + (secrets.count == 1 ? "it" : "them") + " again, then check."
    }
}

extension VariableResolver {
    /// A renderer that knows this walk's secrets, for text that goes to the log.
    var renderer: Renderer {
        var renderer = Renderer(style: Style(enabled: false))
        for value in secretValues.values { renderer.add(secret: value) }
        return renderer
    }

    /// What the operator typed, masked for the log (escaped only when shown).
    func masked(_ text: String) -> String {
        renderer.masked(text)
    }
}
