import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// kill -9 at random moments of real walks: nothing acknowledged is ever lost (SPEC section 7).
final class CrashTests: XCTestCase {
    /// Fixed, so a failure replays; set RUNBOOK_CRASH_SEED to explore other schedules.
    static let seed: UInt64 = ProcessInfo.processInfo.environment["RUNBOOK_CRASH_SEED"].flatMap { UInt64($0) }
        ?? 0x5EED_C0FF_EE15_2024
    static let iterations = 60
    static let stepCount = 8

    static let eightSteps: String = {
        var text = """
        # Eight steps

        A runbook of eight plain steps for crash tests.

        """
        for number in 1...stepCount {
            text += """

            ## Task number \(number) {#s\(number)}
            Where: \(number % 3 == 0 ? "droplet intelliwatt-smt-proxy" : "PowerShell on your laptop")

            Do thing \(number).

            ```bash
            echo \(number)
            ```

            Expect: `\(number)`.

            """
        }
        return text
    }()

    func testKillNineAtRandomMomentsLosesNothingAcknowledged() throws {
        let seed = Self.seed
        let count = Self.stepCount
        var random = SplitMix64(seed: seed)
        let sandbox = try Sandbox()
        try sandbox.write("eight.md", Self.eightSteps)

        var run: String?
        var runNumber = 0
        var iterationsInRun = 0
        var completed = 0          // steps done in `run`, as its log says after the last kill
        var tornPending = false    // the log ends with a torn line that the next walk must cut
        var kills = 0, unconfirmedKills = 0, unconfirmedLanded = 0, tornSeen = 0, runsCompleted = 0

        for iteration in 0..<Self.iterations {
            if run == nil || iterationsInRun >= 10 {
                runNumber += 1
                run = "crash\(runNumber)"
                iterationsInRun = 0
                completed = 0
                tornPending = false
            }
            let name = run!
            let starting = iterationsInRun == 0
            iterationsInRun += 1
            let context = "seed \(seed) (RUNBOOK_CRASH_SEED), iteration \(iteration), run \(name)"

            let walk = try LiveWalk(sandbox, starting ? ["start", "eight", "--run", name] : ["resume", name])
            // Sometimes kill a resume before it even shows its step: at launch, lock or runResumed write.
            let early = !starting && !tornPending && random.next() % 8 == 0
            var sent = 0, acknowledged = 0
            if early {
                spin(microseconds: Int(random.next() % 3000))
            } else {
                let prompt = Self.prompt(completed + 1)
                guard walk.out.wait(for: prompt, timeout: 15) else {
                    walk.signal(SIGKILL)
                    walk.finish()
                    return XCTFail("\(context): no prompt \(prompt)\nstdout:\n\(walk.out.text)\nstderr:\n\(walk.err.text)")
                }
                let screen = walk.out.text
                // The walk goes on from exactly the first pending step.
                XCTAssertEqual(firstStepShown(screen), completed + 1, "\(context): wrong step shown\n\(screen)")
                if tornPending {
                    // Standard error has its own reader: give it a moment to catch up with standard output.
                    XCTAssertTrue(walk.err.wait(for: "cut off a torn last line", timeout: 5),
                                  "\(context): the torn tail was not reported as cut: \(walk.err.text)")
                    tornPending = false
                }
                let remaining = count - completed
                let planned = Int(random.next() % UInt64(min(3, remaining) + 1))
                for index in 0..<planned {
                    guard walk.send("done\n") else { break }
                    sent += 1
                    // Sometimes kill right after the last `done`, to land in the middle of its write.
                    if index == planned - 1 && random.next() % 3 == 0 { break }
                    let target = acknowledged + 1
                    guard walk.out.wait(timeout: 10, until: { $0.count(of: "✔ Done:") >= target }) else {
                        walk.signal(SIGKILL)
                        walk.finish()
                        return XCTFail("\(context): `done` #\(target) not confirmed\nstdout:\n\(walk.out.text)\nstderr:\n\(walk.err.text)")
                    }
                    acknowledged = target
                }
                spin(microseconds: Int(random.next() % 1500))
            }
            // Whatever the screen confirmed before the kill is acknowledged; read it before the kill lands.
            acknowledged = max(acknowledged, min(walk.out.text.count(of: "✔ Done:"), sent))
            walk.signal(SIGKILL)
            let end = walk.finish()
            kills += 1
            if sent > acknowledged { unconfirmedKills += 1 }
            if end.reason == .exit {
                // Only a walk that finished the run on its own exits before the kill.
                XCTAssertEqual(end.status, 0, "\(context): exited \(end.status) before the kill: \(walk.err.text)")
            } else {
                XCTAssertEqual(end.status, SIGKILL, "\(context)")
            }

            let bytes = try Data(contentsOf: sandbox.log(name))
            let torn = !bytes.isEmpty && bytes.last != 0x0A
            let statuses = try sandbox.stepStatuses(name)
            XCTAssertEqual(statuses.count, count, context)
            let done = statuses.count { $0 == "done" }
            XCTAssertTrue((completed + acknowledged)...(completed + sent) ~= done,
                          "\(context): \(done) steps done in the log; \(completed) before, \(acknowledged) acknowledged, \(sent) sent")
            XCTAssertEqual(statuses.prefix(done).allSatisfy { $0 == "done" } && statuses.dropFirst(done).allSatisfy { $0 == "pending" },
                           true, "\(context): steps \(statuses)")
            if sent > acknowledged && done == completed + sent { unconfirmedLanded += 1 }
            completed = done

            let verify = try sandbox.run(["verify", name])
            if torn {
                tornSeen += 1
                XCTAssertEqual(verify.status, 0, "\(context): verify of a torn log: \(verify.stderr)")
                XCTAssertTrue(verify.stdout.contains("never acknowledged"), "\(context): \(verify.stdout)")
                tornPending = true
            } else {
                XCTAssertEqual(verify.status, 0, "\(context): verify: \(verify.stderr)")
            }

            if completed == count {
                // All eight done: the run may have been killed before it recorded its end. Resuming finishes it.
                let resume = try sandbox.run(["resume", name])
                XCTAssertEqual(resume.status, 0, "\(context): resume of a finished run: \(resume.stdout) \(resume.stderr)")
                let verify = try sandbox.run(["verify", name])
                XCTAssertEqual(verify.status, 0, "\(context): verify: \(verify.stderr)")
                XCTAssertEqual(try sandbox.statusJSON(name)["status"] as? String, "completed", context)
                runsCompleted += 1
                run = nil
            } else if !tornPending && random.next() % 5 == 0 {
                // A power loss mid-write leaves part of a line: the next walk must cut it off and say so.
                let partial = Data(#"{"at":"2026-01-01T00:00:00.000Z","event":"stepCompl"#.utf8)
                let handle = try FileHandle(forWritingTo: sandbox.log(name))
                try handle.seekToEnd()
                try handle.write(contentsOf: partial.prefix(1 + Int(random.next() % UInt64(partial.count))))
                try handle.close()
                let verify = try sandbox.run(["verify", name])
                XCTAssertEqual(verify.status, 0, "\(context): verify of a torn log whose chain holds: \(verify.stderr)")
                XCTAssertTrue(verify.stdout.contains("never acknowledged") && verify.stdout.contains("runbook resume \(name)"),
                              "\(context): \(verify.stdout)")
                XCTAssertEqual(try sandbox.stepStatuses(name).count { $0 == "done" }, completed,
                               "\(context): a torn line changed the state")
                tornPending = true
                tornSeen += 1
            }
        }
        // The last run left unfinished still resumes where it stopped and completes.
        if let run {
            let rest = String(repeating: "done\n", count: count - completed)
            let resume = try sandbox.run(["resume", run], input: rest)
            XCTAssertEqual(resume.status, 0, "seed \(seed): final resume: \(resume.stderr)")
            XCTAssertEqual(firstStepShown(resume.stdout), completed + 1, "seed \(seed): \(resume.stdout)")
            XCTAssertEqual(try sandbox.run(["verify", run]).status, 0, "seed \(seed)")
        }
        print("CrashTests: seed \(seed): \(kills) kills, \(unconfirmedKills) right after an unconfirmed done "
              + "(\(unconfirmedLanded) of those landed), \(tornSeen) torn tails, \(runsCompleted) runs walked to the end")
        XCTAssertGreaterThanOrEqual(kills, 50)
        XCTAssertGreaterThan(unconfirmedKills, 0, "seed \(seed): no kill landed right after an unconfirmed done")
        XCTAssertGreaterThan(tornSeen, 0, "seed \(seed): no torn tail was exercised")
        XCTAssertGreaterThan(runsCompleted, 0, "seed \(seed): no run was walked to its end")
    }

    /// The prompt at step `number`: its place, then its number.
    static func prompt(_ number: Int) -> String {
        Prompt.step(number, number % 3 == 0 ? "droplet intelliwatt-smt-proxy" : "PowerShell on your laptop")
    }

    /// The number K of the first "Step K of N" on a screen.
    private func firstStepShown(_ screen: String) -> Int? {
        guard let range = screen.range(of: "Step ") else { return nil }
        return Int(screen[range.upperBound...].prefix { $0.isNumber })
    }

    /// A short busy wait (a few milliseconds at most) that moves the kill to a random moment.
    private func spin(microseconds: Int) {
        let deadline = Date().addingTimeInterval(Double(microseconds) / 1_000_000)
        while Date() < deadline {}
    }
}
