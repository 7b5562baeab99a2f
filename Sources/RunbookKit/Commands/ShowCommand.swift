import RunbookModel
import RunbookRun
import RunbookSupport

/// `runbook show RUNBOOK`: the whole runbook, read-only.
public struct ShowCommand: RunbookCommand {
    public enum Format: String, Hashable, Sendable, CaseIterable {
        case text
        case json
        /// A Mermaid flowchart of the runbook.
        case mermaid
    }

    public static let configuration = CommandConfiguration(
        name: "show", synopsis: "RUNBOOK [--format text|json|mermaid] [--json]", summary: "the whole runbook, read-only",
        details: "Prints the whole runbook for reading: guardrails, variables, then every step with where to run it, its options and jumps. RUNBOOK is an id or a path to a .md file. --format mermaid prints it as a Mermaid flowchart (GitHub draws it inline); --json is --format json.",
        flags: [.init("--json"), .init("--format", takesValue: true, values: Format.allCases.map(\.rawValue))],
        operands: .runbook)

    public var runbook: String
    public var format: Format

    public init(runbook: String, format: Format = .text) {
        self.runbook = runbook
        self.format = format
    }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        runbook = try arguments.operands(["RUNBOOK"])[0]
        format = try arguments.format(arguments.has("--json") ? Format.json : .text)
        if arguments.has("--json") && format != .json { throw arguments.error("--json means --format json: give one of them") }
    }

    public func run(in context: CommandContext) throws -> Int32 {
        let runbook = try RunbookCatalog.resolve(runbook, folder: context.folders.runbooks)
        switch format {
        case .text: context.out(RunbookViews.show(runbook, style: context.style))
        case .json: context.out(RunbookViews.showJSON(runbook))
        case .mermaid: context.out(MermaidChart.runbook(runbook))
        }
        return 0
    }
}
