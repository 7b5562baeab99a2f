import RunbookModel
import RunbookRun
import RunbookSupport

/// `runbook resume [RUN]`: walk a run again from its first pending step.
public struct ResumeCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "resume", synopsis: "[RUN] [--var NAME=VALUE]... [--check-timeout SECONDS] [--take-over]",
        summary: "walk the latest unfinished run, or RUN",
        details: "Walks RUN, or the most recently active unfinished run, from its first pending step. --var gives a variable's value for this walk (another machine may need another base URL); it is recorded unless the variable is secret. In a shared state folder, a run someone is walking elsewhere (not paused or ended) is refused, naming who, where and since when; --take-over walks it anyway and records whose walk it took over.",
        flags: [.init("--var", takesValue: true), .init("--check-timeout", takesValue: true), .init("--take-over")],
        operands: .unfinishedRun, readsRuns: true)

    /// nil: the most recently active unfinished run.
    public var run: String?
    public var variables: [VariableAssignment]
    public var checkTimeout: Double
    /// Walk it even while someone else walks it elsewhere, and record that (SPEC 9).
    public var takeOver: Bool

    public init(run: String? = nil, variables: [VariableAssignment] = [], checkTimeout: Double = 10, takeOver: Bool = false) {
        self.run = run
        self.variables = variables
        self.checkTimeout = checkTimeout
        self.takeOver = takeOver
    }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        run = try arguments.run(optional: true)
        checkTimeout = try arguments.checkTimeout()
        variables = try arguments.assignments()
        takeOver = arguments.has("--take-over")
    }

    public func run(in context: CommandContext) throws -> Int32 {
        context.fetchRuns()
        var run = self.run ?? ""
        if self.run == nil {
            let runs = try context.allRuns(reporting: "warning").runs
            switch RunStore.latestUnfinished(runs) {
            case .none:
                throw RunSession.Refusal.noUnfinishedRun
            case .tie(let tied):
                context.warn("runbook: error: several unfinished runs were last active at the same moment; name one: runbook resume RUN")
                for state in tied { context.warn("  " + RunReport.line(state)) }
                return 1
            case .run(let latest, let count):
                if count > 1 {
                    context.out("Resuming \(latest.run), the most recently active of \(count) unfinished runs (`runbook runs` lists them).")
                }
                run = latest.run
            }
        }
        let session: RunSession
        let person = context.person()
        var takeover: Takeover?
        if let claim = context.claim(on: run, by: person), let state = try? context.store.state(of: run) {
            guard takeOver else { return context.fail(claim) }
            takeover = Takeover(operatorName: state.lastOperator, host: state.lastHost)
            context.out("Taking run \(run) over from \(state.lastOperator) on \(state.lastHost).")
        }
        do {
            session = try RunSession.resume(run, folder: context.folders.runbooks, assignments: variables, store: context.store,
                                            person: person, takeover: takeover)
        } catch RunSession.Refusal.alreadyComplete(let run) {
            context.out("Run \(run) is already complete. Report: runbook report \(run)")
            return 0
        }
        defer { session.writer.close() }
        if let warning = RunSession.secretsOnTheCommandLine(variables, for: session.runbook) { context.warn(warning) }
        for notice in session.notices {
            switch notice.kind {
            case .info: context.out(notice.text)
            case .warning: context.out(context.style.warning(notice.text))
            case .note: context.warn(notice.text)
            }
        }
        let state = session.state
        context.out("Resuming run \(run): \(session.runbook.title), \(state.progress.done) of \(state.progress.done + state.progress.left) steps behind you.")
        context.out(Renderer(style: context.style, width: context.console.width).lines(StepScreen.houseRules()) + "\n")
        return context.walk(session, variables: variables, person: person, checkTimeout: checkTimeout)
    }
}
