#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RunbookModel
import RunbookRun
import RunbookSupport

/// What a command gets from outside the program, so that it runs the same in a test.
///
/// The executable builds one from the process (its terminal, environment, clock and signals); a test
/// builds one from a scripted console and a fixed clock.
public struct CommandContext {
    public var options: GlobalOptions
    public var environment: [String: String]
    /// Standard output and error, and the walk's input: the terminal, or a script in tests.
    public var console: any Console
    /// True when standard output is a terminal: colours are wanted then.
    public var outputIsTerminal: Bool
    public var now: @Sendable () -> Date
    /// Installs what Ctrl-C, SIGTERM and SIGHUP do during a walk: the closure seals the walk and
    /// returns the line to print before exiting 130.
    public var installInterrupts: (@escaping @Sendable () -> String) -> Void
    public let folders: Folders
    public let style: Style
    public let store: RunStore
    /// The notes this command has printed: a sync problem is said once per command.
    let said = Locked(Set<String>())

    public init(options: GlobalOptions, environment: [String: String], console: any Console, outputIsTerminal: Bool,
                currentFolder: String = System.currentFolder(), now: @escaping @Sendable () -> Date = { Date() },
                installInterrupts: @escaping (@escaping @Sendable () -> String) -> Void) {
        self.options = options
        self.environment = environment
        self.console = console
        self.outputIsTerminal = outputIsTerminal
        self.now = now
        self.installInterrupts = installInterrupts
        folders = Folders(options: options, environment: environment, currentFolder: currentFolder)
        style = Style(enabled: Style.wanted(isTerminal: outputIsTerminal, environment: environment, noColor: options.noColor))
        store = RunStore(folder: folders.state)
    }

    /// Writes `text` to standard output, ending it with a newline when it has none.
    public func out(_ text: String) { console.write(text.hasSuffix("\n") || text.isEmpty ? text : text + "\n") }

    /// One line on standard error.
    public func warn(_ line: String) { console.warn(line) }

    /// One line on standard error: what happened and what to do next. Returns the exit status 1.
    public func fail(_ message: String) -> Int32 {
        warn("runbook: error: \(message)")
        return 1
    }

    /// Who runs the command; worked out once per command (the host name and time zone cost a start).
    ///
    /// Without `RUNBOOK_OPERATOR`, in a shared state folder, git's `user.name` there names the operator (SPEC 9).
    public func person() -> Operator {
        var environment = environment
        if environment["RUNBOOK_OPERATOR"]?.isEmpty ?? true, store.shared,
           let name = Git(folder: folders.state, environment: environment).value(["config", "user.name"]) {
            environment["RUNBOOK_OPERATOR"] = name
        }
        return Operator.current(environment: environment, now: now)
    }
}
