/// `runbook --version`: a flag, not a command of the table.
public struct VersionCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(name: "--version", synopsis: "", details: "Prints the version.", isHidden: true)

    public init() {}

    public init(_ arguments: ParsedArguments) throws(UsageError) {}

    public func run(in context: CommandContext) throws -> Int32 {
        context.out(HelpText.version)
        return 0
    }
}
