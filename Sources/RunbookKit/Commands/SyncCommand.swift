import RunbookModel
import RunbookRun
import RunbookSupport

/// `runbook sync`: share runs through the state folder's git repository now.
public struct SyncCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "sync", synopsis: "", summary: "share runs through the state folder's git repository",
        details: "Commits the run logs that grew (one commit naming each run and its new events, authored by the operator), fetches, rebases and pushes, retrying when the push is rejected, and prints what it sent and received. Walks sync on their own in a shared state folder (set one up with `runbook join URL`); this is for a laptop that was offline, or to check. Works even with RUNBOOK_SYNC=off, which only stops the automatic syncs.",
        readsRuns: true)

    public init() {}

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try arguments.operands([])
    }

    public func run(in context: CommandContext) throws -> Int32 {
        guard context.store.shared else { return context.fail(SyncError.notShared(folder: context.folders.state).description) }
        let person = context.person()
        do {
            let report = try context.teamSync().sync(author: person.name, host: person.host)
            if report.localOnly {
                context.out("Committed here only: the state folder's repository has no remote "
                            + "(add one with `git -C \(context.folders.state) remote add origin URL`).")
            } else {
                context.out(CommandContext.describe(report) ?? "Up to date with \(report.remote): nothing to send or receive.")
            }
            return 0
        } catch {
            return context.fail(error.description)
        }
    }
}
