import RunbookModel
import RunbookRun
import RunbookSupport
/// What the operator asked for, parsed from the command line.
public enum Command: Hashable, Sendable {
    case list(json: Bool)
    case show(runbook: String, format: ShowFormat)
    case lint(paths: [String], strict: Bool, json: Bool)
    case start(runbook: String, run: String?, variables: [VariableAssignment])
    case resume(run: String?, variables: [VariableAssignment])
    case status(run: String?, json: Bool)
    case runs(all: Bool, json: Bool)
    /// `run` nil: the most recent run.
    case report(run: String?, format: ReportFormat)
    case abandon(run: String, reason: String)
    case verify(run: String)
    case new(id: String)
    case completions(shell: Shell)
    case help(command: CommandName?)
    case version
    /// Hidden: the names a completion script offers, one a line (`runbook __complete runbooks`).
    case complete(CompletionList)
    /// Hidden: the man page, in roff (`runbook __man > docs/runbook.1`).
    case manPage
}

/// The shells `runbook completions` writes a script for.
public enum Shell: String, Hashable, Sendable, CaseIterable {
    case bash
    case zsh
    case fish
}

/// What `runbook __complete` lists.
public enum CompletionList: String, Hashable, Sendable, CaseIterable {
    /// The ids of the runbooks folder.
    case runbooks
    /// Every run's name, newest first.
    case runs
    /// The names of unfinished runs, most recently active first.
    case unfinishedRuns = "unfinished-runs"
}

/// `--var NAME=VALUE`.
public struct VariableAssignment: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

public enum ReportFormat: String, Hashable, Sendable, CaseIterable {
    case markdown
    case json
    /// A Mermaid flowchart of the run's path.
    case mermaid
}

public enum ShowFormat: String, Hashable, Sendable, CaseIterable {
    case text
    case json
    /// A Mermaid flowchart of the runbook.
    case mermaid
}

/// Options that apply to every command.
public struct GlobalOptions: Hashable, Sendable {
    public var runbooksFolder: String?
    public var stateFolder: String?
    public var noColor = false
    /// Seconds a check may take before it fails.
    public var checkTimeout: Double = 10

    public init(runbooksFolder: String? = nil, stateFolder: String? = nil, noColor: Bool = false, checkTimeout: Double = 10) {
        self.runbooksFolder = runbooksFolder
        self.stateFolder = stateFolder
        self.noColor = noColor
        self.checkTimeout = checkTimeout
    }
}

/// A whole command line: the options and the command.
public struct Invocation: Hashable, Sendable {
    public var options: GlobalOptions
    public var command: Command

    public init(options: GlobalOptions = GlobalOptions(), command: Command) {
        self.options = options
        self.command = command
    }
}

/// A command line that does not parse; the CLI prints it and exits 64 (EX_USAGE).
public struct UsageError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// The command whose usage to show with the error, if known.
    public var command: String?

    public init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    public var description: String { message }
}
