/// The text of `runbook help` and `runbook help COMMAND`; the man page (`ManPage`) is made from the same parts.
public enum HelpText {
    public static let version = "runbook 0.2.0"

    public static let tagline = "walk an operator through a runbook one step at a time, and keep every acknowledged step"

    public static let synopsis = "runbook [--dir DIR] [--state-dir DIR] [--no-color] COMMAND"

    /// One command: its line in the overview and its own help.
    public struct Entry: Sendable {
        public var name: String
        /// The command and its arguments, as in the overview: `list [--json]`.
        public var synopsis: String
        /// What it does, in a few words, for the overview.
        public var summary: String
        /// The arguments in full, for `help COMMAND`, when they differ from `synopsis`.
        public var usage: String?
        /// What it does, in sentences.
        public var detail: String
    }

    public static let entries: [Entry] = [
        Entry(name: "list", synopsis: "list [--json]", summary: "the runbooks: id, title, step count, tags",
              detail: "Lists the runbooks of the runbooks folder: id, title, step count and tags; a * marks runbooks with unfinished runs."),
        Entry(name: "show", synopsis: "show RUNBOOK [--json]", summary: "the whole runbook, read-only",
              detail: "Prints the whole runbook for reading: guardrails, variables, then every step with where to run it. RUNBOOK is an id or a path to a .md file."),
        Entry(name: "lint", synopsis: "lint [PATH...] [--strict] [--json]", summary: "check runbooks against the house rules",
              detail: "Checks runbooks (default: the runbooks folder) against the house rules. A PATH is a file, a folder or a runbook id. Prints PATH:LINE:COL: error|warning: MESSAGE [RULE]. Exits 1 on an error, or on a warning with --strict."),
        Entry(name: "start", synopsis: "start RUNBOOK [--run NAME] [--var NAME=VALUE]...", summary: "begin a run and walk it",
              usage: "start RUNBOOK [--run NAME] [--var NAME=VALUE]... [--check-timeout SECONDS]",
              detail: "Begins a run of RUNBOOK and walks it one step at a time. The default run name is RUNBOOK-YYYYMMDD-HHMMSS (UTC)."),
        Entry(name: "resume", synopsis: "resume [RUN]", summary: "walk the latest unfinished run, or RUN",
              usage: "resume [RUN] [--check-timeout SECONDS]",
              detail: "Walks RUN, or the most recently active unfinished run, from its first pending step."),
        Entry(name: "status", synopsis: "status [RUN] [--json]", summary: "where unfinished runs (or RUN) stand",
              detail: "Shows where unfinished runs (or RUN) stand: the current step and where to run it."),
        Entry(name: "runs", synopsis: "runs [--all] [--json]", summary: "runs: unfinished ones, or all",
              detail: "Lists unfinished runs, or all runs with --all."),
        Entry(name: "report", synopsis: "report RUN [--format markdown|json]", summary: "a run's timeline, for handover and postmortems",
              detail: "Prints a run's timeline: each step with where, who, when, how long, notes and skip reasons."),
        Entry(name: "abandon", synopsis: "abandon RUN --reason TEXT", summary: "end a run without finishing it",
              detail: "Ends a run without finishing it; the reason is kept in its log."),
        Entry(name: "verify", synopsis: "verify RUN", summary: "check a run's log: hash chain intact, events legal",
              detail: "Checks a run's log: every line readable, the hash chain intact, every event legal."),
        Entry(name: "new", synopsis: "new ID", summary: "write a runbook skeleton that passes lint",
              detail: "Writes runbooks/ID.md, a skeleton that passes `runbook lint --strict`. Never overwrites."),
        Entry(name: "completions", synopsis: "completions bash|zsh|fish", summary: "a script that completes commands, ids and runs",
              detail: "Prints a completion script for the shell: commands, options, runbook ids (show, start, lint) and run names (resume, status, report, abandon, verify), asked of runbook itself as you type. scripts/install puts them where each shell looks."),
        Entry(name: "help", synopsis: "help [COMMAND]", summary: "this text, or one command's",
              detail: "Prints the overview of commands and options, or the help of COMMAND."),
    ]

    /// Commands for scripts, in neither the overview nor the man page.
    public static let hiddenEntries: [Entry] = [
        Entry(name: "__complete", synopsis: "__complete runbooks|runs|unfinished-runs", summary: "",
              detail: "For completion scripts: prints runbook ids, run names (newest first) or unfinished runs' names, one a line, and nothing else."),
        Entry(name: "__man", synopsis: "__man", summary: "",
              detail: "Prints the man page in roff; scripts/manpage writes it to docs/runbook.1."),
    ]

    /// An option: how it is written and what it does.
    public struct Option: Sendable {
        public var flag: String
        /// In the overview a line break may stand in it; the man page joins the lines.
        public var text: String
    }

    public static let options: [Option] = [
        Option(flag: "--dir DIR", text: "runbooks folder (default: $RUNBOOK_DIR, else ./runbooks)"),
        Option(flag: "--state-dir DIR", text: "where runs are kept (default: $RUNBOOK_STATE_DIR, else $XDG_STATE_HOME/runbook,\nelse ~/.local/state/runbook)"),
        Option(flag: "--no-color", text: "no colours (also when NO_COLOR is set or output is not a terminal)"),
        Option(flag: "--check-timeout SECONDS", text: "with start and resume: each check's time limit (default 10)"),
        Option(flag: "--help, --version", text: ""),
    ]

    public static let exitStatuses: [(code: Int, meaning: String)] = [
        (0, "done"), (1, "failure"), (3, "paused (quit or end of input)"), (64, "usage error"), (130, "interrupted"),
    ]

    /// What runbook is, in a paragraph, for the man page.
    public static let description = """
        runbook walks an operator through a runbook one step at a time, always saying where to run \
        each step, waits for done, verifies what it can itself (http, sh and paste checks), and keeps \
        every acknowledged step in a crash-safe, append-only log. Runbooks are Markdown files that \
        read well on GitHub and are linted against the team's house rules.
        """

    /// Where runbook keeps things, for the man page.
    public static let files: [(path: String, meaning: String)] = [
        ("runbooks/", "the runbooks: every *.md below it except README.md; the id is the file name without .md."),
        ("$STATE/runs/RUN.jsonl", "a run's log: one JSON event per line, fsynced, each line holding the SHA-256 of the line before."),
        ("$STATE/runs/RUN.lock", "held while the run is walked, naming the process that holds it."),
    ]

    /// The environment variables runbook reads, for the man page.
    public static let environment: [(name: String, meaning: String)] = [
        ("RUNBOOK_DIR", "the runbooks folder, when --dir is not given (default ./runbooks)."),
        ("RUNBOOK_STATE_DIR", "where runs are kept, when --state-dir is not given."),
        ("XDG_STATE_HOME", "runs are kept in $XDG_STATE_HOME/runbook when neither is set (default ~/.local/state/runbook)."),
        ("RUNBOOK_OPERATOR", "who is recorded with each event (default $USER)."),
        ("NO_COLOR", "no colours when set."),
        ("PATH", "where the curl that runs http checks is found."),
        ("NAME", "the value of the runbook variable NAME, after --var NAME=VALUE and before a value recorded in the run, its default, or a question."),
    ]

    public static let overview: String = {
        var lines = ["runbook: \(tagline).", "", "Usage: \(synopsis)", "", "Commands:"]
        for entry in entries {
            lines.append("  " + column(entry.synopsis, width: 36) + entry.summary)
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
            "At the prompt of a walk: done, skip REASON, back, note TEXT, check, quit, help.",
            "Exit status: " + exitStatuses.map { "\($0.code) \($0.meaning)" }.joined(separator: ", ") + ".",
        ]
        return lines.joined(separator: "\n")
    }()

    /// `text` padded to `width`, or followed by three spaces when it is longer.
    private static func column(_ text: String, width: Int) -> String {
        text.count < width ? text + String(repeating: " ", count: width - text.count) : text + "   "
    }

    public static func usage(of command: String) -> String {
        guard command != "help", let entry = (entries + hiddenEntries).first(where: { $0.name == command }) else { return overview }
        return "Usage: runbook \(entry.usage ?? entry.synopsis)\n\n\(entry.detail)"
    }
}
