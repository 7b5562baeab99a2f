import RunbookSupport

/// `runbook help [COMMAND]`, also `--help` anywhere on the line.
public struct HelpCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "help", synopsis: "[COMMAND]", summary: "this text, or one command's",
        details: "Prints the overview of commands and options, or the help of COMMAND.", operands: .command)

    /// The command whose help to print; nil: the overview.
    public var topic: String?

    public init(topic: String? = nil) { self.topic = topic }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        guard let topic = try arguments.operands(["COMMAND"], optional: 1).first else { return }
        guard CommandTable.named(topic) != nil else {
            let hint = Suggestion.closest(to: topic, in: CommandTable.visibleNames).map { " Did you mean `\($0)`?" } ?? ""
            throw UsageError("no help for unknown command `\(topic)`.\(hint)")
        }
        self.topic = topic
    }

    public func run(in context: CommandContext) throws -> Int32 {
        context.out(topic.flatMap(CommandTable.named).map { HelpText.usage(of: $0.configuration) } ?? HelpText.overview)
        return 0
    }
}
