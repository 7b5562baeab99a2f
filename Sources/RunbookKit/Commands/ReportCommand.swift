import RunbookModel
import RunbookRun
import RunbookSupport

/// `runbook report [RUN]`: a run's timeline.
public struct ReportCommand: RunbookCommand {
    public enum Format: String, Hashable, Sendable, CaseIterable {
        case markdown
        case json
        /// A Mermaid flowchart of the run's path.
        case mermaid
    }

    public static let configuration = CommandConfiguration(
        name: "report", synopsis: "[RUN] [--format markdown|json|mermaid]", summary: "a run's timeline, for handover and postmortems",
        details: "Prints a run's timeline (RUN, else the most recent run): each step with where, who, when, how long, notes and skip reasons, the path taken (each choice, who made it, when) and the steps bypassed. --format mermaid draws the runbook with the path taken, the current step and the bypassed steps marked.",
        flags: [.init("--format", takesValue: true, values: Format.allCases.map(\.rawValue))], operands: .run, readsRuns: true)

    /// nil: the most recent run.
    public var run: String?
    public var format: Format

    public init(run: String? = nil, format: Format = .markdown) {
        self.run = run
        self.format = format
    }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        run = try arguments.run(optional: true)
        format = try arguments.format(Format.markdown)
    }

    public func run(in context: CommandContext) throws -> Int32 {
        context.fetchRuns()
        var name = run ?? ""
        if run == nil {
            let runs = try context.allRuns(reporting: "warning").runs
            guard let latest = runs.max(by: { ($0.lastEventAt, $0.run) < ($1.lastEventAt, $1.run) }) else {
                return context.fail("no run to report yet; start one with `runbook start RUNBOOK`")
            }
            name = latest.run
        }
        let log = try context.store.log(of: name)
        context.warnTorn(log)
        let broken = context.warnBroken(log, run: name, json: format != .markdown)
        let state = RunSession.hidingSecrets([try log.state()], folder: context.folders.runbooks)[0]
        switch format {
        case .markdown: context.out(RunReport.markdown(state, records: log.records))
        case .json: context.out(RunReport.json(state))
        case .mermaid: context.out(MermaidChart.run(state))
        }
        return broken ? 1 : 0
    }
}
