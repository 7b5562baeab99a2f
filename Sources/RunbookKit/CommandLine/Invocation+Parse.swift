import RunbookModel
import RunbookRun
import RunbookSupport
/// Parsing the command line by hand into an `Invocation`: a pure function, tested with tables.
extension Invocation {
    /// The command names, in help order; hidden ones (for scripts) are parsed but never suggested.
    public static let commands = CommandName.allCases.filter { !$0.isHidden }.map(\.rawValue)
    static let globalFlags: [String: Bool] = ["--dir": true, "--state-dir": true, "--no-color": false]

    /// Parses the arguments after the program name.
    public static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var options = GlobalOptions()
        var commandName: CommandName?
        var positionals: [String] = []
        var values: [String: [String]] = [:]
        var index = 0
        var onlyPositionals = false

        func value(for flag: String, inline: String?) throws(UsageError) -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw UsageError("\(flag) needs a value", command: commandName?.rawValue) }
            return arguments[index]
        }

        while index < arguments.count {
            let argument = arguments[index]
            defer { index += 1 }
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                if commandName == nil {
                    guard let named = CommandName(rawValue: argument) else {
                        let hint = Suggestion.closest(to: argument, in: commands).map { " Did you mean `\($0)`?" } ?? ""
                        throw UsageError("unknown command `\(argument)`.\(hint)")
                    }
                    commandName = named
                } else {
                    positionals.append(argument)
                }
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            if argument == "--help" || argument == "-h" {
                return Invocation(options: options, command: .help(command: commandName))
            }
            if argument == "--version" { return Invocation(options: options, command: .version) }
            // `--dir=` holds an empty value; it never takes the next argument as its value.
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let flag = parts[0]
            let inline = parts.count == 2 ? parts[1] : nil
            if let takesValue = globalFlags[flag] {
                switch flag {
                case "--dir", "--state-dir":
                    let folder = try value(for: flag, inline: inline)
                    // An empty folder name would become "" + "/runs", the root's runs folder.
                    guard !folder.isEmpty else { throw UsageError("\(flag) needs a folder, not an empty value", command: commandName?.rawValue) }
                    if flag == "--dir" { options.runbooksFolder = folder } else { options.stateFolder = folder }
                default:
                    if inline != nil || takesValue { throw UsageError("\(flag) takes no value", command: commandName?.rawValue) }
                    options.noColor = true
                }
                continue
            }
            let allowed = commandName?.flags ?? [:]
            guard let takesValue = allowed[flag] else {
                let known = Array(allowed.keys) + Array(globalFlags.keys) + ["--help", "--version"]
                let hint = Suggestion.closest(to: flag, in: known).map { " Did you mean \($0)?" } ?? ""
                let scope = commandName.map { " for `\($0.rawValue)`" } ?? ""
                throw UsageError("unknown option \(flag)\(scope).\(hint)", command: commandName?.rawValue)
            }
            if takesValue {
                values[flag, default: []].append(try value(for: flag, inline: inline))
            } else {
                if inline != nil { throw UsageError("\(flag) takes no value", command: commandName?.rawValue) }
                values[flag, default: []].append("")
            }
        }

        guard let name = commandName else {
            return Invocation(options: options, command: .help(command: nil))
        }
        let command = try build(name, positionals: positionals, values: values, options: &options)
        return Invocation(options: options, command: command)
    }

    private static func build(_ command: CommandName, positionals: [String], values: [String: [String]],
                              options: inout GlobalOptions) throws(UsageError) -> Command {
        let name = command.rawValue
        func has(_ flag: String) -> Bool { values[flag] != nil }
        func single(_ flag: String) throws(UsageError) -> String? {
            guard let given = values[flag] else { return nil }
            guard given.count == 1 else { throw UsageError("\(flag) is given more than once", command: name) }
            return given[0]
        }
        func arguments(_ names: [String], optional: Int = 0) throws(UsageError) -> [String] {
            if positionals.count > names.count {
                throw UsageError("unexpected argument `\(positionals[names.count])` for `\(name)`", command: name)
            }
            if positionals.count < names.count - optional {
                throw UsageError("`\(name)` needs \(names[positionals.count])", command: name)
            }
            return positionals
        }
        func assignments() throws(UsageError) -> [VariableAssignment] {
            var assignments: [VariableAssignment] = []
            for given in values["--var"] ?? [] {
                let parts = given.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, Variable.isValidName(parts[0]) else {
                    throw UsageError("--var takes NAME=VALUE with NAME in [A-Z_][A-Z0-9_]*, not `\(given)`", command: name)
                }
                assignments.append(VariableAssignment(name: parts[0], value: parts[1]))
            }
            return assignments
        }
        if let timeout = try single("--check-timeout") {
            guard let seconds = Double(timeout), seconds > 0, seconds <= 3600 else {
                throw UsageError("--check-timeout takes a number of seconds from 1 to 3600, not `\(timeout)`", command: name)
            }
            options.checkTimeout = seconds
        }
        switch command {
        case .list:
            _ = try arguments([])
            return .list(json: has("--json"))
        case .show:
            let runbook = try arguments(["RUNBOOK"])[0]
            let formatName = try single("--format") ?? (has("--json") ? "json" : "text")
            guard let format = ShowFormat(rawValue: formatName) else {
                throw UsageError("--format takes text, json or mermaid, not `\(formatName)`", command: name)
            }
            if has("--json") && format != .json {
                throw UsageError("--json means --format json: give one of them", command: name)
            }
            return .show(runbook: runbook, format: format)
        case .lint:
            return .lint(paths: positionals, strict: has("--strict"), json: has("--json"))
        case .start:
            let runbook = try arguments(["RUNBOOK"])[0]
            let run = try single("--run")
            if let run { try validateRun(run, command: name) }
            return .start(runbook: runbook, run: run, variables: try assignments())
        case .resume:
            let run = try arguments(["RUN"], optional: 1).first
            if let run { try validateRun(run, command: name) }
            return .resume(run: run, variables: try assignments())
        case .status:
            let run = try arguments(["RUN"], optional: 1).first
            if let run { try validateRun(run, command: name) }
            return .status(run: run, json: has("--json"))
        case .runs:
            _ = try arguments([])
            return .runs(all: has("--all"), json: has("--json"))
        case .report:
            let run = try arguments(["RUN"], optional: 1).first
            if let run { try validateRun(run, command: name) }
            let formatName = try single("--format") ?? "markdown"
            guard let format = ReportFormat(rawValue: formatName) else {
                throw UsageError("--format takes markdown, json or mermaid, not `\(formatName)`", command: name)
            }
            return .report(run: run, format: format)
        case .abandon:
            let run = try arguments(["RUN"])[0]
            try validateRun(run, command: name)
            guard let reason = try single("--reason"), !reason.trimmed.isEmpty else {
                throw UsageError("`abandon` needs --reason TEXT: say why the run ends unfinished", command: name)
            }
            return .abandon(run: run, reason: reason.trimmed)
        case .verify:
            let run = try arguments(["RUN"])[0]
            try validateRun(run, command: name)
            return .verify(run: run)
        case .new:
            let id = try arguments(["ID"])[0]
            guard Runbook.isValidID(id) else {
                throw UsageError("`\(id)` is not a runbook id: use lowercase letters, digits and dashes, e.g. smt-token-rotation", command: name)
            }
            return .new(id: id)
        case .completions:
            let shell = try arguments(["SHELL (bash, zsh or fish)"])[0]
            guard let known = Shell(rawValue: shell) else {
                throw UsageError("completions takes bash, zsh or fish, not `\(shell)`", command: name)
            }
            return .completions(shell: known)
        case .complete:
            let list = try arguments(["a list (runbooks, runs or unfinished-runs)"])[0]
            guard let known = CompletionList(rawValue: list) else {
                throw UsageError("__complete lists runbooks, runs or unfinished-runs, not `\(list)`", command: nil)
            }
            return .complete(known)
        case .man:
            _ = try arguments([])
            return .manPage
        case .help:
            guard let topic = try arguments(["COMMAND"], optional: 1).first else { return .help(command: nil) }
            guard let named = CommandName(rawValue: topic) else {
                let hint = Suggestion.closest(to: topic, in: commands).map { " Did you mean `\($0)`?" } ?? ""
                throw UsageError("no help for unknown command `\(topic)`.\(hint)", command: nil)
            }
            return .help(command: named)
        }
    }

    private static func validateRun(_ run: String, command: String) throws(UsageError) {
        guard RunState.isValidRunName(run) else {
            throw UsageError("`\(run)` is not a run name: use letters, digits, `.`, `_` and `-`, starting with a letter or digit", command: command)
        }
    }
}
