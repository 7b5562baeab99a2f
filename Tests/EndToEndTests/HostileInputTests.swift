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

    // MARK: A tampered log

    /// A run paused after its first step, then its log edited by hand in three ways.
    private func tamperedRuns(_ sandbox: Sandbox) throws -> [(run: String, problem: String)] {
        try sandbox.write("three.md", Fixture.threeSteps)
        var tampered: [(String, String)] = []
        for (run, edit, problem) in [
            ("changed", { (lines: inout [String]) in lines[1] = lines[1].replacingOccurrences(of: "127.0.0.1:9", with: "127.0.0.1:8") },
             "line 2 was changed: line 3 records another hash for it"),
            ("inserted", { (lines: inout [String]) in lines.insert(lines[1], at: 2) }, "line 3 is numbered 2: a line was inserted before it"),
            ("removed", { (lines: inout [String]) in lines.remove(at: 1) }, "line 2 is numbered 3: 1 line(s) were removed before it"),
        ] as [(String, (inout [String]) -> Void, String)] {
            let paused = try sandbox.run(["start", "three", "--run", run], input: "done\n")
            XCTAssertEqual(paused.status, 3, paused.stderr)
            var lines = try sandbox.logLines(run)
            edit(&lines)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: sandbox.log(run))
            tampered.append((run, problem))
        }
        return tampered
    }

    func testATamperedLogIsReadOnlyForResumeAndAbandon() throws {
        let sandbox = try Sandbox()
        for (run, problem) in try tamperedRuns(sandbox) {
            let verify = try sandbox.run(["verify", run])
            XCTAssertEqual(verify.status, 1)
            assertOneErrorLine(verify, containing: [problem])
            let before = try sandbox.logData(run)
            for arguments in [["resume", run], ["abandon", run, "--reason", "cleanup"]] {
                let refused = try sandbox.run(arguments, input: "done\ndone\n")
                XCTAssertEqual(refused.status, 1, "\(arguments): \(refused.stdout)")
                assertOneErrorLine(refused, containing: [sandbox.log(run).path, problem, "read-only"])
                XCTAssertEqual(refused.stdout, "", "\(arguments)")
                XCTAssertEqual(try sandbox.logData(run), before, "\(arguments) changed a tampered log")
            }
        }
    }

    func testStatusAndReportSayATamperedLogIsBrokenOnTheirFirstLine() throws {
        let sandbox = try Sandbox()
        for (run, problem) in try tamperedRuns(sandbox) {
            for arguments in [["status", run], ["report", run]] {
                let shown = try sandbox.run(arguments)
                XCTAssertEqual(shown.status, 1, "\(arguments)")
                let first = shown.outputLines.first ?? ""
                XCTAssertTrue(first.hasPrefix("BROKEN LOG: \(sandbox.log(run).path): \(problem)"), "\(arguments): \(first)")
            }
            for arguments in [["status", run, "--json"], ["report", run, "--format", "json"]] {
                let shown = try sandbox.run(arguments)
                XCTAssertEqual(shown.status, 1, "\(arguments)")
                assertOneErrorLine(shown, containing: [problem])
                XCTAssertNotNil(try json(shown.stdout), "\(arguments)")
            }
        }
        // Listings report them as errors, not as runs to resume.
        let runs = try sandbox.run(["runs", "--all"])
        XCTAssertEqual(runs.status, 1)
        XCTAssertEqual(runs.errorLines.count, 3, runs.stderr)
        XCTAssertTrue(runs.errorLines.allSatisfy { $0.contains("read-only") }, runs.stderr)
        let resume = try sandbox.run(["resume"])
        XCTAssertEqual(resume.status, 1)
        XCTAssertTrue(resume.stderr.contains("no unfinished run to resume"), resume.stderr)
    }
}
