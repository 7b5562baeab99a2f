import RunbookModel
import RunbookRun
import RunbookSupport
/// The commands of the CLI: one table that parsing, help and the man page all read.
///
/// Every switch over it is exhaustive, so a command added here cannot be forgotten by any of them.
public enum CommandName: String, CaseIterable, Hashable, Sendable {
    case list, show, lint, start, resume, status, runs, report, abandon, verify, new, completions, help
    /// Hidden: the names a completion script offers (`runbook __complete runbooks`).
    case complete = "__complete"
    /// Hidden: the man page in roff (`runbook __man`).
    case man = "__man"

    /// For scripts: parsed, but in no help, no man page and no suggestion.
    public var isHidden: Bool { self == .complete || self == .man }

    /// The flags it takes besides the global ones; `true` when the flag takes a value.
    public var flags: [String: Bool] {
        switch self {
        case .list: ["--json": false]
        case .show: ["--json": false, "--format": true]
        case .lint: ["--strict": false, "--json": false]
        case .start: ["--run": true, "--var": true, "--check-timeout": true]
        case .resume: ["--var": true, "--check-timeout": true]
        case .status: ["--json": false]
        case .runs: ["--all": false, "--json": false]
        case .report: ["--format": true]
        case .abandon: ["--reason": true]
        case .verify, .new, .completions, .help, .complete, .man: [:]
        }
    }

    /// Its arguments and flags, after the command's name.
    public var synopsis: String {
        switch self {
        case .list: "[--json]"
        case .show: "RUNBOOK [--format text|json|mermaid] [--json]"
        case .lint: "[PATH...] [--strict] [--json]"
        case .start: "RUNBOOK [--run NAME] [--var NAME=VALUE]... [--check-timeout SECONDS]"
        case .resume: "[RUN] [--var NAME=VALUE]... [--check-timeout SECONDS]"
        case .status: "[RUN] [--json]"
        case .runs: "[--all] [--json]"
        case .report: "[RUN] [--format markdown|json|mermaid]"
        case .abandon: "RUN --reason TEXT"
        case .verify: "RUN"
        case .new: "ID"
        case .completions: "bash|zsh|fish"
        case .help: "[COMMAND]"
        case .complete: "runbooks|runs|unfinished-runs"
        case .man: ""
        }
    }

    /// What it does, in a few words, for the overview.
    public var summary: String {
        switch self {
        case .list: "the runbooks: id, title, step count, tags"
        case .show: "the whole runbook, read-only"
        case .lint: "check runbooks against the house rules"
        case .start: "begin a run and walk it"
        case .resume: "walk the latest unfinished run, or RUN"
        case .status: "where unfinished runs (or RUN) stand"
        case .runs: "runs: unfinished ones, or all"
        case .report: "a run's timeline, for handover and postmortems"
        case .abandon: "end a run without finishing it"
        case .verify: "check a run's log: hash chain intact, events legal"
        case .new: "write a runbook skeleton that passes lint"
        case .completions: "a script that completes commands, ids and runs"
        case .help: "this text, or one command's"
        case .complete, .man: ""
        }
    }

    /// What it does, in full, for `runbook help COMMAND`.
    public var details: String {
        switch self {
        case .list: "Lists the runbooks of the runbooks folder: id, title, step count and tags; a * marks runbooks with unfinished runs."
        case .show: "Prints the whole runbook for reading: guardrails, variables, then every step with where to run it, its options and jumps. RUNBOOK is an id or a path to a .md file. --format mermaid prints it as a Mermaid flowchart (GitHub draws it inline); --json is --format json."
        case .lint: "Checks runbooks (default: the runbooks folder) against the house rules. A PATH is a file, a folder or a runbook id. Prints PATH:LINE:COL: error|warning: MESSAGE [RULE]. Exits 1 on an error, or on a warning with --strict."
        case .start: "Begins a run of RUNBOOK and walks it one step at a time. The default run name is RUNBOOK-YYYYMMDD-HHMMSS (UTC). --var gives a variable's value (first in line; checked against its Format:)."
        case .resume: "Walks RUN, or the most recently active unfinished run, from its first pending step. --var gives a variable's value for this walk (another machine may need another base URL); it is recorded unless the variable is secret."
        case .status: "Shows where unfinished runs (or RUN) stand: the current step and where to run it."
        case .runs: "Lists unfinished runs, or all runs with --all."
        case .report: "Prints a run's timeline (RUN, else the most recent run): each step with where, who, when, how long, notes and skip reasons, the path taken (each choice, who made it, when) and the steps bypassed. --format mermaid draws the runbook with the path taken, the current step and the bypassed steps marked."
        case .abandon: "Ends a run without finishing it; the reason is kept in its log."
        case .verify: "Checks a run's log: every line readable, the hash chain intact, every event legal."
        case .new: "Writes runbooks/ID.md, a skeleton that passes `runbook lint --strict`. Never overwrites."
        case .completions: "Prints a completion script for the shell: commands, options, runbook ids (show, start, lint) and run names (resume, status, report, abandon, verify), asked of runbook itself as you type. scripts/install puts them where each shell looks."
        case .help: "Prints the overview of commands and options, or the help of COMMAND."
        case .complete: "For completion scripts: prints runbook ids, run names (newest first) or unfinished runs' names, one a line, and nothing else."
        case .man: "Prints the man page in roff; scripts/manpage writes it to docs/runbook.1."
        }
    }
}
