/// The text of `runbook help` and `runbook help COMMAND`.
public enum HelpText {
    public static let version = "runbook 0.2.0"

    public static let overview = """
    runbook: walk an operator through a runbook one step at a time, and keep every acknowledged step.

    Usage: runbook [--dir DIR] [--state-dir DIR] [--no-color] COMMAND

    Commands:
      list [--json]                       the runbooks: id, title, step count, tags
      show RUNBOOK [--json]               the whole runbook, read-only
      lint [PATH...] [--strict] [--json]  check runbooks against the house rules
      start RUNBOOK [--run NAME] [--var NAME=VALUE]...   begin a run and walk it
      resume [RUN] [--var NAME=VALUE]... walk the latest unfinished run, or RUN
      status [RUN] [--json]               where unfinished runs (or RUN) stand
      runs [--all] [--json]               runs: unfinished ones, or all
      report RUN [--format markdown|json] a run's timeline, for handover and postmortems
      abandon RUN --reason TEXT           end a run without finishing it
      verify RUN                          check a run's log: hash chain intact, events legal
      new ID                              write a runbook skeleton that passes lint
      help [COMMAND]                      this text, or one command's

    Options:
      --dir DIR        runbooks folder (default: $RUNBOOK_DIR, else ./runbooks)
      --state-dir DIR  where runs are kept (default: $RUNBOOK_STATE_DIR, else $XDG_STATE_HOME/runbook,
                       else ~/.local/state/runbook)
      --no-color       no colours (also when NO_COLOR is set or output is not a terminal)
      --check-timeout SECONDS   with start and resume: each check's time limit (default 10)
      --var NAME=VALUE with start and resume: a variable's value (first in line; checked against its Format:)
      --help, --version

    At the prompt of a walk: done, skip REASON, back, note TEXT, check, set NAME, quit, help.
    Exit status: 0 done, 1 failure, 3 paused (quit or end of input), 64 usage error, 130 interrupted.
    """

    public static func usage(of command: String) -> String {
        switch command {
        case "list": return "Usage: runbook list [--json]\n\nLists the runbooks of the runbooks folder: id, title, step count and tags; a * marks runbooks with unfinished runs."
        case "show": return "Usage: runbook show RUNBOOK [--json]\n\nPrints the whole runbook for reading: guardrails, variables, then every step with where to run it. RUNBOOK is an id or a path to a .md file."
        case "lint": return "Usage: runbook lint [PATH...] [--strict] [--json]\n\nChecks runbooks (default: the runbooks folder) against the house rules. Prints PATH:LINE:COL: error|warning: MESSAGE [RULE]. Exits 1 on an error, or on a warning with --strict."
        case "start": return "Usage: runbook start RUNBOOK [--run NAME] [--var NAME=VALUE]... [--check-timeout SECONDS]\n\nBegins a run of RUNBOOK and walks it one step at a time. The default run name is RUNBOOK-YYYYMMDD-HHMMSS (UTC)."
        case "resume": return "Usage: runbook resume [RUN] [--var NAME=VALUE]... [--check-timeout SECONDS]\n\nWalks RUN, or the most recently active unfinished run, from its first pending step. --var gives a variable's value for this walk (another machine may need another base URL); it is recorded unless the variable is secret."
        case "status": return "Usage: runbook status [RUN] [--json]\n\nShows where unfinished runs (or RUN) stand: the current step and where to run it."
        case "runs": return "Usage: runbook runs [--all] [--json]\n\nLists unfinished runs, or all runs with --all."
        case "report": return "Usage: runbook report RUN [--format markdown|json]\n\nPrints a run's timeline: each step with where, who, when, how long, notes and skip reasons."
        case "abandon": return "Usage: runbook abandon RUN --reason TEXT\n\nEnds a run without finishing it; the reason is kept in its log."
        case "verify": return "Usage: runbook verify RUN\n\nChecks a run's log: every line readable, the hash chain intact, every event legal."
        case "new": return "Usage: runbook new ID\n\nWrites runbooks/ID.md, a skeleton that passes `runbook lint --strict`. Never overwrites."
        default: return overview
        }
    }
}
