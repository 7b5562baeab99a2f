import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookRun

/// Backward jumps (SPEC 8), as scripts: a loop only when the path passed through the target.
///
/// The runbook is issue 17's `shared`: `a` decides (`ok` → #fixed, `bad` → #b); `fixed`, a shared
/// close-out placed early, ends the run; `b` goes on to `c`, which jumps back to `fixed`.
final class RunJumpTests: XCTestCase {
    private static func at(_ n: Double) -> Date { Date(timeIntervalSince1970: 1_800_000_000 + n) }

    private static func record(_ event: RunEvent, _ n: Double) -> EventRecord {
        EventRecord(event, at: at(n), timeZone: "UTC", operatorName: "dana", host: "laptop-7")
    }

    static let shared = RunStart(run: "s", runbook: "shared", path: "rb/shared.md", title: "Shared", runbookDigest: "r1", steps: [
        StepRecord(id: "a", title: "Look", place: "here", digest: "d1",
                   options: [OptionRecord(key: "ok", target: "fixed"), OptionRecord(key: "bad", target: "b")]),
        StepRecord(id: "fixed", title: "Fixed", place: "here", digest: "d2", next: "end"),
        StepRecord(id: "b", title: "One", place: "here", digest: "d3"),
        StepRecord(id: "c", title: "Two", place: "here", digest: "d4", next: "fixed"),
    ])

    private func send(_ state: inout RunState, _ event: RunEvent, _ n: Double, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNoThrow(try state.apply(Self.record(event, n)), file: file, line: line)
    }

    private func walkToC() throws -> RunState {
        var state = try RunState(starting: Self.record(.runStarted(Self.shared), 0))
        send(&state, .choiceMade(step: "a", option: "bad", target: "b", skipReason: nil), 10)
        XCTAssertEqual(state.steps.map(\.status), [.done, .bypassed, .pending, .pending])
        send(&state, .stepCompleted(step: "b"), 20)
        return state
    }

    func testABackwardJumpToAStepThePathNeverPassedThroughUndoesNothingWalked() throws {
        var state = try walkToC()
        send(&state, .stepCompleted(step: "c"), 30)
        XCTAssertEqual(state.steps.map(\.status), [.done, .pending, .done, .done], "fixed is back on the path; b and c stay done")
        XCTAssertEqual(state.steps.map(\.bypassedBy), [nil, nil, nil, nil])
        XCTAssertEqual(state.path, ["a", "b", "c"])
        XCTAssertEqual(state.current?.id, "fixed")
        XCTAssertEqual(state.position, "step 2 of 4")
        XCTAssertEqual(state.progress.done, 3)
        XCTAssertEqual(state.progress.left, 1)
        XCTAssertEqual(state.passes(of: "b"), 1)
        XCTAssertEqual(state.passes(of: "fixed"), 0, "a first pass")

        send(&state, .stepCompleted(step: "fixed"), 40)
        XCTAssertEqual(state.steps.map(\.status), [.done, .done, .done, .done])
        XCTAssertNil(state.current)
        send(&state, .runCompleted, 41)
        XCTAssertEqual(state.status, .completed)
        XCTAssertEqual([state.doneCount, state.skippedCount, state.bypassedCount], [4, 0, 0])
        XCTAssertTrue(RunReport.markdown(state).contains("- Steps: 4 done, 0 skipped, 0 pending\n"), RunReport.markdown(state))
    }

    func testBackAfterAPlainJumpBypassesItsTargetAgain() throws {
        var state = try walkToC()
        send(&state, .stepCompleted(step: "c"), 30)
        send(&state, .stepReopened(step: "c"), 35)
        XCTAssertEqual(state.steps.map(\.status), [.done, .bypassed, .done, .pending])
        XCTAssertEqual(state.steps[1].bypassedBy, "a", "bypassed again by the choice that had bypassed it")
        XCTAssertEqual(state.current?.id, "c")
        XCTAssertEqual(state.path, ["a", "b"])
        send(&state, .stepCompleted(step: "c"), 40)
        XCTAssertEqual(state.current?.id, "fixed")
    }

    func testABackwardJumpToAStepThePathPassedThroughIsARetryLoop() throws {
        // `c` jumps back to `b`, which the path passed through: b and c are walked again.
        var start = Self.shared
        start.steps[3].next = "b"
        var state = try RunState(starting: Self.record(.runStarted(start), 0))
        send(&state, .choiceMade(step: "a", option: "bad", target: "b", skipReason: nil), 10)
        send(&state, .stepCompleted(step: "b"), 20)
        send(&state, .stepCompleted(step: "c"), 30)
        XCTAssertEqual(state.steps.map(\.status), [.done, .bypassed, .pending, .pending])
        XCTAssertEqual(state.path, ["a"])
        XCTAssertEqual(state.current?.id, "b")
        XCTAssertEqual(state.passes(of: "b"), 1, "the second pass says so")
        XCTAssertEqual(state.passes(of: "c"), 1)
    }
}
