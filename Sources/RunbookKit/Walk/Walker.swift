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
/// Every event is appended to the log (and flushed) before the screen moves on.
/// The walker never touches the terminal itself: it talks to a `Console`.
public final class Walker: @unchecked Sendable {
    public private(set) var state: RunState
    let runbook: Runbook
    let sink: EventSink
    let console: Console
    let style: Style
    let person: Operator
    let checks: CheckRunner
    let checkTimeout: Double
    /// `--var` values, then the environment: the first two sources of a variable's value.
    let assigned: [String: String]
    let environment: [String: String]
    private var secretValues: [String: String] = [:]
    private(set) var secrets = Secrets()
    private let snapshot = NSLock()
    private var interruptedAlready = false

    public init(runbook: Runbook, state: RunState, sink: EventSink, console: Console, style: Style, person: Operator,
                checks: CheckRunner, checkTimeout: Double = 10, assigned: [String: String] = [:],
                environment: [String: String] = [:]) {
        self.runbook = runbook
        self.state = state
        self.sink = sink
        self.console = console
        self.style = style
        self.person = person
        self.checks = checks
        self.checkTimeout = checkTimeout
        self.assigned = assigned
        self.environment = environment
        for (name, value) in assigned where runbook.variable(named: name)?.isSecret == true {
            secretValues[name] = value
            secrets.add(value)
        }
    }

    /// Records an event: checked by the reducer, appended and flushed, then applied.
    func record(_ event: RunEvent) throws(LogError) {
        // Held across check, append and update: an interrupt on the signal thread sees either the
        // state before this event or after it, and never appends between the two.
        snapshot.lock()
        defer { snapshot.unlock() }
        try commit(event)
    }

    /// Checks the event against the reducer, appends it, then applies it. Call with `snapshot` held.
    private func commit(_ event: RunEvent) throws(LogError) {
        let entry = person.record(event)
        var next = state
        do {
            try next.apply(entry)
        } catch {
            // The walker only sends legal events; reaching here is a bug, reported without a crash.
            throw .writeFailed(path: "the run", reason: "internal error: \(error.message)")
        }
        try sink.append(entry)
        state = next
    }

    private func say(_ lines: [String]) {
        console.write(lines.map { secrets.redact($0) + "\n" }.joined())
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
                say(["", style.success("Run \(state.run) complete: ") + summary(),
                     "Report: runbook report \(state.run)"])
                return .completed
            }
            let progress = state.steps[index]
            guard let step = runbook.step(id: progress.id) else {
                return .failed("step \(progress.id) is not in \(runbook.path) any more; edit the runbook or abandon the run")
            }
            if shown != index {
                guard try resolveVariables(for: step) else { return try pause(.inputEnded) }
                let previous = index > 0 ? state.steps[index - 1].place : nil
                say([style.dim(String(repeating: "─", count: 60))]
                    + StepScreen.render(step, number: index + 1, of: state.steps.count, previousPlace: previous,
                                        values: state.variables, runbook: runbook, style: style)
                    + ["", style.dim(PromptCommand.reminder)])
                shown = index
            }
            console.write("\(index + 1)/\(state.steps.count)> ")
            guard let line = console.readLine() else { return try pause(.inputEnded) }
            // From a pipe nothing echoes what was read: write it, so a transcript reads like a session.
            if !console.isInteractive { console.write(secrets.redact(line) + "\n") }
            switch PromptCommand(line) {
            case .done:
                if step.check != nil {
                    guard let passed = try runCheck(step) else { return try pause(.inputEnded) }
                    if !passed {
                        if console.isInteractive { continue }
                        return .checkFailed
                    }
                }
                try record(.stepCompleted(step: step.id))
                say([style.success("✔ Done: ") + step.title, ""])
            case .skip(let reason):
                guard !reason.isEmpty else {
                    say(["skip needs a reason, kept in the run: skip REASON (e.g. skip already checked by Dana)"])
                    continue
                }
                try record(.stepSkipped(step: step.id, reason: secrets.redact(reason)))
                say([style.warning("↷ Skipped: ") + step.title, ""])
            case .back:
                guard let previous = state.previousIndex else {
                    say(["This is the first step: there is no step before it to go back to."])
                    continue
                }
                try record(.stepReopened(step: state.steps[previous].id))
                say([style.warning("↶ Back to step \(previous + 1): ") + state.steps[previous].title, ""])
            case .note(let text):
                guard !text.isEmpty else {
                    say(["note needs text: note TEXT"])
                    continue
                }
                try record(.noteAdded(step: step.id, text: secrets.redact(text)))
                say(["Note kept on this step."])
            case .check:
                guard step.check != nil else {
                    say(["This step has no check: read its Expect, then type done."])
                    continue
                }
                guard let passed = try runCheck(step) else { return try pause(.inputEnded) }
                if !passed && !console.isInteractive { return .checkFailed }
            case .quit:
                return try pause(.quit)
            case .help:
                say([PromptCommand.helpText])
            case .unknown(let text):
                say([(text.isEmpty ? "" : "`\(text)` is not a prompt word: nothing was recorded. ") + PromptCommand.reminder])
            }
        }
    }

    private func pause(_ reason: PauseReason) throws(LogError) -> WalkOutcome {
        try record(.runPaused(reason: reason))
        let position = state.current.map { step in
            "step \((state.currentIndex ?? 0) + 1) of \(state.steps.count) (\(step.title))"
        } ?? "the last step"
        let message = "Paused at \(position); progress is saved. Resume with: runbook resume \(state.run)"
        if reason == .quit {
            say(["", message])
        } else {
            console.warn((reason == .inputEnded ? "Input ended. " : "") + message)
        }
        return .paused
    }

    /// Called from the signal handler's thread: records the pause and returns what to tell the operator.
    public func interrupt() -> String {
        snapshot.lock()
        defer { snapshot.unlock() }
        // Only an active run can pause: a Ctrl-C just after the last `done` must not follow runCompleted.
        if !interruptedAlready, state.status == .active { try? commit(.runPaused(reason: .interrupted)) }
        interruptedAlready = true
        guard state.status == .active else { return "Run \(state.run) is \(state.status.rawValue)." }
        let position = state.currentIndex.map { "step \($0 + 1) of \(state.steps.count)" } ?? "the end"
        return "Interrupted at \(position); progress is saved. Resume with: runbook resume \(state.run)"
    }

    public func summary() -> String {
        let elapsed = (state.endedAt ?? person.now()).timeIntervalSince(state.startedAt)
        return "\(state.doneCount) done, \(state.skippedCount) skipped, \(Duration.describe(elapsed)) elapsed."
    }

    // MARK: - Variables

    /// Resolves the variables the step needs before its prompt; false when input ended at a question.
    private func resolveVariables(for step: Step) throws(LogError) -> Bool {
        let actionNames = step.action?.variableNames ?? []
        let shellNames = step.shellNames(declared: runbook.variables.map(\.name))
        let checkNames = (step.checks.first?.variableNames ?? []).union(shellNames)
        for name in step.variableNames + shellNames.filter({ !step.variableNames.contains($0) }) {
            guard let variable = runbook.variable(named: name) else { continue }
            let needed = checkNames.contains(name) || (actionNames.contains(name) && !variable.isSecret)
            guard needed else { continue }
            if variable.isSecret {
                if secretValues[name] != nil { continue }
                if let value = environment[name], !value.isEmpty {
                    secretValues[name] = value
                } else {
                    console.write("\(name) (secret\(variable.description.isEmpty ? "" : ": " + variable.description)): ")
                    guard let value = console.readSecret() else { return false }
                    // From a pipe nothing ends the question's line; the value itself is never written.
                    if !console.isInteractive { console.write("\n") }
                    secretValues[name] = value
                }
                secrets.add(secretValues[name] ?? "")
                continue
            }
            // First found wins: --var, the environment, a value recorded in the run, the default, a question.
            var value = assigned[name] ?? environment[name] ?? state.variables[name] ?? variable.defaultValue
            if value == nil {
                console.write("\(name)\(variable.description.isEmpty ? "" : " (" + variable.description + ")"): ")
                guard let typed = console.readLine() else { return false }
                if !console.isInteractive { console.write(secrets.redact(typed) + "\n") }
                value = typed.trimmed
            }
            guard let value else { continue }
            if state.variables[name] != value { try record(.variableRecorded(name: name, value: value)) }
        }
        return true
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
        func substitute(_ text: String) -> String {
            values.reduce(text) { $0.replacingAll("{{\($1.key)}}", with: $1.value) }
        }
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
            result = checks.shell(substitute(script), environment: exported, timeout: checkTimeout)
        case .paste(let expectations):
            say(["Paste what you saw, then a line with only: end"])
            var pasted: [String] = []
            while true {
                guard let line = console.readLine() else { return nil }
                if line.trimmed.lowercased() == "end" { break }
                pasted.append(line)
            }
            result = Expectation.evaluate(expectations, against: Observed(body: pasted.joined(separator: "\n"), confidential: true))
        }
        let message = secrets.redact(result.message)
        if result.passed {
            try record(.checkPassed(step: step.id))
            say([style.success("✔ Check passed") + " (\(message))"])
        } else {
            try record(.checkFailed(step: step.id, reason: message))
            say([style.error("✘ Check failed: ") + message] + (result.reproduce.map { [style.dim("To try it by hand: ") + $0] } ?? []))
            say([console.isInteractive
                 ? "Fix it and type done (or check) to retry, or skip REASON."
                 : "Without a terminal a failed check stops the run; fix it, then: runbook resume \(state.run)"])
        }
        return result.passed
    }
}

/// Durations for people: `42 s`, `3 min 5 s`, `1 h 2 min`.
public enum Duration {
    public static func describe(_ seconds: Double) -> String {
        let total = max(0, Int(seconds.rounded()))
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min \(total % 60) s" }
        return "\(total / 3600) h \(total % 3600 / 60) min"
    }
}
