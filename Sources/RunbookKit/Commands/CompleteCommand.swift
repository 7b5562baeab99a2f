#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RunbookModel
import RunbookRun
import RunbookSupport

/// Hidden: `runbook __complete runbooks|runs|unfinished-runs`, the names a completion script offers.
public struct CompleteCommand: RunbookCommand {
    /// What it lists.
    public enum List: String, Hashable, Sendable, CaseIterable {
        /// The ids of the runbooks folder.
        case runbooks
        /// Every run's name, newest first.
        case runs
        /// The names of unfinished runs, most recently active first.
        case unfinishedRuns = "unfinished-runs"
    }

    public static let configuration = CommandConfiguration(
        name: "__complete", synopsis: "runbooks|runs|unfinished-runs",
        details: "For completion scripts: prints runbook ids, run names (newest first) or unfinished runs' names, one a line, and nothing else.",
        isHidden: true)

    public var list: List

    public init(list: List) { self.list = list }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        let name = try arguments.operands(["a list (runbooks, runs or unfinished-runs)"])[0]
        guard let list = List(rawValue: name) else {
            throw UsageError("__complete lists runbooks, runs or unfinished-runs, not `\(name)`")
        }
        self.list = list
    }

    /// Names one a line; quiet: a missing folder or a bad log lists nothing. Only valid runbook ids and
    /// run names are listed: a file named `$(touch x).md` or `a b.jsonl` is no runbook or run, and a shell
    /// must never be handed it to expand or split.
    public func run(in context: CommandContext) throws -> Int32 {
        let store = context.store
        let names: [String]
        switch list {
        case .runbooks:
            let files = (try? RunbookCatalog.files(in: context.folders.runbooks)) ?? []
            names = Array(Set(files.map(SourceFile.id(ofPath:)).filter(Runbook.isValidID))).sorted()
        case .runs:
            // Newest first, by the log's last write: reading every log would slow each Tab.
            let modified = { (run: String) -> Date in
                let attributes = try? FileManager.default.attributesOfItem(atPath: store.logPath(of: run))
                return attributes?[.modificationDate] as? Date ?? .distantPast
            }
            names = ((try? store.names()) ?? []).filter(RunState.isValidRunName).map { ($0, modified($0)) }.sorted { ($0.1, $0.0) > ($1.1, $1.0) }.map(\.0)
        case .unfinishedRuns:
            names = RunStore.unfinished((try? store.all().runs) ?? []).map(\.run)
        }
        if !names.isEmpty { context.out(names.joined(separator: "\n")) }
        return 0
    }
}
