import XCTest

/// A full disk, simulated with `ulimit -f`: writes past the limit fail with EFBIG, as with ENOSPC.
final class DiskFullTests: XCTestCase {
    func testAWriteThatFailsMidWalkStopsBeforeTheScreenMovesOnAndLosesNothing() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let limited = try sandbox.run(["start", "three", "--run", "r1"], input: "done\ndone\ndone\n", fileSizeLimit: 1536)

        XCTAssertEqual(limited.status, 1, limited.stdout + limited.stderr)
        let errors = limited.stderr.split(separator: "\n")
        XCTAssertEqual(errors.count, 1, limited.stderr)
        XCTAssertTrue(limited.stderr.contains("could not save progress"), limited.stderr)
        XCTAssertTrue(limited.stderr.contains("runbook resume r1"), limited.stderr)
        XCTAssertFalse(limited.stdout.contains("complete"), limited.stdout)
        XCTAssertFalse(limited.stdout.contains("Fatal error") || limited.stderr.contains("Fatal error"))

        // The screen confirmed exactly the steps that reached the disk, and the log is a clean chain.
        let text = try String(contentsOf: sandbox.log("r1"), encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("\n"))
        let saved = text.split(separator: "\n").filter { $0.contains(#""event":"stepCompleted""#) }.count
        XCTAssertEqual(limited.stdout.components(separatedBy: "✔ Done:").count - 1, saved)
        XCTAssertLessThan(saved, 3)
        XCTAssertEqual(try sandbox.run(["verify", "r1"]).status, 0)

        // Space again: the run goes on from the first step not saved.
        let answers = String(repeating: "done\n", count: 3 - saved)
        let resumed = try sandbox.run(["resume", "r1"], input: answers)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("Step \(saved + 1) of 3"), resumed.stdout)
        XCTAssertTrue(resumed.stdout.contains("Run r1 complete: 3 done"), resumed.stdout)
        XCTAssertEqual(try sandbox.run(["verify", "r1"]).status, 0)
    }

    func testAStartThatCannotWriteItsFirstEventLeavesNoRunBehind() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let limited = try sandbox.run(["start", "three", "--run", "r2"], input: "done\n", fileSizeLimit: 512)

        XCTAssertEqual(limited.status, 1)
        XCTAssertEqual(limited.stderr.split(separator: "\n").count, 1, limited.stderr)
        XCTAssertTrue(limited.stderr.contains("could not start run r2"), limited.stderr)
        XCTAssertTrue(limited.stderr.contains("nothing was recorded"), limited.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.log("r2").path))

        let again = try sandbox.run(["start", "three", "--run", "r2"], input: "done\ndone\ndone\n")
        XCTAssertEqual(again.status, 0, again.stderr)
    }
}
