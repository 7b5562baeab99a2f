import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

final class RunChoosingTests: XCTestCase {
    let noon = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15 08:00:00 UTC

    func testTheDefaultNameIsTheRunbookAndTheUTCTime() {
        XCTAssertEqual(RunStore.defaultName(runbook: "smt-jwt-status", at: noon, taken: { _ in false }),
                       "smt-jwt-status-20270115-080000")
    }

    func testATakenDefaultNameGetsASuffix() {
        let taken: Set = ["x-20270115-080000", "x-20270115-080000-2"]
        XCTAssertEqual(RunStore.defaultName(runbook: "x", at: noon, taken: taken.contains), "x-20270115-080000-3")
    }

    func state(_ run: String, lastAt seconds: Double, status: RunState.Status = .active) throws -> RunState {
        let steps = [StepRecord(id: "a", title: "A", place: "here", digest: "1")]
        var state = try RunState(starting: EventRecord(
            .runStarted(RunStart(run: run, runbook: "rb", path: "", title: "T", runbookDigest: "d", steps: steps)), at: noon))
        try state.apply(EventRecord(.noteAdded(step: "a", text: "n"), at: noon.addingTimeInterval(seconds)))
        if status == .abandoned { try state.apply(EventRecord(.runAbandoned(reason: "r"), at: noon.addingTimeInterval(seconds))) }
        return state
    }

    func testResumeTakesTheMostRecentlyActiveUnfinishedRun() throws {
        let old = try state("old", lastAt: 10), recent = try state("recent", lastAt: 20)
        let gone = try state("gone", lastAt: 30, status: .abandoned)
        XCTAssertEqual(RunStore.latestUnfinished([old, recent, gone]), .run(recent, among: 2))
        XCTAssertEqual(RunStore.latestUnfinished([old]), .run(old, among: 1))
    }

    func testNoUnfinishedRunAndATieAreNamed() throws {
        XCTAssertEqual(RunStore.latestUnfinished([try state("gone", lastAt: 1, status: .abandoned)]), .none)
        let a = try state("a", lastAt: 5), b = try state("b", lastAt: 5)
        XCTAssertEqual(RunStore.latestUnfinished([a, b]), .tie([a, b]))
    }
}
