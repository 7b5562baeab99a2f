/// Every command of the CLI, in help order: the one table that parsing, help, completion and the man page read.
public enum CommandTable {
    public static let all: [any RunbookCommand.Type] = [
        ListCommand.self, ShowCommand.self, LintCommand.self, StartCommand.self, ResumeCommand.self, StatusCommand.self,
        RunsCommand.self, ReportCommand.self, AbandonCommand.self, VerifyCommand.self, JoinCommand.self, SyncCommand.self,
        WatchCommand.self, NewCommand.self,
        CompletionsCommand.self, HelpCommand.self, CompleteCommand.self, ManCommand.self,
    ]

    /// The commands an operator is shown, in help order.
    public static var visible: [CommandConfiguration] { all.map { $0.configuration }.filter { !$0.isHidden } }

    /// The names an operator is shown (and offered as suggestions).
    public static var visibleNames: [String] { visible.map(\.name) }

    public static func named(_ name: String) -> (any RunbookCommand.Type)? {
        all.first { $0.configuration.name == name }
    }
}
