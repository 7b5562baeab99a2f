import Foundation
import XCTest

/// Where runbook finds runbooks and runs: the nearest `runbooks/` upwards, a run's own file from any
/// folder, and the nearest name for a mistyped one.
final class RunbooksFolderTests: XCTestCase {
    func testAPausedRunResumesFromTheRootFolder() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let first = try sandbox.run(["start", "three", "--run", "r1"], input: "done\n")
        XCTAssertEqual(first.status, 3, first.stderr)
        XCTAssertTrue(first.stderr.contains("Resume with: runbook resume r1"), first.stderr)

        let resumed = try sandbox.run(["resume", "r1"], input: "done\ndone\n", folder: URL(fileURLWithPath: "/"))

        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(resumed.stderr, "")
        XCTAssertTrue(resumed.stdout.contains("Resuming run r1: Three steps, 1 of 3 steps behind you."), resumed.stdout)
        XCTAssertTrue(resumed.stdout.contains("Run r1 complete: 3 done, 0 skipped"), resumed.stdout)
    }

    func testTheFirstEventRecordsTheRunbooksWholePath() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "r1"], input: "quit\n").status, 3)

        let first = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try sandbox.logLines("r1")[0].utf8)) as? [String: Any])
        let data = try XCTUnwrap(first["data"] as? [String: Any] ?? first["runStarted"] as? [String: Any] ?? Optional(first))
        let path = try XCTUnwrap(Self.find("path", in: data) as? String, "\(first)")
        XCTAssertEqual(path, sandbox.runbooks.appendingPathComponent("three.md").resolvingSymlinksInPath().path)
    }

    func testAStartFromASubfolderFindsTheRunbooksFolderAbove() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let deep = sandbox.root.appendingPathComponent("services/api")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)

        let started = try sandbox.run(["start", "three", "--run", "r1"], input: "done\ndone\ndone\n", folder: deep)
        XCTAssertEqual(started.status, 0, started.stderr)
        XCTAssertTrue(started.stdout.contains("Run r1 complete: 3 done, 0 skipped"), started.stdout)

        let list = try sandbox.run(["list"], folder: deep)
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("three"), list.stdout)
        let shown = try sandbox.run(["show", "three", "--json"], folder: deep)
        XCTAssertTrue(shown.stdout.contains(#""path" : "../../runbooks/three.md""#), shown.stdout)
    }

    func testAnExplicitFolderWinsOverTheNearestOne() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let other = sandbox.root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)

        let shown = try sandbox.run(["show", "three"], env: ["RUNBOOK_DIR": other.path])

        XCTAssertEqual(shown.status, 1)
        assertOneErrorLine(shown, containing: ["no runbook `three` in \(other.path)"])
    }

    func testAMistypedRunOrRunbookSuggestsTheNearest() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "inc-4411"], input: "quit\n").status, 3)

        for command in [["resume", "inc-441"], ["report", "inc-441"], ["status", "inc-441"], ["verify", "inc-441"]] {
            let result = try sandbox.run(command, input: "quit\n")
            XCTAssertEqual(result.status, 1, "\(command): \(result.stdout)")
            assertOneErrorLine(result, containing: ["no run named inc-441; did you mean inc-4411?"])
        }
        let start = try sandbox.run(["start", "thre"])
        XCTAssertEqual(start.status, 1)
        assertOneErrorLine(start, containing: ["no runbook `thre` in runbooks; did you mean `three`?"])
    }

    func testReportWithoutARunReportsTheMostRecentRun() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let none = try sandbox.run(["report"])
        XCTAssertEqual(none.status, 1)
        assertOneErrorLine(none, containing: ["no run to report yet", "runbook start RUNBOOK"])

        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "older"], input: "done\ndone\ndone\n").status, 0)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "newer"], input: "done\nquit\n").status, 3)

        let report = try sandbox.run(["report"])

        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertEqual(report.stdout, try sandbox.run(["report", "newer"]).stdout)
        XCTAssertTrue(report.stdout.contains("newer"), report.stdout)
    }

    private static func find(_ key: String, in object: Any) -> Any? {
        if let dictionary = object as? [String: Any] {
            if let value = dictionary[key] { return value }
            for value in dictionary.values { if let found = find(key, in: value) { return found } }
        }
        return nil
    }
}
