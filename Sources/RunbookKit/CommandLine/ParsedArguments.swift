import RunbookModel
import RunbookRun
import RunbookSupport

/// A command's arguments and flags as the parser split them, with the readers commands share.
///
/// Only flags the command declares reach it; each reader throws a `UsageError` naming the command.
public struct ParsedArguments: Sendable {
    public var command: String
    public var positionals: [String]
    /// Each flag given, with its values in order (an empty string for a flag without a value).
    public var values: [String: [String]]

    public init(command: String, positionals: [String] = [], values: [String: [String]] = [:]) {
        self.command = command
        self.positionals = positionals
        self.values = values
    }

    public func error(_ message: String) -> UsageError { UsageError(message, command: command) }

    public func has(_ flag: String) -> Bool { values[flag] != nil }

    /// The value of a flag given at most once.
    public func single(_ flag: String) throws(UsageError) -> String? {
        guard let given = values[flag] else { return nil }
        guard given.count == 1 else { throw error("\(flag) is given more than once") }
        return given[0]
    }

    /// The positional arguments, `names` of them, the last `optional` of which may be missing.
    public func operands(_ names: [String], optional: Int = 0) throws(UsageError) -> [String] {
        if positionals.count > names.count {
            throw error("unexpected argument `\(positionals[names.count])` for `\(command)`")
        }
        if positionals.count < names.count - optional {
            throw error("`\(command)` needs \(names[positionals.count])")
        }
        return positionals
    }

    /// A run name given as an operand: checked, so it can never leave the runs folder.
    public func run(optional: Bool = false) throws(UsageError) -> String? {
        guard let run = try operands(["RUN"], optional: optional ? 1 : 0).first else { return nil }
        // A fork is named RUN~SUFFIX (SPEC 9).
        if let tilde = run.firstIndex(of: "~"), RunState.isValidRunName(String(run[run.index(after: tilde)...])) {
            _ = try runName(String(run[..<tilde]))
            return run
        }
        return try runName(run)
    }

    /// `run`, when it is a valid run name.
    public func runName(_ run: String) throws(UsageError) -> String {
        guard RunState.isValidRunName(run) else {
            throw error("`\(run)` is not a run name: use letters, digits, `.`, `_` and `-`, starting with a letter or digit")
        }
        return run
    }

    /// The `--var NAME=VALUE` values, in order.
    public func assignments() throws(UsageError) -> [VariableAssignment] {
        var assignments: [VariableAssignment] = []
        for given in values["--var"] ?? [] {
            let parts = given.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            // The value is never repeated: it may be a secret, typed into the wrong place.
            guard parts.count == 2 else { throw error("--var takes NAME=VALUE, and the value given has no `=`") }
            guard Variable.isValidName(parts[0]) else {
                throw error("--var takes NAME=VALUE with NAME in [A-Z_][A-Z0-9_]*, not `\(parts[0])`")
            }
            assignments.append(VariableAssignment(name: parts[0], value: parts[1]))
        }
        return assignments
    }

    /// `--check-timeout SECONDS`: each check's time limit, 10 when not given.
    public func checkTimeout() throws(UsageError) -> Double {
        guard let timeout = try single("--check-timeout") else { return 10 }
        guard let seconds = Double(timeout), seconds >= 1, seconds <= 3600 else {
            throw error("--check-timeout takes a number of seconds from 1 to 3600, not `\(timeout)`")
        }
        return seconds
    }

    /// A value of `--format` (or `fallback`) that names a case of `Format`.
    public func format<Format: RawRepresentable & CaseIterable>(_ fallback: Format) throws(UsageError) -> Format
    where Format.RawValue == String {
        let name = try single("--format") ?? fallback.rawValue
        guard let format = Format(rawValue: name) else {
            let names = Format.allCases.map(\.rawValue)
            throw error("--format takes \(names.dropLast().joined(separator: ", ")) or \(names.last ?? ""), not `\(name)`")
        }
        return format
    }
}
