import Foundation
import XCTest

/// The defects that thousands of hostile inputs found (issue 7), each kept found, through the built binary.
final class HostileInputTests: XCTestCase {
    // MARK: An interrupted start

    func testALogLeftEmptyByAKilledStartIsNoRunAndItsNameCanBeUsedAgain() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        // What `kill -9` in a start's first milliseconds left before: an empty log, or a first line cut short.
        try FileManager.default.createDirectory(at: sandbox.state.appendingPathComponent("runs"), withIntermediateDirectories: true)
        try Data().write(to: sandbox.log("x"))
        try Data(#"{"at":"2026-"#.utf8).write(to: sandbox.log("y"))

        for arguments in [["runs", "--all"], ["runs"], ["status"]] {
            let listed = try sandbox.run(arguments)
            XCTAssertEqual(listed.status, 0, "\(arguments): \(listed.stderr)")
            XCTAssertEqual(listed.stderr, "", "\(arguments)")
            XCTAssertFalse(listed.stdout.contains("x  "), listed.stdout)
        }
        for arguments in [["status", "x"], ["report", "x"], ["verify", "x"], ["resume", "x"], ["abandon", "x", "--reason", "r"]] {
            let refused = try sandbox.run(arguments)
            XCTAssertEqual(refused.status, 1, "\(arguments)")
            assertOneErrorLine(refused, containing: ["no run named x", "holds no complete event", "runbook start RUNBOOK --run x"])
            XCTAssertEqual(try sandbox.logData("x").count, 0, "\(arguments) wrote to the log")
        }
        for run in ["x", "y"] {
            let started = try sandbox.run(["start", "three", "--run", run], input: "done\ndone\ndone\n")
            XCTAssertEqual(started.status, 0, started.stderr)
            XCTAssertEqual(try sandbox.events(run).first, "runStarted")
            XCTAssertEqual(try sandbox.run(["verify", run]).status, 0)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sandbox.state.appendingPathComponent("runs").path)
                        .filter { !$0.hasSuffix(".lock") }.sorted(), ["x.jsonl", "y.jsonl"])
    }

    func testAStartStoppedAtItsFirstQuestionHasItsFirstEventOnDisk() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        // Input ends at once: the run is paused, and its log begins with runStarted; no hidden file is left.
        let paused = try sandbox.run(["start", "three", "--run", "r1"])
        XCTAssertEqual(paused.status, 3, paused.stderr)
        XCTAssertEqual(try sandbox.events("r1").first, "runStarted")
        let files = try FileManager.default.contentsOfDirectory(atPath: sandbox.state.appendingPathComponent("runs").path)
        XCTAssertEqual(files.sorted(), ["r1.jsonl", "r1.lock"])
    }
}
