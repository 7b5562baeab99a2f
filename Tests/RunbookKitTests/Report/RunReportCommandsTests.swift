import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// `commandRan` (issue 16): the reducer keeps each command runbook ran; the report shows them, never output.
final class RunReportCommandsTests: XCTestCase {
    private static func record(_ event: RunEvent, _ n: Double) -> EventRecord {
        EventRecord(event, at: Date(timeIntervalSince1970: 1_800_000_000 + n), timeZone: "UTC", operatorName: "dana", host: "laptop-7")
    }

    private static let start = record(.runStarted(RunStart(
        run: "t1", runbook: "smt", path: "runbooks/smt.md", title: "Token test", runbookDigest: "rd",
        steps: [StepRecord(id: "test", title: "Run the token test", place: "droplet", digest: "d1"),
                StepRecord(id: "stub", title: "Call the stub", place: "laptop", digest: "d2")])), 0)

    private func state() throws -> RunState {
        try RunState.replay([
            Self.start,
            Self.record(.commandRan(step: "test", status: 255, seconds: 12, via: "deploy@intelliwatt-smt-proxy"), 20),
            Self.record(.commandRan(step: "test", status: 0, seconds: 3, via: "deploy@intelliwatt-smt-proxy"), 40),
            Self.record(.stepCompleted(step: "test"), 50),
            Self.record(.commandRan(step: "stub", status: 0, seconds: 0, via: nil), 60),
        ])
    }

    func testTheReducerKeepsEachCommandAndRefusesOneForAnotherStep() throws {
        var state = try state()
        XCTAssertEqual(state.commands.map(\.status), [255, 0, 0])
        XCTAssertEqual(state.commands.last, CommandRecord(step: "stub", status: 0, seconds: 0, via: nil,
                                                          at: Date(timeIntervalSince1970: 1_800_000_060), by: "dana"))
        let before = state
        XCTAssertThrowsError(try state.apply(Self.record(.commandRan(step: "test", status: 0, seconds: 1, via: nil), 70)))
        XCTAssertThrowsError(try state.apply(Self.record(.commandRan(step: "stub", status: 300, seconds: 1, via: nil), 70)))
        XCTAssertEqual(state, before)
    }

    func testTheReportListsTheCommandsInMarkdownAndJSON() throws {
        let state = try state()
        let markdown = RunReport.markdown(state)
        XCTAssertTrue(markdown.contains("""
            ## Commands runbook ran

            - 2027-01-15 08:00:20 UTC dana: Step 1 (Run the token test) over ssh on deploy@intelliwatt-smt-proxy: exit status 255 after 12 s
            - 2027-01-15 08:00:40 UTC dana: Step 1 (Run the token test) over ssh on deploy@intelliwatt-smt-proxy: exit status 0 after 3 s
            - 2027-01-15 08:01:00 UTC dana: Step 2 (Call the stub) on the operator's machine: exit status 0 after 0 s

            """), markdown)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(RunReport.json(state).utf8)) as? [String: Any])
        let commands = try XCTUnwrap(json["commands"] as? [[String: Any]])
        XCTAssertEqual(commands.count, 3)
        XCTAssertEqual(commands[0]["step"] as? String, "test")
        XCTAssertEqual(commands[0]["status"] as? Int, 255)
        XCTAssertEqual(commands[0]["seconds"] as? Int, 12)
        XCTAssertEqual(commands[0]["via"] as? String, "deploy@intelliwatt-smt-proxy")
        XCTAssertEqual(commands[0]["operator"] as? String, "dana")
        XCTAssertEqual(commands[0]["at"] as? String, "2027-01-15T08:00:20.000Z")
        XCTAssertTrue(commands[2]["via"] is NSNull)
    }
}
