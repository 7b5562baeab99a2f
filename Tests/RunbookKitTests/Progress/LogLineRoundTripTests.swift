import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// Every kind of event, written as a log line and read back, is the same record; each line holds only
/// the keys its kind carries.
final class LogLineRoundTripTests: XCTestCase {
    static let steps = [StepRecord(id: "ssh", title: "SSH", place: "laptop", digest: String(repeating: "a", count: 64))]

    /// One event of each kind, with every field it has.
    static let events: [RunEvent] = [
        .runStarted(RunStart(run: "r1", runbook: "smt", path: "runbooks/smt.md", title: "SMT", runbookDigest: String(repeating: "b", count: 64),
                             steps: steps, secrets: ["ADMIN_TOKEN"], from: "r0")),
        .variableRecorded(name: "BASE_URL", value: "https://intelliwatt.com"),
        .stepCompleted(step: "ssh"),
        .choiceMade(step: "ssh", option: "401", target: "end", skipReason: "seen by Sam", verdict: .failed),
        .stepSkipped(step: "ssh", reason: "done by Sam"),
        .stepReopened(step: "ssh"),
        .noteAdded(step: "ssh", text: "used the bastion"),
        .checkPassed(step: "ssh"),
        .checkFailed(step: "ssh", reason: "expected status 501, got 200"),
        .commandRan(step: "ssh", status: 2, seconds: 14, via: "deploy@intelliwatt-smt-proxy"),
        .runPaused(reason: .interrupted),
        .waitStarted(step: "ssh", seconds: 600),
        .waitEnded(step: "ssh", how: .checkPassed),
        .runResumed(runbookDigest: String(repeating: "c", count: 64), steps: steps, secrets: ["ADMIN_TOKEN"],
                    takeover: Takeover(operatorName: "alex", host: "laptop-2")),
        .runCompleted,
        .runHandedOff(runbook: "incident-smt-auth", run: "r2"),
        .runAbandoned(reason: "wrong runbook"),
    ]

    func testTheTableHoldsEveryKind() {
        XCTAssertEqual(Set(Self.events.map(\.kind)), Set(RunEvent.Kind.allCases))
        XCTAssertEqual(Self.events.map(\.name), RunEvent.Kind.allCases.map(\.rawValue))
    }

    func testEveryEventRoundTrips() throws {
        let at = Date(timeIntervalSince1970: 1_800_000_000.125)  // milliseconds a Double holds exactly
        for (index, event) in Self.events.enumerated() {
            let record = EventRecord(event, at: at, timeZone: "Europe/Paris", operatorName: "dana", host: "laptop-7")
            let line = LogLine(record, seq: index + 1, prev: LogLine.origin)
            let text = line.encoded()
            let decoded = try LogLine.decode(Data(text.utf8))
            XCTAssertEqual(decoded, line, event.name)
            XCTAssertEqual(try decoded.record(), record, event.name)
            // Only the keys of its kind, besides the header every line has.
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let header: Set<String> = ["v", "seq", "prev", "at", "tz", "operator", "host", "event"]
            XCTAssertEqual(Set(object.keys).subtracting(header), LogLine.keys(of: event.kind), event.name)
        }
    }

    func testAChoiceWithoutAVerdictReadsAsOlderLogsWroteIt() throws {
        let old = #"{"at":"2027-01-15T08:00:00.000Z","event":"choiceMade","host":"h","operator":"o","option":"ok","prev":""#
            + LogLine.origin + #"","seq":2,"step":"ssh","target":"end","tz":"UTC","v":1}"#
        let record = try LogLine.decode(Data(old.utf8)).record()
        XCTAssertEqual(record.event, .choiceMade(step: "ssh", option: "ok", target: "end", skipReason: nil, verdict: nil))
        XCTAssertEqual(LogLine(record, seq: 2, prev: LogLine.origin).encoded(), old, "written back the same, without `verdict`")
        let passed = old.replacingOccurrences(of: #""v":1}"#, with: #""v":1,"verdict":"passed"}"#)
        XCTAssertEqual(try LogLine.decode(Data(passed.utf8)).record().event,
                       .choiceMade(step: "ssh", option: "ok", target: "end", skipReason: nil, verdict: .passed))
        let odd = old.replacingOccurrences(of: #""v":1}"#, with: #""v":1,"verdict":"maybe"}"#)
        XCTAssertThrowsError(try LogLine.decode(Data(odd.utf8)).record()) { error in
            XCTAssertEqual((error as? LineError)?.message, "`verdict` is `passed` or `failed`, not `maybe`")
        }
    }

    /// The line is written by hand; it is byte for byte what JSONEncoder writes, tricky strings included.
    func testTheHandWrittenLineIsWhatJSONEncoderWrites() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let tricky = "a \"quote\", a \\ backslash, a / slash,\nlines\r\tand \u{1B}[31m, \u{7F}, é, ✔, 🔥, \u{2028}"
        var events = Self.events
        events += [.noteAdded(step: "ssh", text: tricky), .variableRecorded(name: "BASE_URL", value: tricky),
                   .runStarted(RunStart(run: "r2", runbook: "smt", path: "runbooks/a \"b\".md", title: tricky, runbookDigest: "d",
                                        steps: [StepRecord(id: "t", title: tricky, place: "p", digest: "d", next: "end",
                                                           options: [OptionRecord(key: "ok", target: "end")])], secrets: []))]
        for event in events {
            let line = LogLine(EventRecord(event, at: Date(timeIntervalSince1970: 1_800_000_000.5), timeZone: "Europe/Paris",
                                           operatorName: "dana \"d\"", host: "laptop-7"), seq: 12, prev: LogLine.origin)
            XCTAssertEqual(line.encoded(), String(decoding: try encoder.encode(line), as: UTF8.self), event.name)
        }
    }
}
