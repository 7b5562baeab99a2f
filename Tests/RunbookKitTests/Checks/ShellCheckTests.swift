import Dispatch
import RunbookKit
import RunbookModel
import RunbookSupport
import XCTest

/// `sh check` through the live runner: the real `/bin/sh`, in a process group of its own.
final class ShellCheckTests: XCTestCase {
    private let runner = LiveCheckRunner()

    func testExitZeroPassesAndAnyOtherStatusFailsWithTheLastLine() {
        XCTAssertEqual(runner.shell("test \"$V\" = value", environment: ["V": "value"], timeout: 10).shown, .pass("passed: sh exited 0"))
        XCTAssertEqual(runner.shell("echo first; echo 'no token' >&2; exit 4", environment: [:], timeout: 10).shown,
                       .fail("the sh check exited 4: no token", recorded: "the sh check exited 4"))
    }

    func testAValueHoldingANULIsRefusedWithOneLineNotCutShort() {
        // Cut at the NUL, `a\0b` would reach the shell as `a`, and this check would pass.
        XCTAssertEqual(runner.shell("test \"$V\" = a", environment: ["V": "a\u{0}b"], timeout: 10).shown,
                       .fail("the value of V holds a NUL character, which a shell cannot be given; set V again"))
    }

    func testAnShCheckStoppedByCtrlCFailsSayingSo() {
        let result = Locked<CheckResult?>(nil)
        let done = DispatchSemaphore(value: 0)
        System.startThread { [runner] in
            result.current = runner.shell("sleep 30", environment: [:], timeout: 30)
            done.signal()
        }
        for _ in 0..<500 where RunningChildren.groups.isEmpty { usleep(10_000) }
        RunningChildren.interruptRunning()
        XCTAssertEqual(done.wait(timeout: .now() + 3), .success)
        XCTAssertEqual(result.current?.shown, .fail("the sh check was stopped (Ctrl-C)"))
    }

    func testATimedOutShCheckSaysSoWithinASecondOfItsLimit() {
        XCTAssertEqual(runner.shell("sleep 30", environment: [:], timeout: 0.2).shown,
                       .fail("the sh check did not finish within 0.2 s (timed out)"))
    }
}
