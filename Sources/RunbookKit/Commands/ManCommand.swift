/// Hidden: `runbook __man`, the man page in roff.
public struct ManCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "__man", synopsis: "", details: "Prints the man page in roff; scripts/manpage writes it to docs/runbook.1.", isHidden: true)

    public init() {}

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        _ = try arguments.operands([])
    }

    public func run(in context: CommandContext) throws -> Int32 {
        context.console.write(ManPage.text)
        return 0
    }
}
