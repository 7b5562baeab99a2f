import RunbookModel
import RunbookSupport
/// How a runbook's steps changed since a run recorded them, matched by id.
public struct RunbookChanges: Hashable, Sendable {
    public var added: [StepRecord] = []
    public var removed: [StepRecord] = []
    /// Same id, other content digest.
    public var changed: [StepRecord] = []
    /// True when the same steps stand in another order.
    public var reordered = false

    public init(from old: [StepRecord], to new: [StepRecord]) {
        let oldByID = Dictionary(old.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let newIDs = Set(new.map(\.id))
        added = new.filter { oldByID[$0.id] == nil }
        removed = old.filter { !newIDs.contains($0.id) }
        changed = new.filter { step in oldByID[step.id].map { $0.digest != step.digest } ?? false }
        let kept = new.map(\.id).filter { oldByID[$0] != nil }
        reordered = kept != old.map(\.id).filter(newIDs.contains)
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty && !reordered }

    /// One line per kind of change, for the operator.
    public var lines: [String] {
        func names(_ steps: [StepRecord]) -> String { steps.map { "\($0.id) (\($0.title))" }.joined(separator: ", ") }
        var lines: [String] = []
        if !added.isEmpty { lines.append("  added: " + names(added)) }
        if !removed.isEmpty { lines.append("  removed: " + names(removed)) }
        if !changed.isEmpty { lines.append("  changed: " + names(changed)) }
        if reordered { lines.append("  reordered: the steps stand in another order") }
        return lines
    }
}

extension RunbookChanges {
    /// A choice the run made that the runbook no longer offers: the option, or where it leads, is gone.
    public struct LostChoice: Hashable, Sendable {
        public var step: String
        public var option: String
        public var target: String
    }

    /// The choices that stand in `state` and that `records` (the runbook now) no longer offer as made.
    public static func lostChoices(in state: RunState, to records: [StepRecord]) -> [LostChoice] {
        let now = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return state.steps.compactMap { step in
            guard let choice = step.choice, let record = now[step.id],
                  !(record.options ?? []).contains(choice) else { return nil }
            return LostChoice(step: step.id, option: choice.key, target: choice.target)
        }
    }
}
