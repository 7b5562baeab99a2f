import RunbookModel
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension RunStore {
    /// The default name of a run: `RUNBOOKID-YYYYMMDD-HHMMSS` (UTC), with `-2`, `-3`, … when `taken`.
    public static func defaultName(runbook id: String, at date: Date, taken: (String) -> Bool) -> String {
        let stamp = String(EventRecord.stamp(date).prefix(19).filter { $0 != "-" && $0 != ":" })
            .replacingEvery("T", with: "-")
        var candidate = "\(id)-\(stamp)"
        var suffix = 2
        while taken(candidate) && suffix < 100 {
            candidate = "\(id)-\(stamp)-\(suffix)"
            suffix += 1
        }
        return candidate
    }

    /// The unfinished runs among `runs`, the most recently active first.
    public static func unfinished(_ runs: [RunState]) -> [RunState] {
        runs.filter { $0.status == .active }.sorted { $0.lastEventAt > $1.lastEventAt }
    }

    /// Which run `resume` without a name takes.
    public enum Latest: Equatable {
        case none
        /// The most recently active unfinished run, and how many were unfinished.
        case run(RunState, among: Int)
        /// Several unfinished runs were last active at the same moment: the operator must name one.
        case tie([RunState])
    }

    /// The unfinished run whose last event is the most recent.
    public static func latestUnfinished(_ runs: [RunState]) -> Latest {
        let unfinished = unfinished(runs)
        guard let latest = unfinished.first else { return .none }
        if unfinished.count > 1, unfinished[1].lastEventAt == latest.lastEventAt { return .tie(unfinished) }
        return .run(latest, among: unfinished.count)
    }
}
