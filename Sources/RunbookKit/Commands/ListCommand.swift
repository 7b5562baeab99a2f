import RunbookModel
import RunbookRun
import RunbookSupport

/// `runbook list`: the runbooks of the runbooks folder.
public struct ListCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "list", synopsis: "[--json]", summary: "the runbooks: id, title, step count, tags",
        details: "Lists the runbooks of the runbooks folder: id, title, step count and tags; a * marks runbooks with unfinished runs.",
        flags: [.init("--json")])

    public var json: Bool

    public init(json: Bool = false) { self.json = json }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try arguments.operands([])
        json = arguments.has("--json")
    }

    public func run(in context: CommandContext) throws -> Int32 {
        let catalog = try RunbookCatalog.load(folder: context.folders.runbooks, outline: true)
        for failure in catalog.failures { context.warn("runbook: error: \(failure.description)") }
        let unfinished = Self.unfinishedRunbooks(context)
        context.out(json ? RunbookViews.listJSON(catalog.runbooks, unfinished: unfinished)
                         : RunbookViews.list(catalog.runbooks, unfinished: unfinished))
        return catalog.failures.isEmpty ? 0 : 1
    }

    /// Runbook ids that have an unfinished run (unreadable logs are left to `runs` to report).
    static func unfinishedRunbooks(_ context: CommandContext) -> Set<String> {
        guard context.folders.stateProblem() == nil else { return [] }
        return Set(RunStore.unfinished((try? context.store.all().runs) ?? []).map(\.runbook))
    }
}
