import RunbookModel
import RunbookRun
import RunbookSupport

/// The text of `runbook help` and `runbook help COMMAND`; the man page (`ManPage`) is made from the same parts.
///
/// The commands come from `CommandTable`, the one table parsing reads too.
public enum HelpText {
    public static let version = "runbook 0.4.0"

    public static let tagline = "walk an operator through a runbook one step at a time, and keep every acknowledged step"

    public static let synopsis = "runbook [--dir DIR] [--state-dir DIR] [--no-color] COMMAND"

    /// The commands an operator is shown, in help order.
    public static var commands: [CommandConfiguration] { CommandTable.visible }

    /// An option: how it is written and what it does.
    public struct Option: Sendable {
        public var flag: String
        /// In the overview a line break may stand in it; the man page joins the lines.
        public var text: String
    }

    public static let options: [Option] = [
        Option(flag: "--dir DIR", text: "runbooks folder (default: $RUNBOOK_DIR, else the nearest runbooks/\nfrom here upwards)"),
        Option(flag: "--state-dir DIR", text: "where runs are kept (default: $RUNBOOK_STATE_DIR, else $XDG_STATE_HOME/runbook,\nelse ~/.local/state/runbook)"),
        Option(flag: "--no-color", text: "no colours (also when NO_COLOR is set or output is not a terminal)"),
        Option(flag: "--check-timeout SECONDS", text: "with start and resume: each check's time limit, 1 to 3600 (default 10)"),
        Option(flag: "--var NAME=VALUE", text: "with start and resume: a variable's value (first in line; checked against its Format:);\nnot for secrets: any user can read a command line"),
        Option(flag: "--help, --version", text: ""),
    ]

    public static let exitStatuses: [(code: Int, meaning: String)] = [
        (0, "done"), (1, "failure"), (3, "paused (quit or end of input)"), (64, "usage error"), (130, "interrupted"),
    ]

    /// What the prompt of a walk reads, in one line.
    public static let promptWords = "done, skip REASON, back, note TEXT, check, set NAME, run, quit, help; on a decision step, an option's KEY"

    /// What runbook is, in a paragraph, for the man page.
    public static let description = """
        runbook walks an operator through a runbook one step at a time, always saying where to run \
        each step, waits for done, verifies what it can itself (http, sh and paste checks), and keeps \
        every acknowledged step in a crash-safe, append-only log. Runbooks are Markdown files that \
        read well on GitHub and are linted against the team's house rules; decisions and jumps make \
        them trees.
        """

    /// Where runbook keeps things, for the man page.
    public static let files: [(path: String, meaning: String)] = [
        ("runbooks/", "the runbooks: every *.md below it except README.md; the id is the file name without .md. The nearest one from the current folder upwards is used."),
        ("$STATE/runs/RUN.jsonl", "a run's log: one JSON event per line, fsynced, each line holding the SHA-256 of the line before."),
        ("$STATE/runs/RUN.lock", "held while the run is walked, naming the process that holds it."),
    ]

    /// The environment variables runbook reads, for the man page.
    public static let environment: [(name: String, meaning: String)] = [
        ("RUNBOOK_DIR", "the runbooks folder, when --dir is not given (default: the nearest runbooks/ from the current folder upwards)."),
        ("RUNBOOK_STATE_DIR", "where runs are kept, when --state-dir is not given."),
        ("XDG_STATE_HOME", "runs are kept in $XDG_STATE_HOME/runbook when neither is set and it is absolute (default ~/.local/state/runbook)."),
        ("RUNBOOK_OPERATOR", "who is recorded with each event (default $USER)."),
        ("NO_COLOR", "no colours when set."),
        ("PATH", "where the curl that runs http checks is found."),
        ("NAME", "the value of the runbook variable NAME, after --var NAME=VALUE and before a value recorded in the run, its default, or a question."),
    ]

    public static let overview: String = {
        var lines = ["runbook: \(tagline).", "", "Usage: \(synopsis)", "", "Commands:"]
        for command in commands {
            lines.append("  " + column("\(command.name) \(command.synopsis)", width: 37) + command.summary)
        }
        lines += ["", "Options:"]
        for option in options {
            let text = option.text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = option.text.isEmpty ? option.flag : column(option.flag, width: 17) + text[0]
            lines.append("  " + first)
            lines += text.dropFirst().map { String(repeating: " ", count: 19) + $0 }
        }
        lines += [
            "",
            "At the prompt of a walk: \(promptWords).",
            "Exit status: " + exitStatuses.map { "\($0.code) \($0.meaning)" }.joined(separator: ", ") + ".",
        ]
        return lines.joined(separator: "\n")
    }()

    /// `text` padded to `width`; a longer one is followed by a new line and the padding, so summaries line up.
    private static func column(_ text: String, width: Int) -> String {
        text.count < width ? text + String(repeating: " ", count: width - text.count)
                           : text + "\n" + String(repeating: " ", count: width + 2)
    }

    /// `runbook help COMMAND`.
    public static func usage(of command: CommandConfiguration) -> String {
        command.name == HelpCommand.configuration.name ? overview : "Usage: runbook \(command.name) \(command.synopsis)\n\n\(command.details)"
    }
}
