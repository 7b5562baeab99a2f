import RunbookModel
import RunbookRun
import RunbookSupport

/// Parsing the command line by hand into an `Invocation`: a pure function, tested with tables.
///
/// The generic part lives here (global options, `--help`, flags and their values); each command's
/// `init(_:)` reads its own arguments from the `ParsedArguments` this builds.
extension Invocation {
    /// The command names, in help order; hidden ones (for scripts) are parsed but never suggested.
    public static var commands: [String] { CommandTable.visibleNames }
    static let globalFlags: [String: Bool] = ["--dir": true, "--state-dir": true, "--no-color": false]

    /// Parses the arguments after the program name.
    public static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var options = GlobalOptions()
        var command: (any RunbookCommand.Type)?
        var positionals: [String] = []
        var values: [String: [String]] = [:]
        var index = 0
        var onlyPositionals = false
        var name: String? { command?.configuration.name }

        func value(for flag: String, inline: String?) throws(UsageError) -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw UsageError("\(flag) needs a value", command: name) }
            return arguments[index]
        }

        while index < arguments.count {
            let argument = arguments[index]
            defer { index += 1 }
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                if command == nil {
                    guard let named = CommandTable.named(argument) else {
                        let hint = Suggestion.closest(to: argument, in: commands).map { " Did you mean `\($0)`?" } ?? ""
                        throw UsageError("unknown command `\(argument)`.\(hint)")
                    }
                    command = named
                } else {
                    positionals.append(argument)
                }
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            if argument == "--help" || argument == "-h" {
                return Invocation(options: options, command: HelpCommand(topic: name))
            }
            if argument == "--version" { return Invocation(options: options, command: VersionCommand()) }
            // `--dir=` holds an empty value; it never takes the next argument as its value.
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let flag = parts[0]
            let inline = parts.count == 2 ? parts[1] : nil
            if let takesValue = globalFlags[flag] {
                switch flag {
                case "--dir", "--state-dir":
                    let folder = try value(for: flag, inline: inline)
                    // An empty folder name would become "" + "/runs", the root's runs folder.
                    guard !folder.isEmpty else { throw UsageError("\(flag) needs a folder, not an empty value", command: name) }
                    if flag == "--dir" { options.runbooksFolder = folder } else { options.stateFolder = folder }
                default:
                    if inline != nil || takesValue { throw UsageError("\(flag) takes no value", command: name) }
                    options.noColor = true
                }
                continue
            }
            guard let declared = command?.configuration.flag(flag) else {
                let known = (command?.configuration.flags.map(\.name) ?? []) + Array(globalFlags.keys) + ["--help", "--version"]
                let hint = Suggestion.closest(to: flag, in: known).map { " Did you mean \($0)?" } ?? ""
                let scope = name.map { " for `\($0)`" } ?? ""
                throw UsageError("unknown option \(flag)\(scope).\(hint)", command: name)
            }
            if declared.takesValue {
                values[flag, default: []].append(try value(for: flag, inline: inline))
            } else {
                if inline != nil { throw UsageError("\(flag) takes no value", command: name) }
                values[flag, default: []].append("")
            }
        }

        guard let command else { return Invocation(options: options, command: HelpCommand(topic: nil)) }
        let parsed = ParsedArguments(command: command.configuration.name, positionals: positionals, values: values)
        return Invocation(options: options, command: try command.init(parsed))
    }
}
