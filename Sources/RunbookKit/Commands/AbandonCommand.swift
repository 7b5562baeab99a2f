import RunbookModel
import RunbookRun
import RunbookSupport

/// `runbook abandon RUN --reason TEXT`: end a run without finishing it.
public struct AbandonCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "abandon", synopsis: "RUN --reason TEXT", summary: "end a run without finishing it",
        details: "Ends a run without finishing it; the reason is kept in its log.",
        flags: [.init("--reason", takesValue: true)], operands: .unfinishedRun, readsRuns: true)

    public var run: String
    public var reason: String

    public init(run: String, reason: String) {
        self.run = run
        self.reason = reason
    }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        run = try arguments.run() ?? ""
        guard let reason = try arguments.single("--reason"), !reason.trimmed.isEmpty else {
            throw arguments.error("`abandon` needs --reason TEXT: say why the run ends unfinished")
        }
        self.reason = reason.trimmed
    }

    public func run(in context: CommandContext) throws -> Int32 {
        let path = try RunSession.abandon(run, reason: reason, store: context.store, person: context.person())
        context.out("Run \(run) abandoned: \(reason). Its log stays in \(path); report: runbook report \(run)")
        return 0
    }
}
