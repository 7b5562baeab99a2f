import Foundation
import XCTest
@testable import RunbookRun

/// A resume lands where the walk was, loops and backward jumps included (SPEC 8, issue 13 item 1):
/// events in, the whole state out, and the same state as the walk had before the pause.
final class RunResumeTests: XCTestCase {
    private static func at(_ n: Double) -> Date { Date(timeIntervalSince1970: 1_800_000_000 + n) }

    private static func record(_ event: RunEvent, _ n: Double) -> EventRecord {
        EventRecord(event, at: at(n), timeZone: "UTC", operatorName: "dana", host: "laptop-7")
    }

    /// Issue 13's `loop`: `a` jumps to `c` (bypassing `b`); `d` decides (`retry` → #b, `fin` → #end).
    static let steps = [
        StepRecord(id: "a", title: "A", place: "here", digest: "d1", next: "c"),
        StepRecord(id: "b", title: "B", place: "here", digest: "d2"),
        StepRecord(id: "c", title: "C", place: "here", digest: "d3"),
        StepRecord(id: "d", title: "D", place: "here", digest: "d4",
                   options: [OptionRecord(key: "retry", target: "b"), OptionRecord(key: "fin", target: "end")]),
    ]
    static let start = RunStart(run: "r", runbook: "loop", path: "rb/loop.md", title: "Loop", runbookDigest: "r1", steps: steps)

    private func replay(_ events: [RunEvent]) throws -> RunState {
        try RunState.replay(events.enumerated().map { Self.record($1, Double($0 * 10)) })
    }

    /// The state after `done`, `done`, `retry` and `quit` (events at seconds 0, 10, 20, 30, 40), written out.
    private var pausedAtB: RunState {
        var state = RunState(run: "r", runbook: "loop", runbookPath: "rb/loop.md", title: "Loop", runbookDigest: "r1",
                             status: .active, startedAt: Self.at(0), timeZone: "UTC", operatorName: "dana", host: "laptop-7",
                             steps: Self.steps.map(StepProgress.init), variables: [:], pausedBy: .quit, endedAt: nil,
                             abandonReason: nil, lastEventAt: Self.at(40), currentSince: nil,
                             path: ["a", "c", "d"],
                             choices: [ChoiceRecord(step: "d", option: "retry", target: "b", at: Self.at(30), by: "dana")])
        for (index, n) in [(0, 10.0), (2, 20), (3, 30)] {
            state.steps[index].status = .done
            state.steps[index].completedAt = Self.at(n)
            state.steps[index].completedBy = "dana"
            state.steps[index].seconds = 10
        }
        state.steps[3].choice = OptionRecord(key: "retry", target: "b")
        state.visits = [Visit(step: "a", status: .done, at: Self.at(10), by: "dana"),
                        Visit(step: "c", status: .done, at: Self.at(20), by: "dana"),
                        Visit(step: "d", status: .done, option: "retry", at: Self.at(30), by: "dana")]
        state.steps[1].seconds = 10
        return state
    }

    private let walked: [RunEvent] = [
        .runStarted(RunResumeTests.start), .stepCompleted(step: "a"), .stepCompleted(step: "c"),
        .choiceMade(step: "d", option: "retry", target: "b", skipReason: nil), .runPaused(reason: .quit),
    ]

    func testAResumeAfterABackwardJumpLandsOnItsTarget() throws {
        let paused = try replay(walked)
        XCTAssertEqual(paused, pausedAtB)
        XCTAssertEqual(paused.current?.id, "b")

        let resumed = try replay(walked + [.runResumed(runbookDigest: "r1", steps: Self.steps)])
        var expected = pausedAtB
        expected.pausedBy = nil
        expected.currentSince = Self.at(50)
        expected.lastEventAt = Self.at(50)
        XCTAssertEqual(resumed, expected)
        XCTAssertEqual(resumed.current?.id, "b", "resumed where the walk was: B, not C")
        XCTAssertEqual(resumed.position, "step 2 of 4")
        XCTAssertEqual(resumed.progress.done, 3)
        XCTAssertEqual(resumed.progress.left, 1)
    }

    func testAResumeInsideARetryLoopKeepsItsStepsReopened() throws {
        // `d` now loops back to `c`, which the path passed through: c and d are walked again.
        var steps = Self.steps
        steps[3].options = [OptionRecord(key: "retry", target: "c"), OptionRecord(key: "fin", target: "end")]
        var start = Self.start
        start.steps = steps
        let events: [RunEvent] = [
            .runStarted(start), .stepCompleted(step: "a"), .stepCompleted(step: "c"),
            .choiceMade(step: "d", option: "retry", target: "c", skipReason: nil), .runPaused(reason: .quit),
        ]
        let paused = try replay(events)
        XCTAssertEqual(paused.steps.map(\.status), [.done, .bypassed, .pending, .pending])
        XCTAssertEqual(paused.current?.id, "c")
        var resumed = try replay(events + [.runResumed(runbookDigest: "r1", steps: steps)])
        XCTAssertEqual(resumed.steps, paused.steps)
        XCTAssertEqual(resumed.path, paused.path)
        XCTAssertEqual(resumed.current?.id, "c")
        XCTAssertEqual(resumed.passes(of: "c"), 1, "still the second pass after the resume")
        try resumed.apply(Self.record(.stepCompleted(step: "c"), 60))
        XCTAssertEqual(resumed.current?.id, "d")
    }
}
