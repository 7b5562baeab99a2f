import RunbookModel
import RunbookRun
import RunbookSupport

/// `runbook runs [--all]`: the runs, newest first.
public struct RunsCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "runs", synopsis: "[--all] [--json]", summary: "runs: unfinished ones, or all",
        details: "Lists unfinished runs, or all runs with --all.",
        flags: [.init("--all"), .init("--json")], readsRuns: true)

    public var all: Bool
    public var json: Bool

    public init(all: Bool = false, json: Bool = false) {
        self.all = all
        self.json = json
    }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try arguments.operands([])
        self.init(all: arguments.has("--all"), json: arguments.has("--json"))
    }

    public func run(in context: CommandContext) throws -> Int32 {
        context.fetchRuns()
        let (runs, failed) = try context.allRuns(reporting: "error")
        let shown = runs.filter { all || $0.status == .active }.sorted { $0.startedAt > $1.startedAt }
        if json {
            context.out(RunReport.json(RunSession.hidingSecrets(shown, folder: context.folders.runbooks)))
        } else if shown.isEmpty {
            context.out(all ? "No runs yet. Start one with: runbook start RUNBOOK" : "No unfinished runs (`runbook runs --all` shows finished ones).")
        } else {
            context.out(shown.map(RunReport.line).joined(separator: "\n"))
        }
        return failed ? 1 : 0
    }
}
