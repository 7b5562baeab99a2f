/// A subcommand of the CLI: what it is called, what it takes, and what it does.
///
/// Each one is a type in a file of its own under `Commands/`. Its `configuration` is the only place
/// its name, flags and help lines are written: parsing, `help`, the completion scripts and the man
/// page all read it. `CommandTable` lists them.
public protocol RunbookCommand: Hashable, Sendable {
    /// Its name, flags, arguments and help lines.
    static var configuration: CommandConfiguration { get }

    /// Reads its arguments and flags, already split from the command line by `Invocation.parse`.
    init(_ arguments: ParsedArguments) throws(UsageError)

    /// Does the work through `context` alone; returns the exit status.
    func run(in context: CommandContext) throws -> Int32
}
