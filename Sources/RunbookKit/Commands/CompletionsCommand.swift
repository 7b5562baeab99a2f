/// `runbook completions bash|zsh|fish`: a completion script.
public struct CompletionsCommand: RunbookCommand {
    /// The shells a script is written for.
    public enum Shell: String, Hashable, Sendable, CaseIterable {
        case bash
        case zsh
        case fish
    }

    public static let configuration = CommandConfiguration(
        name: "completions", synopsis: "bash|zsh|fish", summary: "a script that completes commands, ids and runs",
        details: "Prints a completion script for the shell: commands, options, runbook ids (show, start, lint) and run names (resume, status, report, abandon, verify), asked of runbook itself as you type. scripts/install puts them where each shell looks.",
        operands: .shell)

    public var shell: Shell

    public init(shell: Shell) { self.shell = shell }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        let name = try arguments.operands(["SHELL (bash, zsh or fish)"])[0]
        guard let shell = Shell(rawValue: name) else { throw arguments.error("completions takes bash, zsh or fish, not `\(name)`") }
        self.shell = shell
    }

    public func run(in context: CommandContext) throws -> Int32 {
        context.out(Completions.script(for: shell))
        return 0
    }
}
