import RunbookModel
import RunbookRun
import RunbookSupport

/// `runbook status [RUN]`: where unfinished runs, or one run, stand.
public struct StatusCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "status", synopsis: "[RUN] [--json]", summary: "where unfinished runs (or RUN) stand",
        details: "Shows where unfinished runs (or RUN) stand: the current step and where to run it.",
        flags: [.init("--json")], operands: .unfinishedRun, readsRuns: true)

    public var run: String?
    public var json: Bool

    public init(run: String? = nil, json: Bool = false) {
        self.run = run
        self.json = json
    }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        run = try arguments.run(optional: true)
        json = arguments.has("--json")
    }

    public func run(in context: CommandContext) throws -> Int32 {
        context.fetchRuns()
        let runbooks = context.folders.runbooks
        if let run {
            let log = try context.store.log(of: run)
            context.warnTorn(log)
            let broken = context.warnBroken(log, run: run, json: json)
            let state = RunSession.hidingSecrets([try log.state()], folder: runbooks)[0]
            context.out(json ? RunReport.json([state]) : RunReport.line(state))
            return broken ? 1 : 0
        }
        let (runs, failed) = try context.allRuns(reporting: "error")
        let unfinished = RunStore.unfinished(runs)
        if json {
            context.out(RunReport.json(RunSession.hidingSecrets(unfinished, folder: runbooks)))
        } else if unfinished.isEmpty {
            context.out("No unfinished runs. Start one with: runbook start RUNBOOK")
        } else {
            context.out(unfinished.map(RunReport.line).joined(separator: "\n"))
        }
        return failed ? 1 : 0
    }
}
