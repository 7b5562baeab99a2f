import RunbookModel
import RunbookRun
import RunbookSupport

/// `runbook lint [PATH...]`: runbooks checked against the house rules.
public struct LintCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "lint", synopsis: "[PATH...] [--strict] [--json]", summary: "check runbooks against the house rules",
        details: "Checks runbooks (default: the runbooks folder) against the house rules. A PATH is a file, a folder or a runbook id. Prints PATH:LINE:COL: error|warning: MESSAGE [RULE]. Exits 1 on an error, or on a warning with --strict.",
        flags: [.init("--strict"), .init("--json")], operands: .runbooksOrFiles)

    public var paths: [String]
    public var strict: Bool
    public var json: Bool

    public init(paths: [String] = [], strict: Bool = false, json: Bool = false) {
        self.paths = paths
        self.strict = strict
        self.json = json
    }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        self.init(paths: arguments.positionals, strict: arguments.has("--strict"), json: arguments.has("--json"))
    }

    public func run(in context: CommandContext) throws -> Int32 {
        let result = try Linter().lint(paths: paths, folder: context.folders.runbooks)
        context.out(json ? LintReport.json(result.diagnostics)
                         : LintReport.text(result.diagnostics, files: result.files, style: context.style))
        return result.failed(strict: strict) ? 1 : 0
    }
}
