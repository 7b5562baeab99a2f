import RunbookSupport
/// A section of background before the first step or after the last (Meaning, Impact, See also…):
/// an H2 with no `Where:`, no block and no `Expect:`. `show` prints it; the walk shows it at `about`.
public struct ContextSection: Hashable, Sendable {
    public var id: String
    public var title: String
    public var location: SourceLocation
    /// The prose, line by line, blank lines kept as paragraph breaks.
    public var prose: [String]
    /// True for a section after the last step (See also…), false before the first.
    public var isAfterSteps: Bool

    public init(id: String, title: String, location: SourceLocation, prose: [String], isAfterSteps: Bool) {
        self.id = id
        self.title = title
        self.location = location
        self.prose = prose
        self.isAfterSteps = isAfterSteps
    }

    /// A step's section reads as context when it holds nothing a step does: no Where, no block, no Expect,
    /// no decision, jump, wait or capture.
    static func fits(_ step: Step) -> Bool {
        step.wheres.isEmpty && step.actions.isEmpty && step.checks.isEmpty && step.outputs.isEmpty
            && step.expects.isEmpty && step.choices.isEmpty && step.nexts.isEmpty
            && step.captures.isEmpty && step.malformedCaptures.isEmpty
    }

    /// Moves the context sections at either end of `runbook.steps` to `runbook.context`.
    static func separate(_ runbook: inout Runbook) {
        let leading = runbook.steps.prefix(while: fits).count
        let trailing = leading == runbook.steps.count ? 0 : runbook.steps.reversed().prefix(while: fits).count
        func section(_ step: Step, after: Bool) -> ContextSection {
            ContextSection(id: step.id, title: step.title, location: step.location, prose: step.prose, isAfterSteps: after)
        }
        runbook.context = runbook.steps.prefix(leading).map { section($0, after: false) }
            + runbook.steps.suffix(trailing).map { section($0, after: true) }
        runbook.steps = Array(runbook.steps.dropFirst(leading).dropLast(trailing))
    }
}
