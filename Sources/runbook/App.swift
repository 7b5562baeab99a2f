import Foundation
import RunbookKit

/// Runs one command: reads what it needs, prints the result, returns the exit status.
struct App {
    let invocation: Invocation
    let environment: [String: String]
    let terminal: Terminal
    let folders: Folders
    let style: Style
    let store: RunStore

    init(invocation: Invocation, environment: [String: String], terminal: Terminal) {
        self.invocation = invocation
        self.environment = environment
        self.terminal = terminal
        folders = Folders(options: invocation.options, environment: environment)
        style = Style(enabled: Style.wanted(isTerminal: terminal.outputIsTerminal, environment: environment,
                                            noColor: invocation.options.noColor))
        store = RunStore(folder: folders.state)
    }

    func out(_ text: String) { terminal.write(text.hasSuffix("\n") || text.isEmpty ? text : text + "\n") }

    /// One line on standard error: what happened and what to do next.
    func fail(_ message: String) -> Int32 {
        terminal.warn("runbook: error: \(message)")
        return 1
    }

    /// True for the commands that read or write runs: they need a usable state folder.
    var needsStateFolder: Bool {
        switch invocation.command {
        case .start, .resume, .status, .runs, .report, .abandon, .verify: true
        case .list, .show, .lint, .new, .help, .version, .completions, .complete, .manPage: false
        }
    }

    func run() -> Int32 {
        do {
            // Before anything is read or written: an unusable state folder is a usage error, and a
            // folder is never created where it was not asked for (a missing $HOME, the filesystem root).
            if needsStateFolder, let problem = folders.stateProblem() { throw UsageError(problem) }
            switch invocation.command {
            case .help(let command):
                out(command.map(HelpText.usage(of:)) ?? HelpText.overview)
                return 0
            case .version:
                out(HelpText.version)
                return 0
            case .list(let json): return try list(json: json)
            case .show(let reference, let format): return try show(reference, format: format)
            case .lint(let paths, let strict, let json): return try lint(paths, strict: strict, json: json)
            case .new(let id): return try new(id)
            case .start(let reference, let run, let variables): return try start(reference, run: run, variables: variables)
            case .resume(let run, let variables): return try resume(run, variables: variables)
            case .status(let run, let json): return try status(run, json: json)
            case .runs(let all, let json): return try runs(all: all, json: json)
            case .report(let run, let format): return try report(run, format: format)
            case .abandon(let run, let reason): return try abandon(run, reason: reason)
            case .verify(let run): return verify(run)
            case .completions(let shell): return completions(shell)
            case .complete(let list): return complete(list)
            case .manPage: return manPage()
            }
        } catch let error as RunSession.Refusal {
            if case .breaksHouseRules(_, let diagnostics) = error {
                for diagnostic in diagnostics { terminal.warn(diagnostic.description) }
            }
            return fail(error.description)
        } catch let error as RunbookFileError {
            return fail(error.description)
        } catch let error as LogError {
            return fail(error.description)
        } catch let error as UsageError {
            terminal.warn("runbook: error: \(error.message)")
            return 64
        } catch {
            return fail("\(error)")
        }
    }

    // MARK: - Runbooks

    /// Runbook ids that have an unfinished run (unreadable logs are left to `runs` to report).
    func unfinishedRunbooks() -> Set<String> {
        guard folders.stateProblem() == nil else { return [] }
        let runs = (try? store.all().runs) ?? []
        return Set(runs.filter { $0.status == .active }.map(\.runbook))
    }

    func list(json: Bool) throws -> Int32 {
        let catalog = try RunbookCatalog.load(folder: folders.runbooks)
        for failure in catalog.failures { terminal.warn("runbook: error: \(failure.description)") }
        let unfinished = unfinishedRunbooks()
        out(json ? RunbookViews.listJSON(catalog.runbooks, unfinished: unfinished)
                 : RunbookViews.list(catalog.runbooks, unfinished: unfinished))
        return catalog.failures.isEmpty ? 0 : 1
    }

    func show(_ reference: String, format: ShowFormat) throws -> Int32 {
        let runbook = try RunbookCatalog.resolve(reference, folder: folders.runbooks)
        switch format {
        case .text: out(RunbookViews.show(runbook, style: style))
        case .json: out(RunbookViews.showJSON(runbook))
        case .mermaid: out(MermaidChart.runbook(runbook))
        }
        return 0
    }

    func lint(_ paths: [String], strict: Bool, json: Bool) throws -> Int32 {
        let result = try Linter().lint(paths: paths, folder: folders.runbooks)
        out(json ? LintReport.json(result.diagnostics) : LintReport.text(result.diagnostics, files: result.files, style: style))
        return result.failed(strict: strict) ? 1 : 0
    }

    func new(_ id: String) throws -> Int32 {
        let folder = folders.runbooks
        if let existing = (try? RunbookCatalog.files(in: folder))?.first(where: { SourceFile.id(ofPath: $0) == id }) {
            return fail("\(existing) already exists; edit it, or pick another id")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            return fail("cannot create the folder \(folder); pass --dir DIR or set RUNBOOK_DIR")
        }
        let path = folder + "/" + id + ".md"
        switch Skeleton.write(Skeleton.text(id: id), to: path) {
        case .written:
            out("Wrote \(path). Fill it in, then check it: runbook lint --strict \(path)")
            return 0
        case .exists:
            return fail("\(path) already exists; edit it, or pick another id")
        case .failed(let reason):
            return fail("could not write \(path): \(reason); nothing was written")
        }
    }
}
