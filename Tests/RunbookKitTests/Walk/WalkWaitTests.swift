import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// `Wait:` (SPEC 11): parsing, lint, the reducer and whole walks with a clock that stands still.
final class WalkWaitTests: XCTestCase {
    static let person = WalkerTests.person
    static let rule = WalkerTests.rule
    static let now = WalkerTests.now

    static let redeploy = RunbookParser.parse(source: """
        # Redeploy

        ## Start the redeploy {#start}
        Where: laptop

        Wait: 5m

        Expect: started.

        ## Wait for the service {#up}
        Where: laptop

        Wait: up to 10m every 30s

        ```sh check
        test -f /tmp/up
        ```

        Expect: up.
        """, id: "redeploy", path: "runbooks/redeploy.md")

    // MARK: Parsing and lint

    func testAWaitReadsSecondsMinutesHoursAndPolling() {
        let at = SourceLocation(line: 1, column: 1)
        XCTAssertEqual(try Wait.parse("30s", at: at).get(), Wait(seconds: 30, location: at))
        XCTAssertEqual(try Wait.parse("5m", at: at).get(), Wait(seconds: 300, location: at))
        XCTAssertEqual(try Wait.parse("1h", at: at).get(), Wait(seconds: 3600, location: at))
        XCTAssertEqual(try Wait.parse("up to 10m every 30s", at: at).get(), Wait(seconds: 600, every: 30, location: at))
        XCTAssertEqual(try Wait.parse("Up To 10M Every 30S", at: at).get().written, "up to 10m every 30s")
        for bad in ["5", "five minutes", "0s", "2d", "25h", "-1m", "up to 10m", "up to 30s every 1m", "5m 30s"] {
            XCTAssertThrowsError(try Wait.parse(bad, at: at).get(), bad)
        }
        XCTAssertEqual(Self.redeploy.steps.map { $0.wait?.written }, ["5m", "up to 10m every 30s"])
    }

    func testLintRefusesAMalformedWaitASecondOneAndPollingWithoutACheckRunbookRuns() {
        XCTAssertLint(WaitRule(), """
            # Waits

            ## Bad {#bad}
            Where: here

            0️⃣Wait: five minutes
            Expect: x.

            ## Twice {#twice}
            Where: here

            Wait: 1m
            1️⃣Wait: 2m
            Expect: x.

            ## No check {#none}
            Where: here

            2️⃣Wait: up to 10m every 30s
            Expect: x.

            ## Paste {#paste}
            Where: here

            3️⃣Wait: up to 10m every 30s

            ```paste check
            expect body contains "ok"
            ```

            Expect: x.
            """, findings: [
                FindingSpec("0️⃣", message: "a wait is written Wait: 5m (or 30s, 1h), or Wait: up to 10m every 30s, not `Wait: five minutes`"),
                FindingSpec("1️⃣", message: "step \"Twice\" has 2 Wait: lines; keep one"),
                FindingSpec("2️⃣", message: "step \"No check\" waits up to 10m for a check it does not have; give it an http or sh check, or write Wait: 10m"),
                FindingSpec("3️⃣", message: "step \"Paste\" polls a paste check, which only the operator can answer; write Wait: 10m, or give it an http or sh check"),
            ])
    }

    // MARK: Walks

    var console = ScriptedConsole([ConsoleRead]())
    var sink = MemorySink()

    func walk(_ input: [ConsoleRead], waits: [WaitEnd] = [], checks: FakeChecks = FakeChecks(), after events: [RunEvent] = []) throws -> WalkOutcome {
        console = ScriptedConsole(input, interactive: false)
        console.waitEnds = waits
        let start = Self.person.record(.runStarted(RunStart(run: "r1", runbook: Self.redeploy)))
        let state = try RunState.replay([start] + events.map { Self.person.record($0) })
        let walker = Walker(runbook: Self.redeploy, state: state, sink: sink, console: console, style: Style(enabled: false),
                            person: Self.person, checks: checks)
        let outcome = walker.walk()
        XCTAssertEqual(console.input, [], "the whole script was read")
        return outcome
    }

    func testAWaitComesBeforeThePromptAndAPollPassesOnTheSecondTry() throws {
        let checks = FakeChecks([.fail("exit status 1"), .pass("sh exited 0")])
        XCTAssertEqual(try walk(["done", "quit"], checks: checks), .paused)
        XCTAssertEqual(sink.events, [
            .waitStarted(step: "start", seconds: 300), .waitEnded(step: "start", how: .elapsed), .stepCompleted(step: "start"),
            .waitStarted(step: "up", seconds: 600), .checkPassed(step: "up"), .waitEnded(step: "up", how: .checkPassed),
            .runPaused(reason: .quit),
        ])
        // The deadlines: 5 minutes; then each try 30 s apart, counted from the clock (which stands still here).
        XCTAssertEqual(console.waits, [Self.now + 300, Self.now + 30, Self.now + 60])
        XCTAssertEqual(checks.scripts.count, 2)
        assertTranscript(console.output, """
            \(Self.rule)
            Step 1 of 2 · 0 done, 2 left on this path
            WHERE: laptop
            Start the redeploy

            Expect: started.

            Waiting 5m before this step. Enter or Ctrl-C stops waiting.
            Waited 5m.

            Type done when the step is done, or: skip REASON, back, note TEXT, quit, help.
            laptop · step 1> done
            ✔ Done: Start the redeploy

            \(Self.rule)
            Step 2 of 2 · 1 done, 1 left on this path
            WHERE: laptop
            Wait for the service

            Expect: up.

            Check: sh `test -f /tmp/up`: exit status 0

            Waiting up to 10m for the check to pass, trying it every 30s. Enter or Ctrl-C stops waiting.
            ✔ Check passed (sh exited 0)
            The wait ended after 0 s: the check passed.

            Type done when the step is done, or: skip REASON, back, note TEXT, check, quit, help.
            laptop · step 2> quit

            Paused at step 2 (Wait for the service); progress is saved. Resume with: runbook resume r1

            """)
    }

    func testEnterEndsAWaitEarlyAndThatIsRecorded() throws {
        XCTAssertEqual(try walk(["quit"], waits: [.ended]), .paused)
        XCTAssertEqual(sink.events, [.waitStarted(step: "start", seconds: 300), .waitEnded(step: "start", how: .ended), .runPaused(reason: .quit)])
        XCTAssertTrue(console.output.contains("The wait ended early (Enter) after 0 s.\n"), console.output)
    }

    func testAResumedWalkCountsFromTheRecordedStartOfTheWait() throws {
        // The wait began at the start (this clock stands still): resumed, it ends at the same deadline, not 5 minutes later.
        let events: [RunEvent] = [.waitStarted(step: "start", seconds: 300), .runPaused(reason: .interrupted),
                                  .runResumed(runbookDigest: Self.redeploy.digest, steps: Self.redeploy.steps.map(StepRecord.init))]
        XCTAssertEqual(try walk(["quit"], after: events), .paused)
        XCTAssertEqual(console.waits, [Self.now + 300])
        XCTAssertEqual(sink.events, [.waitEnded(step: "start", how: .elapsed), .runPaused(reason: .quit)])
        XCTAssertTrue(console.output.contains("Waiting again: 5 min 0 s left of 5m, counted from when the wait began."), console.output)
        // A wait that ended is not waited again on resume.
        let ended = events + [.waitEnded(step: "start", how: .interrupted)]
        sink = MemorySink()
        XCTAssertEqual(try walk(["quit"], after: ended), .paused)
        XCTAssertEqual(console.waits, [])
    }

    func testTheReducerKeepsTheWaitOfThisPassOnly() throws {
        var state = try RunState(starting: Self.person.record(.runStarted(RunStart(run: "r1", runbook: Self.redeploy))))
        XCTAssertThrowsError(try state.apply(Self.person.record(.waitEnded(step: "start", how: .elapsed))), "no wait under way")
        XCTAssertThrowsError(try state.apply(Self.person.record(.waitStarted(step: "up", seconds: 30))), "not the current step")
        try state.apply(Self.person.record(.waitStarted(step: "start", seconds: 300)))
        XCTAssertEqual(state.steps[0].waitStarted?.at, Self.now)
        try state.apply(Self.person.record(.waitEnded(step: "start", how: .ended)))
        XCTAssertEqual(state.steps[0].waitEnded, .ended)
        XCTAssertThrowsError(try state.apply(Self.person.record(.waitEnded(step: "start", how: .ended))), "ended already")
        try state.apply(Self.person.record(.stepCompleted(step: "start")))
        XCTAssertNil(state.steps[0].waitStarted, "a later pass waits again")
        XCTAssertNil(state.steps[0].waitEnded)
    }
}
