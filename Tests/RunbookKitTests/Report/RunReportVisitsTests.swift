import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookRun
@testable import RunbookSupport

/// The report keeps every visit (SPEC 8): each pass of a retry loop, and choices `back` undid.
final class RunReportVisitsTests: XCTestCase {
    private static func record(_ event: RunEvent, _ n: Double) -> EventRecord {
        EventRecord(event, at: Date(timeIntervalSince1970: 1_800_000_000 + n), timeZone: "UTC", operatorName: "dana", host: "laptop-7")
    }

    /// RunPathTests' tree: 401, rotate, `again` (a loop), then `ok`, undone by back, then `timeout`.
    private func loopedRun() throws -> RunState {
        let events: [RunEvent] = [
            .runStarted(RunPathTests.start),
            .choiceMade(step: "triage", option: "401", target: "rotate", skipReason: nil, verdict: .failed),
            .noteAdded(step: "rotate", text: "rotated in the portal"),
            .stepCompleted(step: "rotate"),
            .choiceMade(step: "retest", option: "again", target: "triage", skipReason: nil),
            .choiceMade(step: "triage", option: "ok", target: "close", skipReason: nil),
            .stepReopened(step: "triage"),
            .choiceMade(step: "triage", option: "timeout", target: "whitelist", skipReason: nil),
        ]
        return try RunState.replay(events.enumerated().map { Self.record($1, Double($0 * 60)) })
    }

    func testMarkdownShowsEveryVisitInOrderAndNoWalkedStepOnlyAsBypassed() throws {
        let state = try loopedRun()
        XCTAssertEqual(state.steps.map(\.status), [.done, .bypassed, .bypassed, .pending, .pending])
        let markdown = RunReport.markdown(state)
        let visits = markdown.components(separatedBy: "## Visits\n\n")[1].components(separatedBy: "\n\n")[0]
        XCTAssertEqual(visits, """
            - 2027-01-15 08:01:00 UTC dana: Step 1 (Read the answer) done, `401` (the check failed)
            - 2027-01-15 08:03:00 UTC dana: Step 2 (Rotate the password) done
            - 2027-01-15 08:04:00 UTC dana: Step 3 (Test again) done, `again`
            - 2027-01-15 08:05:00 UTC dana: Step 1 (Read the answer) done, `ok`, undone by back
            - 2027-01-15 08:07:00 UTC dana: Step 1 (Read the answer) done, `timeout`, pass 2
            """)
        XCTAssertTrue(markdown.contains("| 2 | Rotate the password | SMT portal (browser) | bypassed (walked earlier) |")
                      || markdown.contains("| 2 | Rotate the password | SMT portal | bypassed (walked earlier) |"), markdown)
        XCTAssertTrue(markdown.contains("- Step 2 (Rotate the password): bypassed by the choice `timeout` at Read the answer; walked on an earlier pass"),
                      markdown)
    }

    func testJSONListsTheVisits() throws {
        let json = try XCTUnwrap(JSONValue.parse(RunReport.json(try loopedRun())))
        guard case .object(let report) = json, case .array(let visits)? = report["visits"] else { return XCTFail("\(json)") }
        XCTAssertEqual(visits.count, 5)
        XCTAssertEqual(visits[3], .object(["step": .string("triage"), "status": .string("done"), "option": .string("ok"),
                                           "undone": .bool(true), "at": .string("2027-01-15T08:05:00.000Z"),
                                           "operator": .string("dana"), "verdict": .null]))
        XCTAssertEqual(visits[0], .object(["step": .string("triage"), "status": .string("done"), "option": .string("401"),
                                           "undone": .bool(false), "at": .string("2027-01-15T08:01:00.000Z"),
                                           "operator": .string("dana"), "verdict": .string("failed")]))
    }

    func testMermaidDrawsLoopsAndUndoneChoices() throws {
        let chart = MermaidChart.run(try loopedRun())
        XCTAssertTrue(chart.contains("    s1[\"Read the answer<br/>droplet<br/>walked 2 times\"]\n"), chart)
        XCTAssertTrue(chart.contains("    class s2,s3 walked\n"), chart)
        XCTAssertFalse(chart.contains(" bypassed\n"), "every bypassed step was walked on an earlier pass: \(chart)")
        // Edges: 0 begin→s1; 1 ok, 2 401, 3 timeout; 4 s2→s3; 5 again, 6 fine; 7 s4→s5; 8 s5→end.
        XCTAssertTrue(chart.contains("    linkStyle 3 stroke:#15803d,stroke-width:3px\n"), chart)
        XCTAssertTrue(chart.contains("    linkStyle 2,5 stroke:#15803d,stroke-width:2px,stroke-dasharray:6 3\n"), chart)
        XCTAssertTrue(chart.contains("    linkStyle 1 stroke:#dc2626,stroke-width:1px,stroke-dasharray:2 2\n"), chart)
    }

    func testControlCharactersInNotesReasonsAndValuesAreEscaped() throws {
        let events: [RunEvent] = [
            .runStarted(RunPathTests.start),
            .variableRecorded(name: "HOST", value: "a\u{1B}]0;owned\u{07}b"),
            .noteAdded(step: "triage", text: "line one\n# Not a heading"),
            .choiceMade(step: "triage", option: "timeout", target: "whitelist", skipReason: "seen\r\u{1B}[2Jby Sam"),
            .runAbandoned(reason: "a\nb"),
        ]
        let records = events.enumerated().map { Self.record($1, Double($0)) }
        let markdown = RunReport.markdown(try RunState.replay(records), records: records)
        XCTAssertFalse(markdown.unicodeScalars.contains { $0.isControl && $0 != "\n" }, markdown)
        XCTAssertTrue(markdown.contains("- Status: **abandoned**: a\\nb\n"), markdown)
        XCTAssertTrue(markdown.contains("note by dana at 2027-01-15 08:00:02 UTC: line one\\n# Not a heading\n"), markdown)
        XCTAssertFalse(markdown.contains("\n# Not a heading"), markdown)
        XCTAssertTrue(markdown.contains("HOST = a\\u{1B}]0;owned\\u{7}b"), markdown)
        XCTAssertTrue(markdown.contains("seen\\r\\u{1B}[2Jby Sam"), markdown)
    }
}
