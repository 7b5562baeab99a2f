import RunbookModel
import RunbookRun
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How a walk ended, which the CLI maps to an exit status.
public enum WalkOutcome: Hashable, Sendable {
    /// Every step done or skipped (exit 0).
    case completed
    /// `quit` or end of input, progress saved (exit 3).
    case paused
    /// A check failed without a terminal (exit 1).
    case checkFailed
    /// The path led to another runbook (SPEC 11): the command layer starts a run of it and records the hand-off.
    case handedOff(String)
    /// Progress could not be saved (exit 1); the message says what to do.
    case failed(String)
}

/// The walk as a pure machine: (state, input) → events to append, screen lines, what to do next.
///
/// It reads no terminal, runs no check and writes no file: the `Walker` does those and feeds back
/// what came of them. Every line it returns says where each piece came from, so only the renderer
/// masks what the operator typed or the outside world answered.
public struct WalkCore {
    /// What the driver brings back.
    public enum Input: Hashable, Sendable {
        /// The walk begins (or resumes).
        case begin
        case line(String)
        /// End of input (Ctrl-D, the end of a pipe).
        case ended
        /// Ctrl-C during a question, a paste or a check.
        case interrupted
        case checked(CheckResult)
        /// The run block's command ended (or was stopped, or could not start).
        case ran(RunOutcome)
        /// A wait ended, and how; with polling, the last result of the check.
        case waited(WaitEnd, CheckResult?)
    }

    /// What the driver does next.
    public enum Request: Hashable, Sendable {
        /// Reads a line at the step's prompt, written first; Ctrl-C there pauses the run.
        case prompt(Text)
        /// Reads an answer, with the prompt written first; Ctrl-C stops the question.
        case answer(Text, secret: Bool)
        /// Reads a line of a paste, no prompt; Ctrl-C stops the paste.
        case pasteLine
        /// Runs a check and brings back its result (or `interrupted`).
        case check(CheckCall)
        /// Runs the step's command (`run`) and brings back how it ended.
        case run(RunCall)
        /// Waits until `until` (a countdown on a terminal; Enter or Ctrl-C ends it early); with `poll`, runs
        /// that check every `every` seconds until it passes. Brings back `waited`.
        case wait(until: Date, every: Double?, poll: CheckCall?)
        case finish(WalkOutcome)
    }

    /// One event to append, and where the walk stands once it is.
    public struct Record: Sendable {
        public var entry: EventRecord
        public var position: WalkGate.Position
    }

    public struct Output: Sendable {
        /// Appended, in order, before anything of `screen` is shown.
        public var records: [Record] = []
        /// Lines for standard output.
        public var screen: [Text] = []
        /// Lines for standard error.
        public var warnings: [Text] = []
        public var request: Request = .finish(.paused)
    }

    /// What the walk waits for.
    enum Mode: Hashable {
        case prompt
        /// Asking for values, in order; then back to the prompt, or on to `then`.
        case asking([VariableResolver.Need], then: AfterAnswers)
        /// Waiting for one of the options of the current step.
        case choosing(skipReason: String?, verdict: Bool?)
        /// Collecting a paste for the check, until a line `end`.
        case pasting([String], then: AfterCheck)
        /// A check is running.
        case checking(then: AfterCheck)
        /// The step's command is running (`run`).
        case running
        /// A `Wait:` is under way.
        case waiting
    }

    enum AfterAnswers: Hashable {
        /// The step's questions answered: back to its prompt.
        case prompt(asked: [String])
        /// `set NAME` answered: say so.
        case set(String)
        /// A note or skip reason held back until the secrets it could carry are known.
        case command(String)
    }

    enum AfterCheck: Hashable {
        case checkOnly
        /// The check of a command's output, right after `run`.
        case ran
        case done
        case key(String)
    }

    public let runbook: Runbook
    public private(set) var state: RunState
    public private(set) var variables: VariableResolver
    let person: Operator
    let interactive: Bool
    let checkTimeout: Double
    var mode: Mode = .prompt
    /// The index of the step whose screen was shown last, and where it runs.
    var shown: Int?
    var lastPlace: String?
    /// What the last `run` printed, for the step's paste check (memory only); set for the step shown.
    var ranOutput: String?
    var output = Output()
    /// The text a passing check read (a paste), held in memory only until its captures are kept.
    var captureText: String?

    public init(runbook: Runbook, state: RunState, person: Operator, interactive: Bool, checkTimeout: Double = 10,
                given: [String: String] = [:], environment: [String: String] = [:]) {
        self.runbook = runbook
        self.state = state
        self.person = person
        self.interactive = interactive
        self.checkTimeout = checkTimeout
        variables = VariableResolver(runbook: runbook, given: given, environment: environment, recordedSecret: state.secretNames)
    }

    /// A line the operator typed as a pipe's echo shows it: a word that fits the format of a secret not
    /// known yet is masked too (on a terminal the terminal echoes it as typed).
    public func echoed(_ line: String) -> String {
        variables.storable(line) ?? line
    }

    /// The shell whose action block alone is shown when a step offers several (`RUNBOOK_SHELL`).
    var shell: String? { variables.environment["RUNBOOK_SHELL"] }

    /// Secret values this walk knows, for the renderer's mask.
    public var secretValues: [String] { Array(variables.secretValues.values) }

    /// Takes one input, returns what to append, show and do next.
    public mutating func handle(_ input: Input) -> Output {
        output = Output()
        do {
            output.request = try step(input)
        } catch {
            output.request = .finish(.failed(error.message))
        }
        return output
    }

    struct Refused: Error {
        var message: String
    }

    /// Checks an event with the reducer, applies it, and queues it to be appended.
    mutating func record(_ event: RunEvent) throws(Refused) {
        let entry = person.record(event)
        do {
            try state.apply(entry)
        } catch {
            // The walk only sends legal events; reaching here is a bug, reported without a crash.
            throw Refused(message: LogError.refused(run: state.run, reason: error.message).description)
        }
        output.records.append(Record(entry: entry, position: WalkGate.Position(state)))
    }

    mutating func say(_ lines: Text...) { output.screen += lines }
    mutating func say(_ lines: [Text]) { output.screen += lines }

    private mutating func step(_ input: Input) throws(Refused) -> Request {
        switch (mode, input) {
        case (_, .begin):
            let rails = StepScreen.guardrails(runbook)
            if !rails.isEmpty { say(rails + [""]) }
            let context = StepScreen.contextNames(runbook)
            if !context.isEmpty { say(context + [""]) }
            return try next()
        case (.prompt, .line(let line)):
            return try obey(PromptCommand(line))
        case (.prompt, .ended), (.prompt, .interrupted):
            return try pause(.inputEnded)
        case (.asking(let needs, let then), _):
            return try answered(input, needs: needs, then: then)
        case (.choosing(let reason, let verdict), _):
            return try chose(input, skipReason: reason, verdict: verdict)
        case (.pasting(let lines, let then), _):
            return try pasted(input, lines: lines, then: then)
        case (.checking(let then), .checked(let result)):
            return try checked(result, then: then)
        case (.waiting, .waited(let how, let result)):
            return try waited(how, last: result)
        case (.waiting, _):
            throw Refused(message: "internal error: a wait got input it was not waiting for; progress is saved, resume the run")
        case (_, .waited):
            throw Refused(message: "internal error: the walk got input it was not waiting for; progress is saved, resume the run")
        case (.checking, .interrupted):
            mode = .prompt
            say("Check stopped (Ctrl-C); nothing was recorded. Back at the step: done or check runs it again.")
            return prompt()
        case (.running, .ran(let outcome)):
            return try ran(outcome)
        case (.running, .interrupted):
            mode = .prompt
            say("Command stopped (Ctrl-C); nothing was recorded. Back at the step.")
            return prompt()
        case (.checking, _), (.prompt, .checked), (.prompt, .ran), (.running, _):
            // Input that fits no state: only a bug in the driver sends it.
            throw Refused(message: "internal error: the walk got input it was not waiting for; progress is saved, resume the run")
        }
    }

    // MARK: - The current step

    /// The runbook's step at the run's `index`: the run's steps are the runbook's, in its order, so no
    /// search (a walk's cost per step must not grow with the runbook).
    func step(at index: Int) -> Step? {
        let id = state.steps[index].id
        if index < runbook.steps.count, runbook.steps[index].id == id { return runbook.steps[index] }
        return runbook.step(id: id)
    }

    /// The number of the step `target` names, for "→ step 7, Title".
    func located(_ target: String) -> Int? {
        state.index(of: target)
    }

    var currentStep: (index: Int, step: Step)? {
        guard let index = state.currentIndex, let step = step(at: index) else { return nil }
        return (index, step)
    }

    /// After a change: the run complete, or the current step's screen when it changed, or its prompt.
    mutating func next() throws(Refused) -> Request {
        guard let index = state.currentIndex else {
            if let other = state.pendingHandOff {
                say("The path hands off to the runbook \(runbook: other): a run of it starts now, with this run's values.")
                return .finish(.handedOff(other))
            }
            try record(.runCompleted)
            say(("Run \(program: state.run, role: .success)" as Text).styled(.success) + (" complete: " as Text).styled(.success)
                + Text(summary(), source: .program), "Report: \(program: "runbook report " + state.run, role: .code)")
            return .finish(.completed)
        }
        guard let step = step(at: index) else {
            return .finish(.failed("step \(state.steps[index].id) is not in \(runbook.path) any more; edit the runbook or abandon the run"))
        }
        guard shown != index else { return prompt() }
        let before = shown
        shown = index
        ranOutput = carried(from: before, to: step)
        let (found, missing, notes) = variables.resolve(step, recorded: state.variables)
        for value in found { try keep(value.value, for: value.variable) }
        say(Text(String(repeating: "─", count: 60), source: .program, role: .dim))
        let progress = state.progress
        say(StepScreen.screen(step, locate: located, header: .init(number: state.number(of: index), count: state.steps.count,
                                                  done: progress.done, left: progress.left,
                                                  earlierPasses: state.passes(of: step.id)),
                              previousPlace: lastPlace, values: state.variables, runbook: runbook, shell: shell))
        lastPlace = step.place
        if !notes.isEmpty { say([""] + notes) }
        if ranOutput != nil { say("", "The output of run on the step before is kept for this step's check: type done, no paste needed.") }
        if !missing.isEmpty { return ask(missing, then: .prompt(asked: missing.map(\.variable.name))) }
        if let wait = try waitIfDue(step, at: index) { return wait }
        say("", reminder(for: step).styled(.dim))
        return prompt()
    }

    /// The step's prompt: the place, then the step's number.
    func prompt() -> Request {
        .prompt(promptLabel(""))
    }

    func promptLabel(_ suffix: String) -> Text {
        guard let (index, step) = currentStep else { return Text(suffix + "> ", source: .program) }
        return StepScreen.display(StepScreen.promptPlace(step.place), values: state.variables, runbook: runbook)
            + " · step \(state.number(of: index))\(program: suffix)> "
    }

    /// One instruction line for the step's prompt, naming only the words that apply.
    func reminder(for step: Step) -> Text {
        var words = ["skip REASON", "back", "note TEXT"]
        if step.check != nil { words.append("check") }
        if !variables.needs(of: step).isEmpty || !step.variableNames.isEmpty { words.append("set NAME") }
        if !runbook.context.isEmpty { words.append("about") }
        words += ["quit", "help"]
        let others = words.joined(separator: ", ")
        if let choice = step.choice {
            let count = choice.options.count
            return runLine(step) + "Type an option's number (1 to \(count)) or KEY when the step is done, or: \(program: others)."
        }
        return runLine(step) + "Type done when the step is done, or: \(program: others)."
    }

    public func summary() -> String {
        let elapsed = (state.endedAt ?? person.now()).timeIntervalSince(state.startedAt)
        return "\(state.doneCount) done, \(state.skippedCount) skipped, \(Elapsed.describe(elapsed)) elapsed."
    }

    mutating func pause(_ reason: PauseReason) throws(Refused) -> Request {
        try record(.runPaused(reason: reason))
        let position = currentStep.map { "step \(state.number(of: $0.index)) (\($0.step.title))" } ?? "the last step"
        let message: Text = "Paused at \(runbook: position); progress is saved. Resume with: \(program: "runbook resume " + state.run, role: .code)"
        if reason == .quit {
            say("", message)
        } else {
            output.warnings.append((reason == .inputEnded ? "Input ended. " : "") + message)
        }
        return .finish(.paused)
    }

    // MARK: - Values

    /// Keeps a value: a secret in memory only, a non-secret recorded in the run when it changed.
    mutating func keep(_ value: String, for variable: Variable, given: Bool = false) throws(Refused) {
        variables.keep(value, for: variable, given: given)
        if !variables.isSecret(variable), state.variables[variable.name] != value {
            try record(.variableRecorded(name: variable.name, value: value))
        }
    }

    /// Asks for the first of `needs`, on the step's screen.
    mutating func ask(_ needs: [VariableResolver.Need], then: AfterAnswers) -> Request {
        guard let need = needs.first else { return prompt() }
        mode = .asking(needs, then: then)
        let variable = need.variable
        let secret = variables.isSecret(variable)
        say("", "\(program: need.purpose) \(program: variable.name)"
            + (variable.description.isEmpty ? "." : ": " + Text(variable.description, source: .runbook, role: .prose))
            + (secret ? " It is typed without echo and kept in memory only." : ""))
        return .answer(promptLabel(" · \(variable.name)"), secret: secret)
    }

    private mutating func answered(_ input: Input, needs: [VariableResolver.Need], then: AfterAnswers) throws(Refused) -> Request {
        let variable = needs[0].variable
        let name = variable.name
        switch input {
        case .ended:
            return try pause(.inputEnded)
        case .interrupted:
            mode = .prompt
            say("Question stopped (Ctrl-C); \(program: name) was not set. Back at the step.")
            return prompt()
        case .begin, .checked, .ran, .waited:
            throw Refused(message: "internal error: a question got input it was not waiting for; progress is saved, resume the run")
        case .line(let line):
            let value = line.trimmed
            let command = PromptCommand(value)
            if value.isEmpty {
                say("\(program: name) cannot be empty: type its value, or quit (progress is saved).")
            } else if command.isPromptWord {
                switch command {
                case .quit, .back:
                    mode = .prompt
                    return try obey(command)
                case .skip(let reason) where !reason.isEmpty:
                    mode = .prompt
                    return try obey(command)
                default:
                    say("`\(program: command.word)` is a prompt word, not a value for \(program: name): nothing was kept. Type the value, or quit, or skip REASON.")
                }
            } else if let problem = variables.problem(with: value, for: variable) {
                say("That is not a value for \(program: name): \(program: problem). Type it again.")
            } else {
                try keep(value, for: variable, given: then == .set(name))
                let rest = Array(needs.dropFirst())
                if !rest.isEmpty { return ask(rest, then: then) }
                mode = .prompt
                return try answersDone(then)
            }
            return .answer(promptLabel(" · \(name)"), secret: variables.isSecret(variable))
        }
    }

    private mutating func answersDone(_ then: AfterAnswers) throws(Refused) -> Request {
        guard let (index, step) = currentStep else { return try next() }
        switch then {
        case .prompt(let asked):
            if let wait = try waitIfDue(step, at: index) { return wait }
            // A value typed at a question is shown in the command it goes into (a secret never is).
            let shown = step.actions(for: shell)
            if shown.contains(where: { $0.variableNames.contains { name in asked.contains(name) && !variables.isSecret(named: name) } }) {
                say(["", "With your values:"] + StepScreen.actions(shown, values: state.variables, runbook: runbook).dropFirst())
            }
            say("", reminder(for: step).styled(.dim))
            return prompt()
        case .set(let name):
            if variables.isSecret(named: name) {
                say("\(program: name) is set for this walk (never shown or stored)."
                    + (step.check != nil ? " Type check or done to run the check with it." : ""))
            } else {
                say("\(program: name) = \(typed: state.variables[name] ?? ""), recorded in the run.")
                let shown = step.actions(for: shell)
                if shown.contains(where: { $0.variableNames.contains(name) }) {
                    say(Array(StepScreen.actions(shown, values: state.variables, runbook: runbook).dropFirst()))
                }
            }
            return prompt()
        case .command(let line):
            return try obey(PromptCommand(line))
        }
    }

    /// `set NAME`: the value is asked again; a secret stays in memory, a non-secret is recorded.
    mutating func set(_ name: String) -> Request {
        let declared = runbook.variables.map(\.name)
        guard let variable = runbook.variable(named: name) else {
            let list = declared.isEmpty ? "this runbook declares none" : "it declares " + declared.joined(separator: ", ")
            if name.isEmpty {
                say("set needs a variable name: set NAME (\(program: list)).")
            } else {
                let hint = Suggestion.closest(to: name, in: declared).map { "did you mean \($0)? " } ?? ""
                say("No variable \(typed: name) in this runbook: \(program: hint)\(program: list).")
            }
            return prompt()
        }
        let secret = variables.isSecret(variable)
        say("Enter \(program: name) again" + (variable.description.isEmpty ? "" : " (" + Text(variable.description.trimming("."), source: .runbook) + ")")
            + (secret ? "; typed without echo, kept in memory only." : "."))
        mode = .asking([.init(variable: variable, purpose: "")], then: .set(name))
        return .answer(promptLabel(" · \(name)"), secret: secret)
    }
}

extension WalkCore.Refused {
    init(_ message: String) { self.message = message }
}
