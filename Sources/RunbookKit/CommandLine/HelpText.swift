import RunbookModel
import RunbookRun
import RunbookSupport
/// The text of `runbook help` and `runbook help COMMAND`.
public enum HelpText {
    public static let version = "runbook 0.2.0"

    /// The overview: every command of `CommandName`, its synopsis and summary, then the options.
    public static let overview = """
    runbook: walk an operator through a runbook one step at a time, and keep every acknowledged step.

    Usage: runbook [--dir DIR] [--state-dir DIR] [--no-color] COMMAND

    Commands:
    \(commandLines)

    Options:
      --dir DIR        runbooks folder (default: $RUNBOOK_DIR, else ./runbooks)
      --state-dir DIR  where runs are kept (default: $RUNBOOK_STATE_DIR, else $XDG_STATE_HOME/runbook,
                       else ~/.local/state/runbook)
      --no-color       no colours (also when NO_COLOR is set or output is not a terminal)
      --check-timeout SECONDS   with start and resume: each check's time limit (default 10)
      --var NAME=VALUE with start and resume: a variable's value (first in line; checked against its Format:)
      --help, --version

    At the prompt of a walk: done, skip REASON, back, note TEXT, check, set NAME, quit, help; on a decision step, an option's KEY.
    Exit status: 0 done, 1 failure, 3 paused (quit or end of input), 64 usage error, 130 interrupted.
    """

    /// One line per command: `name synopsis`, then its summary in a column (on the next line when the synopsis is long).
    static var commandLines: String {
        let column = 39
        return CommandName.allCases.map { command in
            let head = "  \(command.rawValue) \(command.synopsis)"
            let pad = head.count < column ? String(repeating: " ", count: column - head.count)
                                          : "\n" + String(repeating: " ", count: column)
            return head + pad + command.summary
        }.joined(separator: "\n")
    }

    /// `runbook help COMMAND`.
    public static func usage(of command: CommandName) -> String {
        command == .help ? overview : "Usage: runbook \(command.rawValue) \(command.synopsis)\n\n\(command.details)"
    }
}
