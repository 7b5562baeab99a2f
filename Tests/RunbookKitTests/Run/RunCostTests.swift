import Foundation
import XCTest
@testable import RunbookRun

/// The reducer's work per event does not grow with the runbook's length (issue 13): counted in steps
/// looked at, never timed.
final class RunCostTests: XCTestCase {
    private static func record(_ event: RunEvent, _ n: Int) -> EventRecord {
        EventRecord(event, at: Date(timeIntervalSince1970: 1_800_000_000 + Double(n)))
    }

    /// A `Next:` chain of `count` steps walked to its end: each step jumps to the next, the last to `#end`.
    private func chainWalk(_ count: Int, next: Bool = true) -> [EventRecord] {
        let steps = (1...count).map { i in
            StepRecord(id: "c\(i)", title: "Step \(i)", place: "here", digest: "d\(i)",
                       next: next ? (i == count ? "end" : "c\(i + 1)") : nil)
        }
        let start = RunStart(run: "chain", runbook: "chain", path: "chain.md", title: "Chain", runbookDigest: "r", steps: steps)
        var records = [Self.record(.runStarted(start), 0)]
        for i in 1...count {
            records.append(Self.record(.noteAdded(step: "c\(i)", text: "on it"), i))
            records.append(Self.record(.checkPassed(step: "c\(i)"), i))
            records.append(Self.record(.stepCompleted(step: "c\(i)"), i))
        }
        records.append(Self.record(.runCompleted, count + 1))
        return records
    }

    func testWalkingANextChainOfTenThousandStepsLooksAtEachStepAFewTimes() throws {
        for count in [1_000, 10_000] {
            var state = try RunState.replay(Array(chainWalk(count).prefix(1)))
            for record in chainWalk(count).dropFirst() {
                try state.apply(record)
                // What a walk asks at every step answers from the tally, not by scanning.
                _ = (state.position, state.progress, state.previousIndex, state.current.map { state.passes(of: $0.id) })
            }
            XCTAssertEqual(state.status, .completed)
            XCTAssertEqual(state.doneCount, count)
            XCTAssertLessThanOrEqual(state.tally.work, 3 * count, "\(count) steps: the work is linear in the steps")
        }
    }

    func testWalkingInFileOrderLooksAtEachStepAFewTimes() throws {
        let state = try RunState.replay(chainWalk(10_000, next: false))
        XCTAssertEqual(state.status, .completed)
        XCTAssertLessThanOrEqual(state.tally.work, 3 * 10_000)
    }
}
