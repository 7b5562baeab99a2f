import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// Decisions and jumps in the reducer, as scripts: each event, then the whole next state.
///
/// The runbook: `triage` decides (`ok` → #close, `401` → #rotate, `timeout` → #whitelist); `rotate`
/// goes on in file order to `retest`, which decides again (`again` → #triage, a retry loop; `fine` →
/// #close); `whitelist` jumps with `Next: #close`; `close` ends the run.
final class RunPathTests: XCTestCase {
    private static func at(_ n: Double) -> Date { Date(timeIntervalSince1970: 1_800_000_000 + n) }

    private static func record(_ event: RunEvent, _ n: Double, by name: String = "dana") -> EventRecord {
        EventRecord(event, at: at(n), timeZone: "UTC", operatorName: name, host: "laptop-7")
    }

    static let triage = StepRecord(id: "triage", title: "Read the answer", place: "droplet", digest: "d1",
                                   options: [OptionRecord(key: "ok", target: "close"), OptionRecord(key: "401", target: "rotate"),
                                             OptionRecord(key: "timeout", target: "whitelist")])
    static let rotate = StepRecord(id: "rotate", title: "Rotate the password", place: "SMT portal", digest: "d2")
    static let retest = StepRecord(id: "retest", title: "Test again", place: "droplet", digest: "d3",
                                   options: [OptionRecord(key: "again", target: "triage"), OptionRecord(key: "fine", target: "close")])
    static let whitelist = StepRecord(id: "whitelist", title: "Check the whitelist", place: "email", digest: "d4", next: "close")
    static let close = StepRecord(id: "close", title: "Close out", place: "laptop", digest: "d5")

    static let start = RunStart(run: "inc-1", runbook: "incident", path: "runbooks/incident.md", title: "Incident",
                                runbookDigest: "r1", steps: [triage, rotate, retest, whitelist, close])

    /// The state right after `runStarted` at second 0.
    private var started: RunState {
        RunState(run: "inc-1", runbook: "incident", runbookPath: "runbooks/incident.md", title: "Incident", runbookDigest: "r1",
                 status: .active, startedAt: Self.at(0), timeZone: "UTC", operatorName: "dana", host: "laptop-7",
                 steps: Self.start.steps.map(StepProgress.init), variables: [:], pausedBy: nil, endedAt: nil,
                 abandonReason: nil, lastEventAt: Self.at(0), currentSince: Self.at(0))
    }

    private func send(_ state: inout RunState, _ event: RunEvent, _ n: Double, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNoThrow(try state.apply(Self.record(event, n)), file: file, line: line)
    }

    private func refuse(_ state: RunState, _ event: RunEvent, mentioning text: String, file: StaticString = #filePath, line: UInt = #line) {
        var after = state
        XCTAssertThrowsError(try after.apply(Self.record(event, 99)), file: file, line: line) { error in
            XCTAssertTrue((error as? IllegalEvent)?.message.contains(text) == true, "\(error)", file: file, line: line)
        }
        XCTAssertEqual(after, state, file: file, line: line)
    }

    /// What finishing step `index` at second `n` changes, written out.
    private func finished(_ expected: inout RunState, _ index: Int, _ status: StepProgress.Status, _ n: Double,
                          since: Double, choice: OptionRecord? = nil, reason: String? = nil) {
        expected.steps[index].status = status
        expected.steps[index].completedAt = Self.at(n)
        expected.steps[index].completedBy = "dana"
        expected.steps[index].seconds += n - since
        expected.steps[index].choice = choice
        expected.steps[index].reason = reason
        expected.path.append(expected.steps[index].id)
        expected.visits.append(Visit(step: expected.steps[index].id, status: status, option: choice?.key, at: Self.at(n), by: "dana"))
        expected.currentSince = Self.at(n)
        expected.lastEventAt = Self.at(n)
    }

    private func bypassed(_ expected: inout RunState, _ indexes: [Int], by step: String) {
        for index in indexes {
            expected.steps[index].status = .bypassed
            expected.steps[index].bypassedBy = step
        }
    }

    private func begin() throws -> RunState {
        try RunState(starting: Self.record(.runStarted(Self.start), 0))
    }

    // MARK: -

    func testAForwardChoiceBypassesTheStepsBetween() throws {
        var state = try begin()
        var expected = started
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.progress.done, 0)
        XCTAssertEqual(state.progress.left, 5)
        XCTAssertEqual(state.position, "step 1 of 5")

        send(&state, .choiceMade(step: "triage", option: "timeout", target: "whitelist", skipReason: nil), 10)
        finished(&expected, 0, .done, 10, since: 0, choice: OptionRecord(key: "timeout", target: "whitelist"))
        bypassed(&expected, [1, 2], by: "triage")
        expected.choices = [ChoiceRecord(step: "triage", option: "timeout", target: "whitelist", at: Self.at(10), by: "dana")]
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.current?.id, "whitelist")
        XCTAssertEqual(state.progress.done, 1)
        XCTAssertEqual(state.progress.left, 2, "the bypassed steps are off the path")
        XCTAssertEqual(state.position, "step 4 of 5", "the runbook's own number, whatever was bypassed")
        XCTAssertEqual(state.number(of: 3), 4)
        XCTAssertEqual(state.bypassedCount, 2)
    }

    func testAJumpWithNextBypassesInFileOrderAndTheRunCompletes() throws {
        var state = try begin()
        var expected = started
        send(&state, .choiceMade(step: "triage", option: "timeout", target: "whitelist", skipReason: nil), 10)
        finished(&expected, 0, .done, 10, since: 0, choice: OptionRecord(key: "timeout", target: "whitelist"))
        bypassed(&expected, [1, 2], by: "triage")
        expected.choices = [ChoiceRecord(step: "triage", option: "timeout", target: "whitelist", at: Self.at(10), by: "dana")]

        // `whitelist` has `Next: #close`, which is the step after it: nothing between to bypass.
        send(&state, .stepSkipped(step: "whitelist", reason: "SMT confirmed by phone"), 20)
        finished(&expected, 3, .skipped, 20, since: 10, reason: "SMT confirmed by phone")
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.current?.id, "close")

        send(&state, .stepCompleted(step: "close"), 30)
        finished(&expected, 4, .done, 30, since: 20)
        XCTAssertEqual(state, expected)
        XCTAssertNil(state.current)

        send(&state, .runCompleted, 31)
        expected.status = .completed
        expected.endedAt = Self.at(31)
        expected.lastEventAt = Self.at(31)
        XCTAssertEqual(state, expected)
    }

    func testABackwardChoiceReopensTheLoopAndKeepsTheCompletionsInTheLog() throws {
        var state = try begin()
        var expected = started
        send(&state, .choiceMade(step: "triage", option: "401", target: "rotate", skipReason: nil), 10)
        finished(&expected, 0, .done, 10, since: 0, choice: OptionRecord(key: "401", target: "rotate"))
        expected.choices.append(ChoiceRecord(step: "triage", option: "401", target: "rotate", at: Self.at(10), by: "dana"))
        XCTAssertEqual(state, expected, "rotate is the next step in file order: nothing bypassed")

        send(&state, .stepCompleted(step: "rotate"), 20)
        finished(&expected, 1, .done, 20, since: 10)
        XCTAssertEqual(state, expected)

        // Still 401: go round again, from triage to retest, every step of the loop pending.
        send(&state, .choiceMade(step: "retest", option: "again", target: "triage", skipReason: nil), 30)
        expected.steps[2].seconds = 10
        expected.choices.append(ChoiceRecord(step: "retest", option: "again", target: "triage", at: Self.at(30), by: "dana"))
        expected.visits.append(Visit(step: "retest", status: .done, option: "again", at: Self.at(30), by: "dana"))
        for index in 0...2 {
            expected.steps[index].status = .pending
            expected.steps[index].completedAt = nil
            expected.steps[index].completedBy = nil
            expected.steps[index].choice = nil
        }
        expected.path = []
        expected.currentSince = Self.at(30)
        expected.lastEventAt = Self.at(30)
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.current?.id, "triage")
        XCTAssertNil(state.previousIndex)
        XCTAssertEqual(state.passes(of: "triage"), 1, "the second pass through the loop says so")
        XCTAssertEqual(state.passes(of: "rotate"), 1)
        XCTAssertEqual(state.passes(of: "close"), 0)

        // The second round takes the other way out.
        send(&state, .choiceMade(step: "triage", option: "ok", target: "close", skipReason: nil), 40)
        finished(&expected, 0, .done, 40, since: 30, choice: OptionRecord(key: "ok", target: "close"))
        bypassed(&expected, [1, 2, 3], by: "triage")
        expected.choices.append(ChoiceRecord(step: "triage", option: "ok", target: "close", at: Self.at(40), by: "dana"))
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.current?.id, "close")
        XCTAssertEqual(state.choices.map(\.option), ["401", "again", "ok"], "every choice is kept, in order")
        XCTAssertEqual(state.visits.map { "\($0.step):\($0.option ?? "")" }, ["triage:401", "rotate:", "retest:again", "triage:ok"],
                       "every pass is kept, in order")
    }

    func testBackOverADecisionUndoesItsChoice() throws {
        var state = try begin()
        var expected = started
        send(&state, .choiceMade(step: "triage", option: "ok", target: "close", skipReason: nil), 10)
        finished(&expected, 0, .done, 10, since: 0, choice: OptionRecord(key: "ok", target: "close"))
        bypassed(&expected, [1, 2, 3], by: "triage")
        expected.choices = [ChoiceRecord(step: "triage", option: "ok", target: "close", at: Self.at(10), by: "dana")]
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.previousIndex, 0)

        send(&state, .stepReopened(step: "triage"), 15)
        expected.steps[4].seconds = 5
        expected.steps[0].status = .pending
        expected.steps[0].completedAt = nil
        expected.steps[0].completedBy = nil
        expected.steps[0].choice = nil
        for index in 1...3 {
            expected.steps[index].status = .pending
            expected.steps[index].bypassedBy = nil
        }
        expected.path = []
        expected.visits[0].undone = true
        expected.currentSince = Self.at(15)
        expected.lastEventAt = Self.at(15)
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.current?.id, "triage")
        XCTAssertEqual(state.progress.left, 5, "the bypassed steps are pending again until the new choice")
        XCTAssertEqual(state.passes(of: "triage"), 0, "a finish undone by `back` is no pass")
    }

    func testASkipOnADecisionStepStillChooses() throws {
        var state = try begin()
        var expected = started
        refuse(state, .stepSkipped(step: "triage", reason: "known"), mentioning: "a choice finishes it")
        refuse(state, .stepCompleted(step: "triage"), mentioning: "a choice finishes it")

        send(&state, .choiceMade(step: "triage", option: "timeout", target: "whitelist", skipReason: "answer seen by Sam"), 10)
        finished(&expected, 0, .skipped, 10, since: 0, choice: OptionRecord(key: "timeout", target: "whitelist"),
                 reason: "answer seen by Sam")
        bypassed(&expected, [1, 2], by: "triage")
        expected.choices = [ChoiceRecord(step: "triage", option: "timeout", target: "whitelist", at: Self.at(10), by: "dana",
                                         skipReason: "answer seen by Sam")]
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.current?.id, "whitelist")
    }

    func testChoicesThatDoNotFitAreRefused() throws {
        let state = try begin()
        refuse(state, .choiceMade(step: "triage", option: "500", target: "close", skipReason: nil), mentioning: "has no option `500`")
        refuse(state, .choiceMade(step: "triage", option: "ok", target: "rotate", skipReason: nil), mentioning: "leads to #close, not #rotate")
        refuse(state, .choiceMade(step: "retest", option: "fine", target: "close", skipReason: nil), mentioning: "the current step is `triage`")
        refuse(state, .choiceMade(step: "triage", option: "ok", target: "close", skipReason: " "), mentioning: "needs a reason")
        var lost = Self.start
        lost.steps[3].next = "nowhere"
        XCTAssertThrowsError(try RunState(starting: Self.record(.runStarted(lost), 0))) { error in
            XCTAssertEqual(error as? IllegalEvent, IllegalEvent("step `whitelist` leads to #nowhere, which is no step of the run"))
        }
    }

    func testAResumeAfterTheChosenOptionWasRemovedAsksForTheChoiceAgain() throws {
        var state = try begin()
        var expected = started
        send(&state, .choiceMade(step: "triage", option: "timeout", target: "whitelist", skipReason: nil), 10)
        send(&state, .runPaused(reason: .quit), 20)
        finished(&expected, 0, .done, 10, since: 0, choice: OptionRecord(key: "timeout", target: "whitelist"))
        bypassed(&expected, [1, 2], by: "triage")
        expected.choices = [ChoiceRecord(step: "triage", option: "timeout", target: "whitelist", at: Self.at(10), by: "dana")]
        expected.steps[3].seconds = 10
        expected.pausedBy = .quit
        expected.currentSince = nil
        expected.lastEventAt = Self.at(20)
        XCTAssertEqual(state, expected)

        // The runbook now has no `timeout` option: the choice no longer exists, so triage is current again.
        var edited = Self.triage
        edited.options = [OptionRecord(key: "ok", target: "close"), OptionRecord(key: "401", target: "rotate")]
        edited.digest = "d1-b"
        let records = [edited, Self.rotate, Self.retest, Self.whitelist, Self.close]
        send(&state, .runResumed(runbookDigest: "r2", steps: records), 30)
        expected.steps[0] = StepProgress(edited)
        expected.steps[0].seconds = 10
        for index in 1...2 {
            expected.steps[index].status = .pending
            expected.steps[index].bypassedBy = nil
        }
        expected.path = []
        expected.runbookDigest = "r2"
        expected.pausedBy = nil
        expected.currentSince = Self.at(30)
        expected.lastEventAt = Self.at(30)
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.current?.id, "triage")
        XCTAssertEqual(RunbookChanges.lostChoices(in: try begin().applying(Self.record(
            .choiceMade(step: "triage", option: "timeout", target: "whitelist", skipReason: nil), 10)), to: records),
                       [RunbookChanges.LostChoice(step: "triage", option: "timeout", target: "whitelist")])
    }

    func testAForgedRunWithAnOptionKeyTwiceIsRefused() throws {
        var twice = Self.start
        twice.steps[0].options = [OptionRecord(key: "ok", target: "close"), OptionRecord(key: "ok", target: "rotate")]
        XCTAssertThrowsError(try RunState(starting: Self.record(.runStarted(twice), 0))) { error in
            XCTAssertEqual(error as? IllegalEvent, IllegalEvent("step `triage` offers the same option KEY twice"))
        }
        refuse(try begin(), .runResumed(runbookDigest: "r2", steps: twice.steps), mentioning: "offers the same option KEY twice")
    }

    func testAStepAddedWhereAChoiceJumpsIsBypassedOnResume() throws {
        var state = try begin()
        send(&state, .choiceMade(step: "triage", option: "ok", target: "close", skipReason: nil), 10)
        let added = StepRecord(id: "page", title: "Page the owner", place: "phone", digest: "d6")
        send(&state, .runResumed(runbookDigest: "r3", steps: [Self.triage, Self.rotate, added, Self.retest, Self.whitelist, Self.close]), 20)
        XCTAssertEqual(state.steps.map(\.status), [.done, .bypassed, .bypassed, .bypassed, .bypassed, .pending])
        XCTAssertEqual(state.steps[2].bypassedBy, "triage")
        XCTAssertEqual(state.current?.id, "close")
    }

    func testEndAsATargetCompletesTheRun() throws {
        var start = Self.start
        start.steps[0].options?.append(OptionRecord(key: "stop", target: "end"))
        var state = try RunState(starting: Self.record(.runStarted(start), 0))
        send(&state, .choiceMade(step: "triage", option: "stop", target: "end", skipReason: nil), 10)
        XCTAssertEqual(state.steps.map(\.status), [.done, .bypassed, .bypassed, .bypassed, .bypassed])
        XCTAssertNil(state.current)
        send(&state, .runCompleted, 11)
        XCTAssertEqual(state.status, .completed)
    }
}

private extension RunState {
    func applying(_ record: EventRecord) throws -> RunState {
        var copy = self
        try copy.apply(record)
        return copy
    }
}
