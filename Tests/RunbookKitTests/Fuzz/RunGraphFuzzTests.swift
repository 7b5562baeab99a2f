import Foundation
import XCTest
@testable import RunbookRun

/// Seeded random decision graphs with loops, walked at random through the reducer, the walk cut at a
/// random point (a kill) and resumed with the same steps (issue 13).
///
/// Invariants: every event the walk sends applies; the tally (counts, current step, passes) equals
/// one worked out from scratch after every event; a resume after any cut lands on the same current
/// step with the same statuses, choices, path and visits.
final class RunGraphFuzzTests: XCTestCase {
    private static func record(_ event: RunEvent, _ n: Int) -> EventRecord {
        EventRecord(event, at: Date(timeIntervalSince1970: 1_800_000_000 + Double(n)))
    }

    /// Steps that decide (two or three options), jump (`Next:`) or go on in file order; targets anywhere, `end` too.
    private func graph(_ random: inout SeededRandom) -> [StepRecord] {
        let count = 2 + random.below(FuzzSettings.isLong ? 30 : 12)
        let ids = (0..<count).map { "s\($0)" }
        func target() -> String { random.oneIn(6) ? "end" : random.pick(ids) }
        return ids.map { id in
            switch random.below(3) {
            case 0:
                let keys = ["a", "b", "c"].prefix(2 + random.below(2))
                return StepRecord(id: id, title: id, place: "here", digest: "d", options: keys.map { OptionRecord(key: $0, target: target()) })
            case 1: return StepRecord(id: id, title: id, place: "here", digest: "d", next: target())
            default: return StepRecord(id: id, title: id, place: "here", digest: "d")
            }
        }
    }

    /// A random legal walk: done, skip, a choice, back, a note, a pause and resume; ends when the run does.
    private func walk(_ steps: [StepRecord], _ random: inout SeededRandom) throws -> [EventRecord] {
        let start = RunStart(run: "fuzz", runbook: "fuzz", path: "fuzz.md", title: "Fuzz", runbookDigest: "r", steps: steps)
        var records = [Self.record(.runStarted(start), 0)]
        var state = try RunState(starting: records[0])
        for n in 1...(FuzzSettings.isLong ? 400 : 80) {
            let event: RunEvent
            if let step = state.current {
                switch random.below(10) {
                case 0 where state.previousIndex != nil: event = .stepReopened(step: state.steps[state.previousIndex!].id)
                case 1: event = .noteAdded(step: step.id, text: "n\(n)")
                case 2: event = .runPaused(reason: .quit)
                case 3 where state.pausedBy != nil: event = .runResumed(runbookDigest: "r", steps: steps)
                default:
                    let skip = random.oneIn(4) ? "r\(n)" : nil
                    if let option = step.isDecision ? random.pick(step.options) : nil {
                        event = .choiceMade(step: step.id, option: option.key, target: option.target, skipReason: skip,
                                            verdict: random.pick([nil, .passed, .failed]))
                    } else {
                        event = skip.map { .stepSkipped(step: step.id, reason: $0) } ?? .stepCompleted(step: step.id)
                    }
                }
            } else {
                event = .runCompleted
            }
            let record = Self.record(event, n)
            try state.apply(record)
            records.append(record)
            try checkTally(state)
            if state.status != .active { break }
        }
        return records
    }

    private func checkTally(_ state: RunState) throws {
        var fresh = state
        fresh.recount()
        func nonZero<K>(_ counts: [K: Int]) -> [K: Int] { counts.filter { $0.value != 0 } }
        guard nonZero(fresh.tally.count) == nonZero(state.tally.count), fresh.tally.current == state.tally.current,
              nonZero(fresh.tally.passes) == nonZero(state.tally.passes) else {
            throw IllegalEvent("the tally drifted: \(state.tally) against \(fresh.tally)")
        }
    }

    func testRandomWalksThroughLoopsResumeWhereTheyWereAfterAKill() throws {
        var walked = 0
        for index in FuzzSettings.cases {
            var random = SeededRandom(seed: FuzzSettings.seed &+ UInt64(index) &* 7919)
            let steps = graph(&random)
            let records: [EventRecord]
            do {
                records = try walk(steps, &random)
            } catch {
                return XCTFail("case \(index) (RUNBOOK_FUZZ_CASE=\(index)): \(error)\n\(steps)")
            }
            walked += records.count
            for _ in 0..<3 {
                let cut = 1 + random.below(records.count)
                var killed = try RunState.replay(Array(records.prefix(cut)))
                guard killed.status == .active else { continue }
                let before = killed
                try killed.apply(Self.record(.runResumed(runbookDigest: "r", steps: steps), 10_000))
                try checkTally(killed)
                XCTAssertEqual(killed.current?.id, before.current?.id, "case \(index), cut at \(cut): the resume moved the walk")
                // Where each step stands; which of two walked jumps over a step is named as bypassing it may differ.
                XCTAssertEqual(killed.steps.map(\.status), before.steps.map(\.status), "case \(index), cut at \(cut)")
                XCTAssertEqual(killed.steps.map(\.choice), before.steps.map(\.choice), "case \(index), cut at \(cut)")
                XCTAssertEqual(killed.path, before.path, "case \(index), cut at \(cut)")
                XCTAssertEqual(killed.visits, before.visits, "case \(index), cut at \(cut): every visit kept")
            }
        }
        XCTAssertGreaterThan(walked, FuzzSettings.cases.count)
    }
}
