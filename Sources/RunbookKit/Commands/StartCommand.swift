import RunbookModel
import RunbookRun
import RunbookSupport

/// `runbook start RUNBOOK`: begin a run and walk it.
public struct StartCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "start", synopsis: "RUNBOOK [--run NAME] [--var NAME=VALUE]... [--check-timeout SECONDS]",
        summary: "begin a run and walk it",
        details: "Begins a run of RUNBOOK and walks it one step at a time. The default run name is RUNBOOK-YYYYMMDD-HHMMSS (UTC). --var gives a variable's value (first in line; checked against its Format:).",
        flags: [.init("--run", takesValue: true), .init("--var", takesValue: true), .init("--check-timeout", takesValue: true)],
        operands: .runbook, readsRuns: true)

    public var runbook: String
    public var run: String?
    public var variables: [VariableAssignment]
    /// Seconds a check may take before it fails.
    public var checkTimeout: Double

    public init(runbook: String, run: String? = nil, variables: [VariableAssignment] = [], checkTimeout: Double = 10) {
        self.runbook = runbook
        self.run = run
        self.variables = variables
        self.checkTimeout = checkTimeout
    }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        runbook = try arguments.operands(["RUNBOOK"])[0]
        if let run = try arguments.single("--run") { self.run = try arguments.runName(run) }
        checkTimeout = try arguments.checkTimeout()
        variables = try arguments.assignments()
    }

    public func run(in context: CommandContext) throws -> Int32 {
        context.fetchRuns()
        let runbook = try RunSession.walkable(runbook, folder: context.folders.runbooks)
        try RunSession.validate(variables, for: runbook)
        if let warning = RunSession.secretsOnTheCommandLine(variables, for: runbook) { context.warn(warning) }
        if let notice = RunSession.unfinishedNotice(for: runbook, among: context.store.unfinishedRuns(of: runbook.id)) { context.out(notice) }
        let person = context.person()
        let session = try RunSession.start(runbook, name: run, assignments: variables, store: context.store, person: person)
        defer { session.writer.close() }
        let style = context.style
        context.out("Run \(session.state.run): \(runbook.title), \(runbook.steps.count) step\(runbook.steps.count == 1 ? "" : "s").")
        let renderer = Renderer(style: style, width: context.console.width)
        context.out(renderer.lines(StepScreen.houseRules()) + "\n")
        if !runbook.preamble.isEmpty {
            context.out(renderer.lines(runbook.preamble.map { Text($0, source: .runbook, role: .prose) }) + "\n")
        }
        return context.walk(session, variables: variables, person: person, checkTimeout: checkTimeout)
    }
}
