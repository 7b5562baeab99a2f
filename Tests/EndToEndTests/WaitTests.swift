import Foundation
import XCTest

/// `Wait:` through the built binary (SPEC 11): from a pipe, a poll against a file that appears, and a
/// countdown on a terminal ended early by Enter.
final class WaitTests: XCTestCase {
    static func runbook(flag: String) -> String {
        """
        # Redeploy

        ## Start the redeploy {#start}
        Where: laptop

        Wait: 1s

        Expect: started.

        ## Wait for the flag {#flag}
        Where: laptop

        Wait: up to 20s every 1s

        ```sh check
        test -f '\(flag)'
        ```

        Expect: the flag is there.

        """
    }

    func testFromAPipeAWaitIsOneLineAndAPollPassesOnceTheFileAppears() throws {
        let sandbox = try Sandbox()
        let flag = sandbox.root.appendingPathComponent("flag").path
        _ = try sandbox.write("redeploy.md", Self.runbook(flag: flag))
        // The file appears after the first try: the second (or a later) one passes.
        DispatchQueue.global().asyncAfter(deadline: .now() + 2.5) { FileManager.default.createFile(atPath: flag, contents: Data()) }
        let began = Date()
        let result = try sandbox.run(["start", "redeploy", "--run", "w1"], input: "done\ndone\n")
        XCTAssertEqual(result.status, 0, result.all)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(began), 3, "it waited 1 s, then polled until the file appeared")
        XCTAssertTrue(result.stdout.contains("\nWaiting 1s before this step. Enter or Ctrl-C stops waiting.\nWaited 1s.\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Waiting up to 20s for the check to pass, trying it every 1s. Enter or Ctrl-C stops waiting.\n✔ Check passed"), result.stdout)
        XCTAssertFalse(result.stdout.contains("\r"), "no countdown in a pipe")
        XCTAssertEqual(try sandbox.events("w1"), ["runStarted", "waitStarted", "waitEnded", "stepCompleted", "waitStarted", "checkPassed",
                                                  "waitEnded", "checkPassed", "stepCompleted", "runCompleted"])
        XCTAssertTrue(sandbox.text(sandbox.log("w1")).contains(#""event":"waitEnded","host""#))
        XCTAssertTrue(sandbox.text(sandbox.log("w1")).contains(#""reason":"checkPassed""#))
        XCTAssertEqual(try sandbox.run(["verify", "w1"]).status, 0)
    }

    func testOnATerminalTheCountdownIsOneLineAndEnterEndsItEarly() throws {
        let sandbox = try Sandbox()
        _ = try sandbox.write("pause.md", """
            # Pause

            ## Let it settle {#settle}
            Where: laptop

            Wait: 10m

            Expect: settled.

            """)
        let session = try TmuxSession(command: sandbox.terminalCommand(["start", "pause", "--run", "t1"]))
        defer { session.close() }
        var seen = session.wait(for: "left (Enter or Ctrl-C stops waiting)")
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("Waiting: 10 min 0 s left") || seen.screen.contains("Waiting: 9 min 59 s left"), seen.screen)
        session.key("Enter")
        seen = session.wait(for: Prompt.step(1, "laptop"))
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("The wait ended early (Enter) after "), seen.screen)
        XCTAssertFalse(seen.screen.contains("left (Enter or Ctrl-C stops waiting)"), "the countdown line is cleared: " + seen.screen)
        session.type("quit")
        XCTAssertEqual(session.exitStatus(), 3, session.screen())
        XCTAssertEqual(try sandbox.events("t1"), ["runStarted", "waitStarted", "waitEnded", "runPaused"])
        XCTAssertTrue(sandbox.text(sandbox.log("t1")).contains(#""reason":"ended""#))
    }
}
