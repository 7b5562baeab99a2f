import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// The report of a run, as JSON and as Markdown, from a state built by replaying events.
final class RunReportTests: XCTestCase {
    private static func at(_ n: Double) -> Date { Date(timeIntervalSince1970: 1_800_000_000 + n) }

    private static func record(_ event: RunEvent, _ n: Double, by name: String = "dana") -> EventRecord {
        EventRecord(event, at: at(n), timeZone: "Europe/Paris", operatorName: name, host: "laptop-7")
    }

    private static let steps = [
        StepRecord(id: "ssh", title: "SSH to the droplet", place: "PowerShell on your laptop", digest: "d1"),
        StepRecord(id: "restart", title: "Restart | reload", place: "droplet smt-proxy", digest: "d2"),
        StepRecord(id: "verify", title: "Verify the token", place: "PowerShell on your laptop", digest: "d3"),
    ]

    private static let start = record(.runStarted(RunStart(
        run: "smt-20270115-080000", runbook: "smt", path: "runbooks/smt.md", title: "Rotate the SMT token",
        runbookDigest: "rd", steps: steps)), 0)

    /// ssh done after a passed check and with a note; restart skipped by sam; verify pending after a failed check.
    private func activeRun() throws -> RunState {
        try RunState.replay([
            Self.start,
            Self.record(.variableRecorded(name: "BASE_URL", value: "https://intelliwatt.com"), 1),
            Self.record(.noteAdded(step: "ssh", text: "used the bastion"), 10),
            Self.record(.checkPassed(step: "ssh"), 20),
            Self.record(.stepCompleted(step: "ssh"), 30),
            Self.record(.stepSkipped(step: "restart", reason: "already restarted by the deploy"), 95, by: "sam"),
            Self.record(.checkFailed(step: "verify", reason: "expected status 501, got 200"), 100),
        ])
    }

    private func object(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], file: file, line: line)
    }

    // MARK: JSON

    func testJSONReportOfAnActiveRun() throws {
        let report = try object(RunReport.json(try activeRun()))
        for key in ["run", "runbook", "title", "status", "startedAt", "operator", "steps"] {
            XCTAssertNotNil(report[key], "missing key \(key)")
        }
        XCTAssertEqual(report["run"] as? String, "smt-20270115-080000")
        XCTAssertEqual(report["runbook"] as? String, "smt")
        XCTAssertEqual(report["title"] as? String, "Rotate the SMT token")
        XCTAssertEqual(report["status"] as? String, "active")
        XCTAssertEqual(report["startedAt"] as? String, "2027-01-15T08:00:00.000Z")
        XCTAssertEqual(report["operator"] as? String, "dana")
        XCTAssertEqual(report["host"] as? String, "laptop-7")
        XCTAssertEqual(report["timeZone"] as? String, "Europe/Paris")
        XCTAssertEqual(report["path"] as? String, "runbooks/smt.md")
        XCTAssertEqual(report["current"] as? String, "verify")
        XCTAssertTrue(report["endedAt"] is NSNull)
        XCTAssertTrue(report["abandonReason"] is NSNull)
        XCTAssertEqual(report["variables"] as? [String: String], ["BASE_URL": "https://intelliwatt.com"])

        let steps = try XCTUnwrap(report["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.count, 3)
        for step in steps {
            for key in ["id", "title", "where", "status", "completedAt", "reason", "notes", "check"] {
                XCTAssertTrue(step.keys.contains(key), "a step lacks key \(key)")
            }
        }

        XCTAssertEqual(steps[0]["id"] as? String, "ssh")
        XCTAssertEqual(steps[0]["title"] as? String, "SSH to the droplet")
        XCTAssertEqual(steps[0]["where"] as? String, "PowerShell on your laptop")
        XCTAssertEqual(steps[0]["status"] as? String, "done")
        XCTAssertEqual(steps[0]["completedAt"] as? String, "2027-01-15T08:00:30.000Z")
        XCTAssertEqual(steps[0]["completedBy"] as? String, "dana")
        XCTAssertEqual(steps[0]["seconds"] as? Int, 30)
        XCTAssertTrue(steps[0]["reason"] is NSNull)
        XCTAssertEqual(steps[0]["notes"] as? [String], ["used the bastion"])
        XCTAssertEqual(steps[0]["check"] as? String, "passed")

        XCTAssertEqual(steps[1]["id"] as? String, "restart")
        XCTAssertEqual(steps[1]["where"] as? String, "droplet smt-proxy")
        XCTAssertEqual(steps[1]["status"] as? String, "skipped")
        XCTAssertEqual(steps[1]["completedAt"] as? String, "2027-01-15T08:01:35.000Z")
        XCTAssertEqual(steps[1]["completedBy"] as? String, "sam")
        XCTAssertEqual(steps[1]["seconds"] as? Int, 65)
        XCTAssertEqual(steps[1]["reason"] as? String, "already restarted by the deploy")
        XCTAssertEqual(steps[1]["notes"] as? [String], [])
        XCTAssertTrue(steps[1]["check"] is NSNull)

        XCTAssertEqual(steps[2]["id"] as? String, "verify")
        XCTAssertEqual(steps[2]["status"] as? String, "pending")
        XCTAssertTrue(steps[2]["completedAt"] is NSNull)
        XCTAssertTrue(steps[2]["completedBy"] is NSNull)
        XCTAssertEqual(steps[2]["seconds"] as? Int, 0)
        XCTAssertTrue(steps[2]["reason"] is NSNull)
        XCTAssertEqual(steps[2]["notes"] as? [String], [])
        XCTAssertEqual(steps[2]["check"] as? String, "failed")
    }

    func testJSONReportOfEndedRuns() throws {
        var completed = try activeRun()
        try completed.apply(Self.record(.stepCompleted(step: "verify"), 120))
        try completed.apply(Self.record(.runCompleted, 121))
        let done = try object(RunReport.json(completed))
        XCTAssertEqual(done["status"] as? String, "completed")
        XCTAssertEqual(done["endedAt"] as? String, "2027-01-15T08:02:01.000Z")
        XCTAssertTrue(done["current"] is NSNull)
        XCTAssertEqual((done["steps"] as? [[String: Any]])?.map { $0["status"] as? String }, ["done", "skipped", "done"])

        var abandoned = try activeRun()
        try abandoned.apply(Self.record(.runAbandoned(reason: "wrong droplet"), 200))
        let ended = try object(RunReport.json(abandoned))
        XCTAssertEqual(ended["status"] as? String, "abandoned")
        XCTAssertEqual(ended["abandonReason"] as? String, "wrong droplet")
        XCTAssertTrue(ended["current"] is NSNull)
    }

    func testJSONOfSeveralRunsIsAList() throws {
        let state = try activeRun()
        let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(RunReport.json([state, state]).utf8)) as? [[String: Any]])
        XCTAssertEqual(list.count, 2)
        XCTAssertEqual(list[1]["run"] as? String, "smt-20270115-080000")
        XCTAssertEqual(try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(RunReport.json([RunState]()).utf8)) as? [Any]).count, 0)
    }

    // MARK: Markdown

    func testMarkdownReport() throws {
        let markdown = RunReport.markdown(try activeRun())
        let lines = markdown.components(separatedBy: "\n")
        XCTAssertEqual(lines.first, "# Run smt-20270115-080000: Rotate the SMT token")
        XCTAssertTrue(lines.contains("- Runbook: `smt` (runbooks/smt.md)"))
        XCTAssertTrue(lines.contains("- Status: **active**"))
        XCTAssertTrue(lines.contains("- Started: 2027-01-15 08:00:00 UTC by dana on laptop-7 (time zone Europe/Paris)"))
        XCTAssertTrue(lines.contains("- Steps: 1 done, 1 skipped, 1 pending"))
        XCTAssertTrue(lines.contains("- Next: step 3, Verify the token (PowerShell on your laptop)"))

        let header = "| # | Step | Where | Status | When (UTC) | Who | Took | Check |"
        let headerIndex = try XCTUnwrap(lines.firstIndex(of: header))
        XCTAssertEqual(lines[headerIndex + 1], "|---|---|---|---|---|---|---|---|")
        XCTAssertEqual(Array(lines[(headerIndex + 2)...(headerIndex + 4)]), [
            "| 1 | SSH to the droplet | PowerShell on your laptop | done | 2027-01-15 08:00:30 UTC | dana | 30 s | passed |",
            #"| 2 | Restart \| reload | droplet smt-proxy | skipped | 2027-01-15 08:01:35 UTC | sam | 1 min 5 s |  |"#,
            "| 3 | Verify the token | PowerShell on your laptop | pending |  |  |  | failed |",
        ])
        XCTAssertEqual(lines[headerIndex + 5], "", "one row per step")

        XCTAssertTrue(lines.contains("## Notes and skip reasons"))
        XCTAssertTrue(lines.contains("- Step 2 (Restart | reload) skipped: already restarted by the deploy"))
        XCTAssertTrue(lines.contains("- Step 1 (SSH to the droplet), note by dana at 2027-01-15 08:00:10 UTC: used the bastion"))
        XCTAssertTrue(lines.contains("- Step 3 (Verify the token) check failed: expected status 501, got 200"))
        XCTAssertTrue(markdown.hasSuffix("\n"))
    }

    func testMarkdownOfAnAbandonedRun() throws {
        var state = try activeRun()
        try state.apply(Self.record(.runAbandoned(reason: "wrong droplet"), 3_700))
        let lines = RunReport.markdown(state).components(separatedBy: "\n")
        XCTAssertTrue(lines.contains("- Status: **abandoned**: wrong droplet"))
        XCTAssertTrue(lines.contains("- Ended: 2027-01-15 09:01:40 UTC, 1 h 1 min after the start"))
        XCTAssertFalse(lines.contains { $0.hasPrefix("- Next:") })
    }

    func testMarkdownWithoutNotesHasNoNotesSection() throws {
        let state = try RunState.replay([Self.start, Self.record(.stepCompleted(step: "ssh"), 5)])
        let markdown = RunReport.markdown(state)
        XCTAssertFalse(markdown.contains("## Notes and skip reasons"))
        XCTAssertTrue(markdown.contains("| 1 | SSH to the droplet | PowerShell on your laptop | done | 2027-01-15 08:00:05 UTC | dana | 5 s |  |"))
    }

    // MARK: Secrets

    func testAVariableDeclaredSecretIsNeverPrinted() throws {
        let records = [
            Self.start,
            Self.record(.variableRecorded(name: "BASE_URL", value: "https://intelliwatt.com"), 1),
            Self.record(.variableRecorded(name: "ADMIN_TOKEN", value: "3f9c-recorded-before-it-was-secret"), 2),
        ]
        var state = try RunState.replay(records)
        // What the CLI does for a log written before secret names were recorded: the runbook declares it secret now.
        state.secretNames = ["ADMIN_TOKEN"]
        let json = RunReport.json(state)
        let markdown = RunReport.markdown(state, records: records)
        XCTAssertEqual(try object(json)["variables"] as? [String: String], ["BASE_URL": "https://intelliwatt.com"])
        for text in [json, markdown, RunReport.json([state])] {
            XCTAssertFalse(text.contains("3f9c"), text)
        }
        XCTAssertTrue(markdown.contains("ADMIN_TOKEN = ••••"), markdown)
        XCTAssertTrue(markdown.contains("BASE_URL = https://intelliwatt.com"), markdown)
    }

    func testStatusLine() throws {
        XCTAssertEqual(RunReport.line(try activeRun()),
                       "smt-20270115-080000  smt  step 3 of 3: Verify the token [PowerShell on your laptop]  "
                       + "(last activity 2027-01-15 08:01:40 UTC by dana)")
    }

    // MARK: Paths

    /// The tree of RunPathTests: triage chose `timeout` (bypassing rotate and retest), whitelist was skipped.
    private func treeRun() throws -> RunState {
        try RunState.replay([
            Self.record(.runStarted(RunPathTests.start), 0),
            Self.record(.choiceMade(step: "triage", option: "ok", target: "close", skipReason: nil), 5),
            Self.record(.stepReopened(step: "triage"), 6),
            Self.record(.choiceMade(step: "triage", option: "timeout", target: "whitelist", skipReason: nil), 10, by: "sam"),
            Self.record(.stepSkipped(step: "whitelist", reason: "confirmed by SMT on the phone"), 20),
        ])
    }

    func testTheJSONReportHasBypassedStepsAndTheChoices() throws {
        let report = try object(RunReport.json(try treeRun()))
        let steps = try XCTUnwrap(report["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.map { $0["status"] as? String }, ["done", "bypassed", "bypassed", "skipped", "pending"])
        XCTAssertEqual(steps.map { $0["bypassedBy"] as? String }, [nil, "triage", "triage", nil, nil])
        XCTAssertEqual(steps[0]["choice"] as? String, "timeout")
        let choices = try XCTUnwrap(report["choices"] as? [[String: Any]])
        XCTAssertEqual(choices.count, 2)
        XCTAssertEqual(choices[1]["step"] as? String, "triage")
        XCTAssertEqual(choices[1]["option"] as? String, "timeout")
        XCTAssertEqual(choices[1]["target"] as? String, "whitelist")
        XCTAssertEqual(choices[1]["at"] as? String, "2027-01-15T08:00:10.000Z")
        XCTAssertEqual(choices[1]["operator"] as? String, "sam")
        XCTAssertEqual(choices[0]["option"] as? String, "ok", "a choice undone by back stays in the list")
    }

    func testTheMarkdownReportShowsThePathTakenAndWhatWasBypassed() throws {
        let state = try treeRun()
        let markdown = RunReport.markdown(state, records: [])
        XCTAssertTrue(markdown.contains("- Steps: 1 done, 1 skipped, 1 pending, 2 bypassed\n"), markdown)
        XCTAssertTrue(markdown.contains("""
            ## Path taken

            - 2027-01-15 08:00:05 UTC dana: at Read the answer, `ok` → Close out
            - 2027-01-15 08:00:10 UTC sam: at Read the answer, `timeout` → Check the whitelist
            """), markdown)
        XCTAssertTrue(markdown.contains("""
            ## Bypassed

            - Step 2 (Rotate the password): bypassed by the choice `timeout` at Read the answer
            - Step 3 (Test again): bypassed by the choice `timeout` at Read the answer
            """), markdown)
        XCTAssertTrue(markdown.contains("| 2 | Rotate the password | SMT portal | bypassed |"), markdown)
    }

}

final class RunReportEventsTests: XCTestCase {
    func testTheEventsSectionKeepsHandoversSkipsAndPausesInOrder() throws {
        func at(_ n: Double) -> Date { Date(timeIntervalSince1970: 1_800_000_000 + n) }
        let steps = [StepRecord(id: "a", title: "Alpha", place: "laptop", digest: "1"),
                     StepRecord(id: "b", title: "Beta", place: "droplet", digest: "2")]
        let records = [
            EventRecord(.runStarted(RunStart(run: "r1", runbook: "rb", path: "", title: "T", runbookDigest: "d", steps: steps)),
                        at: at(0), operatorName: "dana", host: "laptop-1"),
            EventRecord(.stepSkipped(step: "a", reason: "done yesterday"), at: at(60), operatorName: "dana", host: "laptop-1"),
            EventRecord(.runPaused(reason: .quit), at: at(61), operatorName: "dana", host: "laptop-1"),
            EventRecord(.runResumed(runbookDigest: "d", steps: steps), at: at(3600), operatorName: "alex", host: "laptop-2"),
            EventRecord(.stepReopened(step: "a"), at: at(3601), operatorName: "alex", host: "laptop-2"),
            EventRecord(.checkFailed(step: "a", reason: "expected status 501, got 200"), at: at(3602), operatorName: "alex", host: "laptop-2"),
        ]
        let state = try RunState.replay(records)
        let markdown = RunReport.markdown(state, records: records)
        let events = markdown.components(separatedBy: "## Events\n\n").last ?? ""
        XCTAssertEqual(events, """
        - 2027-01-15 08:00:00 UTC dana@laptop-1: started rb (2 steps)
        - 2027-01-15 08:01:00 UTC dana@laptop-1: skipped Alpha: done yesterday
        - 2027-01-15 08:01:01 UTC dana@laptop-1: paused (quit)
        - 2027-01-15 09:00:00 UTC alex@laptop-2: resumed
        - 2027-01-15 09:00:01 UTC alex@laptop-2: went back to Alpha
        - 2027-01-15 09:00:02 UTC alex@laptop-2: check of Alpha failed: expected status 501, got 200

        """)
        XCTAssertFalse(RunReport.markdown(state).contains("## Events"), "no records, no events section")
    }
}
