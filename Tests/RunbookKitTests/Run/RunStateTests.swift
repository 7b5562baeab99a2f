import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// The reducer as scripts: each event, then the whole next state, written out.
final class RunStateTests: XCTestCase {
    // MARK: Fixtures

    private static func at(_ n: Double) -> Date { Date(timeIntervalSince1970: 1_800_000_000 + n) }

    private static func record(_ event: RunEvent, _ n: Double) -> EventRecord {
        EventRecord(event, at: at(n), timeZone: "Europe/Paris", operatorName: "dana", host: "laptop-7")
    }

    private let ssh = StepRecord(id: "ssh", title: "SSH to the droplet", place: "PowerShell on your laptop", digest: "d-ssh-1")
    private let restart = StepRecord(id: "restart", title: "Restart the proxy", place: "droplet smt-proxy", digest: "d-restart-1")
    private let verify = StepRecord(id: "verify", title: "Verify the token", place: "PowerShell on your laptop", digest: "d-verify-1")

    private var start: RunStart {
        RunStart(run: "smt-20270115-080000", runbook: "smt", path: "runbooks/smt.md", title: "Rotate the SMT token",
                 runbookDigest: "digest-1", steps: [ssh, restart, verify])
    }

    /// The state right after `runStarted` at second 0, written out field by field.
    private var started: RunState {
        RunState(run: "smt-20270115-080000", runbook: "smt", runbookPath: "runbooks/smt.md", title: "Rotate the SMT token",
                 runbookDigest: "digest-1", status: .active, startedAt: Self.at(0), timeZone: "Europe/Paris",
                 operatorName: "dana", host: "laptop-7",
                 steps: [StepProgress(ssh), StepProgress(restart), StepProgress(verify)],
                 variables: [:], pausedBy: nil, endedAt: nil, abandonReason: nil, lastEventAt: Self.at(0),
                 currentSince: Self.at(0))
    }

    private func begin() throws -> RunState {
        try RunState(starting: Self.record(.runStarted(start), 0))
    }

    /// Sends an event that must apply.
    private func send(_ state: inout RunState, _ event: RunEvent, _ n: Double,
                      file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNoThrow(try state.apply(Self.record(event, n)), file: file, line: line)
    }

    /// Sends an event that must be refused, leaving the state exactly as it was.
    private func refuse(_ state: RunState, _ event: RunEvent, _ n: Double, mentioning text: String? = nil,
                        file: StaticString = #filePath, line: UInt = #line) {
        let before = state
        var after = state
        XCTAssertThrowsError(try after.apply(Self.record(event, n)), file: file, line: line) { error in
            guard let illegal = error as? IllegalEvent else {
                return XCTFail("expected IllegalEvent, got \(error)", file: file, line: line)
            }
            if let text {
                XCTAssertTrue(illegal.message.contains(text), "`\(illegal.message)` lacks `\(text)`", file: file, line: line)
            }
        }
        XCTAssertEqual(before, after, file: file, line: line)
    }

    // MARK: Start

    func testStart() throws {
        XCTAssertEqual(try begin(), started)
        let state = try begin()
        XCTAssertEqual(state.currentIndex, 0)
        XCTAssertEqual(state.current?.id, "ssh")
        XCTAssertNil(state.previousIndex)
        XCTAssertEqual(state.doneCount, 0)
        XCTAssertEqual(state.skippedCount, 0)
    }

    func testFirstEventMustBeRunStarted() {
        XCTAssertThrowsError(try RunState(starting: Self.record(.stepCompleted(step: "ssh"), 0))) { error in
            XCTAssertEqual(error as? IllegalEvent, IllegalEvent("a run must begin with runStarted, not stepCompleted"))
        }
        XCTAssertThrowsError(try RunState(starting: Self.record(.runCompleted, 0))) { error in
            XCTAssertTrue(error is IllegalEvent)
        }
        XCTAssertThrowsError(try RunState.replay([])) { error in
            XCTAssertEqual(error as? IllegalEvent, IllegalEvent("the log holds no event"))
        }
        XCTAssertThrowsError(try RunState.replay([Self.record(.noteAdded(step: "ssh", text: "hi"), 0),
                                                  Self.record(.runStarted(start), 1)])) { error in
            XCTAssertTrue(error is IllegalEvent)
        }
    }

    func testRunStartedNeedsAValidRunNameAndDistinctSteps() {
        var badName = start
        badName.run = "-bad name"
        XCTAssertThrowsError(try RunState(starting: Self.record(.runStarted(badName), 0))) { error in
            XCTAssertEqual(error as? IllegalEvent, IllegalEvent("`-bad name` is not a run name"))
        }
        var noSteps = start
        noSteps.steps = []
        XCTAssertThrowsError(try RunState(starting: Self.record(.runStarted(noSteps), 0))) { error in
            XCTAssertEqual(error as? IllegalEvent, IllegalEvent("a run needs at least one step"))
        }
        var twins = start
        twins.steps = [ssh, ssh]
        XCTAssertThrowsError(try RunState(starting: Self.record(.runStarted(twins), 0))) { error in
            XCTAssertEqual(error as? IllegalEvent, IllegalEvent("two steps share an id"))
        }
    }

    func testRunStartedTwiceIsRefused() throws {
        let state = try begin()
        refuse(state, .runStarted(start), 5, mentioning: "already started")
    }

    // MARK: Completing, skipping, reopening

    func testCompletingStepsInOrder() throws {
        var state = try begin()
        var expected = started

        send(&state, .stepCompleted(step: "ssh"), 30)
        expected.steps[0].status = .done
        expected.path.append("ssh")
        expected.steps[0].completedAt = Self.at(30)
        expected.visits.append(Visit(step: "ssh", status: .done, at: Self.at(30), by: "dana"))
        expected.steps[0].completedBy = "dana"
        expected.steps[0].seconds = 30
        expected.currentSince = Self.at(30)
        expected.lastEventAt = Self.at(30)
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.current?.id, "restart")
        XCTAssertEqual(state.previousIndex, 0)

        send(&state, .stepCompleted(step: "restart"), 75)
        expected.steps[1].status = .done
        expected.path.append("restart")
        expected.steps[1].completedAt = Self.at(75)
        expected.visits.append(Visit(step: "restart", status: .done, at: Self.at(75), by: "dana"))
        expected.steps[1].completedBy = "dana"
        expected.steps[1].seconds = 45
        expected.currentSince = Self.at(75)
        expected.lastEventAt = Self.at(75)
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.current?.id, "verify")

        send(&state, .stepCompleted(step: "verify"), 76)
        expected.steps[2].status = .done
        expected.path.append("verify")
        expected.steps[2].completedAt = Self.at(76)
        expected.visits.append(Visit(step: "verify", status: .done, at: Self.at(76), by: "dana"))
        expected.steps[2].completedBy = "dana"
        expected.steps[2].seconds = 1
        expected.currentSince = Self.at(76)
        expected.lastEventAt = Self.at(76)
        XCTAssertEqual(state, expected)
        XCTAssertNil(state.current)
        XCTAssertEqual(state.doneCount, 3)
        XCTAssertEqual(state.previousIndex, 2)

        send(&state, .runCompleted, 80)
        expected.status = .completed
        expected.endedAt = Self.at(80)
        expected.lastEventAt = Self.at(80)
        XCTAssertEqual(state, expected)
    }

    func testDoneOnAStepThatIsNotCurrentIsRefused() throws {
        var state = try begin()
        refuse(state, .stepCompleted(step: "restart"), 10, mentioning: "the current step is `ssh`")
        refuse(state, .stepCompleted(step: "nowhere"), 10, mentioning: "cannot complete `nowhere`")
        refuse(state, .stepSkipped(step: "verify", reason: "later"), 10, mentioning: "cannot skip `verify`")

        send(&state, .stepCompleted(step: "ssh"), 10)
        refuse(state, .stepCompleted(step: "ssh"), 11, mentioning: "the current step is `restart`")
    }

    func testSkipWithReason() throws {
        var state = try begin()
        var expected = started

        send(&state, .stepSkipped(step: "ssh", reason: "already logged in"), 12)
        expected.steps[0].status = .skipped
        expected.path.append("ssh")
        expected.steps[0].completedAt = Self.at(12)
        expected.visits.append(Visit(step: "ssh", status: .skipped, at: Self.at(12), by: "dana"))
        expected.steps[0].completedBy = "dana"
        expected.steps[0].reason = "already logged in"
        expected.steps[0].seconds = 12
        expected.currentSince = Self.at(12)
        expected.lastEventAt = Self.at(12)
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.skippedCount, 1)
        XCTAssertEqual(state.doneCount, 0)
        XCTAssertEqual(state.current?.id, "restart")
    }

    func testSkipWithAnEmptyReasonIsRefused() throws {
        let state = try begin()
        refuse(state, .stepSkipped(step: "ssh", reason: ""), 5, mentioning: "needs a reason")
        refuse(state, .stepSkipped(step: "ssh", reason: "   \t"), 5, mentioning: "needs a reason")
    }

    func testReopeningThePreviousStep() throws {
        var state = try begin()
        var expected = started

        send(&state, .stepSkipped(step: "ssh", reason: "done by Sam"), 10)
        expected.steps[0].status = .skipped
        expected.path.append("ssh")
        expected.steps[0].completedAt = Self.at(10)
        expected.visits.append(Visit(step: "ssh", status: .skipped, at: Self.at(10), by: "dana"))
        expected.steps[0].completedBy = "dana"
        expected.steps[0].reason = "done by Sam"
        expected.steps[0].seconds = 10
        expected.currentSince = Self.at(10)
        expected.lastEventAt = Self.at(10)
        XCTAssertEqual(state, expected)

        send(&state, .stepCompleted(step: "restart"), 40)
        expected.steps[1].status = .done
        expected.path.append("restart")
        expected.steps[1].completedAt = Self.at(40)
        expected.visits.append(Visit(step: "restart", status: .done, at: Self.at(40), by: "dana"))
        expected.steps[1].completedBy = "dana"
        expected.steps[1].seconds = 30
        expected.currentSince = Self.at(40)
        expected.lastEventAt = Self.at(40)
        XCTAssertEqual(state, expected)

        // Only the step right before the current one can be reopened.
        refuse(state, .stepReopened(step: "ssh"), 45, mentioning: "not `ssh`")
        refuse(state, .stepReopened(step: "verify"), 45, mentioning: "not `verify`")
        refuse(state, .stepReopened(step: "nowhere"), 45)

        // `back` from verify: the time on verify so far is kept, restart is pending again.
        send(&state, .stepReopened(step: "restart"), 50)
        expected.steps[2].seconds = 10
        expected.steps[1].status = .pending
        expected.path.removeAll { $0 == "restart" }
        expected.visits[try XCTUnwrap(expected.visits.lastIndex { $0.step == "restart" })].undone = true
        expected.steps[1].completedAt = nil
        expected.steps[1].completedBy = nil
        expected.currentSince = Self.at(50)
        expected.lastEventAt = Self.at(50)
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.current?.id, "restart")

        // And again: ssh, skipped, loses its reason.
        send(&state, .stepReopened(step: "ssh"), 55)
        expected.steps[1].seconds = 35
        expected.steps[0].status = .pending
        expected.path.removeAll { $0 == "ssh" }
        expected.visits[try XCTUnwrap(expected.visits.lastIndex { $0.step == "ssh" })].undone = true
        expected.steps[0].completedAt = nil
        expected.steps[0].completedBy = nil
        expected.steps[0].reason = nil
        expected.currentSince = Self.at(55)
        expected.lastEventAt = Self.at(55)
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.current?.id, "ssh")

        // On the first step there is nothing before it.
        refuse(state, .stepReopened(step: "ssh"), 60, mentioning: "not `ssh`")
        refuse(state, .stepReopened(step: "verify"), 60)
    }

    func testReopeningOnTheFirstStepIsRefused() throws {
        let state = try begin()
        refuse(state, .stepReopened(step: "ssh"), 5)
        refuse(state, .stepReopened(step: "restart"), 5)
    }

    func testReopeningTheLastStepWhenAllAreDone() throws {
        var state = try begin()
        send(&state, .stepCompleted(step: "ssh"), 1)
        send(&state, .stepCompleted(step: "restart"), 2)
        send(&state, .stepCompleted(step: "verify"), 3)
        var expected = state

        refuse(state, .stepReopened(step: "restart"), 4)
        send(&state, .stepReopened(step: "verify"), 4)
        expected.steps[2].status = .pending
        expected.path.removeAll { $0 == "verify" }
        expected.visits[try XCTUnwrap(expected.visits.lastIndex { $0.step == "verify" })].undone = true
        expected.steps[2].completedAt = nil
        expected.steps[2].completedBy = nil
        expected.currentSince = Self.at(4)
        expected.lastEventAt = Self.at(4)
        XCTAssertEqual(state, expected)
    }

    // MARK: Notes, checks, variables

    func testNotesOnSteps() throws {
        var state = try begin()
        var expected = started

        send(&state, .noteAdded(step: "ssh", text: "using the bastion"), 5)
        expected.steps[0].notes = [StepProgress.Note(text: "using the bastion", at: Self.at(5), by: "dana")]
        expected.lastEventAt = Self.at(5)
        XCTAssertEqual(state, expected)

        // A note may go on any step of the run, not only the current one.
        send(&state, .noteAdded(step: "verify", text: "token expires Friday"), 6)
        expected.steps[2].notes = [StepProgress.Note(text: "token expires Friday", at: Self.at(6), by: "dana")]
        expected.lastEventAt = Self.at(6)
        XCTAssertEqual(state, expected)

        send(&state, .noteAdded(step: "ssh", text: "second note"), 7)
        expected.steps[0].notes.append(StepProgress.Note(text: "second note", at: Self.at(7), by: "dana"))
        expected.lastEventAt = Self.at(7)
        XCTAssertEqual(state, expected)
        // Notes move nothing.
        XCTAssertEqual(state.current?.id, "ssh")

        refuse(state, .noteAdded(step: "ssh", text: "  "), 8, mentioning: "a note needs text")
        refuse(state, .noteAdded(step: "nowhere", text: "x"), 8, mentioning: "no step `nowhere`")
    }

    func testCheckPassedAndFailed() throws {
        var state = try begin()
        var expected = started

        send(&state, .checkFailed(step: "ssh", reason: "expected status 200, got 401"), 5)
        expected.steps[0].check = .failed
        expected.steps[0].checkFailure = "expected status 200, got 401"
        expected.lastEventAt = Self.at(5)
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.current?.id, "ssh")

        send(&state, .checkPassed(step: "ssh"), 9)
        expected.steps[0].check = .passed
        expected.steps[0].checkFailure = nil
        expected.lastEventAt = Self.at(9)
        XCTAssertEqual(state, expected)

        send(&state, .stepCompleted(step: "ssh"), 10)
        expected.steps[0].status = .done
        expected.path.append("ssh")
        expected.steps[0].completedAt = Self.at(10)
        expected.visits.append(Visit(step: "ssh", status: .done, at: Self.at(10), by: "dana"))
        expected.steps[0].completedBy = "dana"
        expected.steps[0].seconds = 10
        expected.currentSince = Self.at(10)
        expected.lastEventAt = Self.at(10)
        XCTAssertEqual(state, expected)

        // Checks belong to the current step only.
        refuse(state, .checkPassed(step: "ssh"), 11, mentioning: "cannot check `ssh`")
        refuse(state, .checkFailed(step: "verify", reason: "x"), 11, mentioning: "the current step is `restart`")
    }

    func testVariableRecorded() throws {
        var state = try begin()
        var expected = started

        send(&state, .variableRecorded(name: "BASE_URL", value: "https://intelliwatt.com"), 3)
        expected.variables = ["BASE_URL": "https://intelliwatt.com"]
        expected.lastEventAt = Self.at(3)
        XCTAssertEqual(state, expected)

        send(&state, .variableRecorded(name: "BASE_URL", value: "https://staging.intelliwatt.com"), 4)
        expected.variables = ["BASE_URL": "https://staging.intelliwatt.com"]
        expected.lastEventAt = Self.at(4)
        XCTAssertEqual(state, expected)

        send(&state, .variableRecorded(name: "_REGION2", value: ""), 5)
        expected.variables["_REGION2"] = ""
        expected.lastEventAt = Self.at(5)
        XCTAssertEqual(state, expected)

        refuse(state, .variableRecorded(name: "base_url", value: "x"), 6, mentioning: "not a variable name")
        refuse(state, .variableRecorded(name: "", value: "x"), 6)
    }

    func testAValueForASecretVariableIsNeverRecorded() throws {
        var secret = start
        secret.secrets = ["ADMIN_TOKEN"]
        var state = try RunState(starting: Self.record(.runStarted(secret), 0))
        var expected = started
        expected.secretNames = ["ADMIN_TOKEN"]
        XCTAssertEqual(state, expected)
        refuse(state, .variableRecorded(name: "ADMIN_TOKEN", value: "3f9c"), 1, mentioning: "ADMIN_TOKEN is a secret variable")

        // A variable the runbook made secret since the start: from the resume on, never recorded either.
        send(&state, .variableRecorded(name: "BASE_URL", value: "https://intelliwatt.com"), 2)
        send(&state, .runPaused(reason: .quit), 3)
        send(&state, .runResumed(runbookDigest: "digest-2", steps: [ssh, restart, verify], secrets: ["BASE_URL"]), 4)
        XCTAssertEqual(state.secretNames, ["ADMIN_TOKEN", "BASE_URL"])
        XCTAssertEqual(state.variables, [:], "a value recorded before the variable became secret is dropped")
        refuse(state, .variableRecorded(name: "BASE_URL", value: "https://staging"), 5, mentioning: "BASE_URL is a secret variable")
        refuse(state, .variableRecorded(name: "ADMIN_TOKEN", value: "3f9c"), 5, mentioning: "secret")
    }

    // MARK: Pausing and resuming

    func testPausedTimeDoesNotCount() throws {
        var state = try begin()
        var expected = started

        send(&state, .stepCompleted(step: "ssh"), 20)
        expected.steps[0].status = .done
        expected.path.append("ssh")
        expected.steps[0].completedAt = Self.at(20)
        expected.visits.append(Visit(step: "ssh", status: .done, at: Self.at(20), by: "dana"))
        expected.steps[0].completedBy = "dana"
        expected.steps[0].seconds = 20
        expected.currentSince = Self.at(20)
        expected.lastEventAt = Self.at(20)
        XCTAssertEqual(state, expected)

        send(&state, .runPaused(reason: .quit), 50)
        expected.steps[1].seconds = 30
        expected.pausedBy = .quit
        expected.currentSince = nil
        expected.lastEventAt = Self.at(50)
        XCTAssertEqual(state, expected)

        // An hour away: none of it counts.
        send(&state, .runResumed(runbookDigest: "digest-1", steps: [ssh, restart, verify]), 3_650)
        expected.pausedBy = nil
        expected.currentSince = Self.at(3_650)
        expected.lastEventAt = Self.at(3_650)
        XCTAssertEqual(state, expected)

        send(&state, .stepCompleted(step: "restart"), 3_655)
        expected.steps[1].status = .done
        expected.path.append("restart")
        expected.steps[1].completedAt = Self.at(3_655)
        expected.visits.append(Visit(step: "restart", status: .done, at: Self.at(3_655), by: "dana"))
        expected.steps[1].completedBy = "dana"
        expected.steps[1].seconds = 35
        expected.currentSince = Self.at(3_655)
        expected.lastEventAt = Self.at(3_655)
        XCTAssertEqual(state, expected)

        send(&state, .runPaused(reason: .interrupted), 3_700)
        expected.steps[2].seconds = 45
        expected.pausedBy = .interrupted
        expected.currentSince = nil
        expected.lastEventAt = Self.at(3_700)
        XCTAssertEqual(state, expected)

        // A second pause (Ctrl-C after end of input) adds no time and keeps the latest reason.
        send(&state, .runPaused(reason: .inputEnded), 3_800)
        expected.pausedBy = .inputEnded
        expected.lastEventAt = Self.at(3_800)
        XCTAssertEqual(state, expected)

        // `abandon` while paused: no time is added either.
        send(&state, .runAbandoned(reason: "superseded by smt-2"), 9_000)
        expected.status = .abandoned
        expected.abandonReason = "superseded by smt-2"
        expected.endedAt = Self.at(9_000)
        expected.lastEventAt = Self.at(9_000)
        XCTAssertEqual(state, expected)
    }

    func testResumeWithAChangedRunbookKeepsProgressByID() throws {
        var state = try begin()
        var expected = started

        send(&state, .stepCompleted(step: "ssh"), 10)
        expected.steps[0].status = .done
        expected.path.append("ssh")
        expected.steps[0].completedAt = Self.at(10)
        expected.visits.append(Visit(step: "ssh", status: .done, at: Self.at(10), by: "dana"))
        expected.steps[0].completedBy = "dana"
        expected.steps[0].seconds = 10
        expected.currentSince = Self.at(10)
        expected.lastEventAt = Self.at(10)

        send(&state, .noteAdded(step: "restart", text: "proxy was already down"), 11)
        expected.steps[1].notes = [StepProgress.Note(text: "proxy was already down", at: Self.at(11), by: "dana")]
        expected.lastEventAt = Self.at(11)

        send(&state, .runPaused(reason: .quit), 20)
        expected.steps[1].seconds = 10
        expected.pausedBy = .quit
        expected.currentSince = nil
        expected.lastEventAt = Self.at(20)
        XCTAssertEqual(state, expected)

        // The runbook now: verify (changed) first, a new step, ssh (renamed); restart is gone.
        let verify2 = StepRecord(id: "verify", title: "Verify the token", place: "PowerShell on your laptop", digest: "d-verify-2")
        let backup = StepRecord(id: "backup", title: "Back up the config", place: "droplet smt-proxy", digest: "d-backup-1")
        let ssh2 = StepRecord(id: "ssh", title: "SSH to the proxy droplet", place: "Windows Terminal", digest: "d-ssh-2")
        send(&state, .runResumed(runbookDigest: "digest-2", steps: [verify2, backup, ssh2]), 100)
        var verifyProgress = expected.steps[2]
        verifyProgress.digest = "d-verify-2"
        var sshProgress = expected.steps[0]
        sshProgress.title = "SSH to the proxy droplet"
        sshProgress.place = "Windows Terminal"
        sshProgress.digest = "d-ssh-2"
        expected.steps = [verifyProgress, StepProgress(backup), sshProgress]
        expected.runbookDigest = "digest-2"
        expected.pausedBy = nil
        expected.currentSince = Self.at(100)
        expected.lastEventAt = Self.at(100)
        XCTAssertEqual(state, expected)
        XCTAssertEqual(state.steps[2].status, .done)
        XCTAssertEqual(state.steps[2].completedAt, Self.at(10))
        XCTAssertEqual(state.current?.id, "verify")
        XCTAssertEqual(state.doneCount, 1)

        // The removed step's progress is gone with it.
        refuse(state, .noteAdded(step: "restart", text: "x"), 101, mentioning: "no step `restart`")

        refuse(state, .runResumed(runbookDigest: "digest-3", steps: []), 102, mentioning: "distinct ids")
        refuse(state, .runResumed(runbookDigest: "digest-3", steps: [backup, backup]), 102, mentioning: "distinct ids")
    }

    // MARK: Ending a run

    func testRunCompletedRefusedWhileAStepIsPending() throws {
        var state = try begin()
        refuse(state, .runCompleted, 1, mentioning: "step `ssh` is still pending")
        send(&state, .stepCompleted(step: "ssh"), 2)
        send(&state, .stepSkipped(step: "restart", reason: "not needed"), 3)
        refuse(state, .runCompleted, 4, mentioning: "step `verify` is still pending")

        var expected = state
        send(&state, .stepCompleted(step: "verify"), 5)
        expected.steps[2].status = .done
        expected.path.append("verify")
        expected.steps[2].completedAt = Self.at(5)
        expected.visits.append(Visit(step: "verify", status: .done, at: Self.at(5), by: "dana"))
        expected.steps[2].completedBy = "dana"
        expected.steps[2].seconds = 2
        expected.currentSince = Self.at(5)
        expected.lastEventAt = Self.at(5)
        XCTAssertEqual(state, expected)

        send(&state, .runCompleted, 6)
        expected.status = .completed
        expected.endedAt = Self.at(6)
        expected.lastEventAt = Self.at(6)
        XCTAssertEqual(state, expected)
    }

    func testRunAbandoned() throws {
        var state = try begin()
        var expected = started

        refuse(state, .runAbandoned(reason: ""), 5, mentioning: "needs a reason")
        refuse(state, .runAbandoned(reason: "  "), 5, mentioning: "needs a reason")

        send(&state, .runAbandoned(reason: "wrong droplet"), 40)
        expected.status = .abandoned
        expected.abandonReason = "wrong droplet"
        expected.endedAt = Self.at(40)
        expected.steps[0].seconds = 40
        expected.currentSince = nil
        expected.lastEventAt = Self.at(40)
        XCTAssertEqual(state, expected)
    }

    /// One of every kind of event, each of which would apply to an active run at `ssh`.
    private var everyEvent: [RunEvent] {
        [
            .runStarted(start),
            .variableRecorded(name: "BASE_URL", value: "x"),
            .stepCompleted(step: "ssh"),
            .stepSkipped(step: "ssh", reason: "r"),
            .stepReopened(step: "verify"),
            .noteAdded(step: "ssh", text: "late note"),
            .checkPassed(step: "ssh"),
            .checkFailed(step: "ssh", reason: "r"),
            .runPaused(reason: .quit),
            .runResumed(runbookDigest: "digest-1", steps: [ssh, restart, verify]),
            .runCompleted,
            .runAbandoned(reason: "r"),
        ]
    }

    func testEveryEventIsRefusedAfterCompletion() throws {
        var state = try begin()
        send(&state, .stepCompleted(step: "ssh"), 1)
        send(&state, .stepCompleted(step: "restart"), 2)
        send(&state, .stepCompleted(step: "verify"), 3)
        send(&state, .runCompleted, 4)
        XCTAssertEqual(state.status, .completed)
        // Events the active run would take at its end, plus every kind.
        for event in everyEvent + [.stepReopened(step: "verify"), .noteAdded(step: "verify", text: "x")] {
            refuse(state, event, 10, mentioning: "the run is completed: \(event.name) cannot follow")
        }
    }

    func testEveryEventIsRefusedAfterAbandonment() throws {
        var state = try begin()
        send(&state, .runAbandoned(reason: "wrong droplet"), 4)
        XCTAssertEqual(state.status, .abandoned)
        for event in everyEvent {
            refuse(state, event, 10, mentioning: "the run is abandoned: \(event.name) cannot follow")
        }
    }

    func testApplyIsAllOrNothing() throws {
        // Replaying a log stops at the first illegal event and names it.
        XCTAssertThrowsError(try RunState.replay([
            Self.record(.runStarted(start), 0),
            Self.record(.stepCompleted(step: "ssh"), 1),
            Self.record(.stepCompleted(step: "verify"), 2),
        ])) { error in
            XCTAssertEqual(error as? IllegalEvent, IllegalEvent("cannot complete `verify`: the current step is `restart`"))
        }
        let replayed = try RunState.replay([
            Self.record(.runStarted(start), 0),
            Self.record(.stepCompleted(step: "ssh"), 1),
        ])
        var expected = started
        expected.steps[0].status = .done
        expected.path.append("ssh")
        expected.steps[0].completedAt = Self.at(1)
        expected.visits.append(Visit(step: "ssh", status: .done, at: Self.at(1), by: "dana"))
        expected.steps[0].completedBy = "dana"
        expected.steps[0].seconds = 1
        expected.currentSince = Self.at(1)
        expected.lastEventAt = Self.at(1)
        XCTAssertEqual(replayed, expected)
    }

    func testEventNames() {
        XCTAssertEqual(everyEvent.map(\.name), [
            "runStarted", "variableRecorded", "stepCompleted", "stepSkipped", "stepReopened", "noteAdded",
            "checkPassed", "checkFailed", "runPaused", "runResumed", "runCompleted", "runAbandoned",
        ])
    }
}

final class RunbookChangesTests: XCTestCase {
    private func step(_ id: String, _ digest: String = "1") -> StepRecord {
        StepRecord(id: id, title: id.uppercased(), place: "laptop", digest: "\(id)-\(digest)")
    }

    func testSameStepsMeanNoChange() {
        let changes = RunbookChanges(from: [step("a"), step("b")], to: [step("a"), step("b")])
        XCTAssertTrue(changes.isEmpty)
        XCTAssertEqual(changes.added, [])
        XCTAssertEqual(changes.removed, [])
        XCTAssertEqual(changes.changed, [])
        XCTAssertFalse(changes.reordered)
        XCTAssertEqual(changes.lines, [])
    }

    func testTitleAndPlaceAloneAreNoChangeOfContent() {
        // Only the digest says whether a step's content changed.
        let renamed = StepRecord(id: "a", title: "Renamed", place: "elsewhere", digest: "a-1")
        XCTAssertTrue(RunbookChanges(from: [step("a")], to: [renamed]).isEmpty)
    }

    func testAdded() {
        let changes = RunbookChanges(from: [step("a"), step("b")], to: [step("a"), step("x"), step("b")])
        XCTAssertEqual(changes.added, [step("x")])
        XCTAssertEqual(changes.removed, [])
        XCTAssertEqual(changes.changed, [])
        XCTAssertFalse(changes.reordered)
        XCTAssertFalse(changes.isEmpty)
        XCTAssertEqual(changes.lines, ["  added: x (X)"])
    }

    func testRemoved() {
        let changes = RunbookChanges(from: [step("a"), step("b"), step("c")], to: [step("a"), step("c")])
        XCTAssertEqual(changes.removed, [step("b")])
        XCTAssertEqual(changes.added, [])
        XCTAssertFalse(changes.reordered)
        XCTAssertEqual(changes.lines, ["  removed: b (B)"])
    }

    func testChanged() {
        let changes = RunbookChanges(from: [step("a"), step("b")], to: [step("a", "2"), step("b")])
        XCTAssertEqual(changes.changed, [step("a", "2")])
        XCTAssertEqual(changes.added, [])
        XCTAssertEqual(changes.removed, [])
        XCTAssertFalse(changes.reordered)
        XCTAssertEqual(changes.lines, ["  changed: a (A)"])
    }

    func testReordered() {
        let changes = RunbookChanges(from: [step("a"), step("b"), step("c")], to: [step("a"), step("c"), step("b")])
        XCTAssertTrue(changes.reordered)
        XCTAssertEqual(changes.added, [])
        XCTAssertEqual(changes.removed, [])
        XCTAssertEqual(changes.changed, [])
        XCTAssertFalse(changes.isEmpty)
        XCTAssertEqual(changes.lines, ["  reordered: the steps stand in another order"])
    }

    func testReorderIgnoresAddedAndRemovedSteps() {
        let kept = RunbookChanges(from: [step("a"), step("b"), step("c")], to: [step("x"), step("a"), step("c")])
        XCTAssertFalse(kept.reordered)
        let swapped = RunbookChanges(from: [step("a"), step("b"), step("c")], to: [step("c"), step("a")])
        XCTAssertTrue(swapped.reordered)
    }

    func testEverythingAtOnce() {
        let changes = RunbookChanges(
            from: [step("a"), step("b"), step("c"), step("d")],
            to: [step("c", "2"), step("e"), step("a"), step("f"), step("d", "2")])
        XCTAssertEqual(changes.added, [step("e"), step("f")])
        XCTAssertEqual(changes.removed, [step("b")])
        XCTAssertEqual(changes.changed, [step("c", "2"), step("d", "2")])
        XCTAssertTrue(changes.reordered)
        XCTAssertEqual(changes.lines, [
            "  added: e (E), f (F)",
            "  removed: b (B)",
            "  changed: c (C), d (D)",
            "  reordered: the steps stand in another order",
        ])
    }
}
