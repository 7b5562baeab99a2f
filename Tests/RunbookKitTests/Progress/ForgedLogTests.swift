import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// Logs changed by someone who recomputed the chain after the change: every field's type and range
/// is still checked, and the value of a secret variable never becomes legal.
final class ForgedLogTests: XCTestCase {
    private var folder = ""
    private var store: RunStore { RunStore(folder: folder) }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-forged-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private static let steps = [
        StepRecord(id: "ssh", title: "SSH", place: "laptop", digest: String(repeating: "a1", count: 32)),
        StepRecord(id: "check", title: "Check", place: "droplet", digest: String(repeating: "b2", count: 32)),
    ]

    private static func record(_ event: RunEvent, _ n: Double) -> EventRecord {
        EventRecord(event, at: Date(timeIntervalSince1970: 1_800_000_000 + n), timeZone: "UTC", operatorName: "dana", host: "laptop")
    }

    /// A run of a runbook with a secret TOKEN: started, a variable recorded, a step done.
    private func writeRun(_ run: String = "r1") throws -> [String] {
        try? FileManager.default.removeItem(atPath: store.logPath(of: run))
        let writer = try store.create(run)
        defer { writer.close() }
        for record in [
            Self.record(.runStarted(RunStart(run: run, runbook: "smt", path: "runbooks/smt.md", title: "SMT",
                                             runbookDigest: String(repeating: "0f", count: 32), steps: Self.steps,
                                             secrets: ["TOKEN"])), 0),
            Self.record(.variableRecorded(name: "BASE_URL", value: "https://intelliwatt.com"), 1),
            Self.record(.stepCompleted(step: "ssh"), 2),
        ] {
            try writer.append(record)
        }
        return String(decoding: try Data(contentsOf: URL(fileURLWithPath: store.logPath(of: run))), as: UTF8.self)
            .split(separator: "\n").map(String.init)
    }

    /// Writes `lines` as the log of `run` with the numbering and the chain recomputed, as a forger would.
    private func forge(_ lines: [String], run: String = "r1") throws {
        var previous = String(repeating: "0", count: 64)
        var text = ""
        for (index, line) in lines.enumerated() {
            var fixed = line
            if let range = fixed.range(of: #""prev":"[0-9a-f]{64}""#, options: .regularExpression) {
                fixed.replaceSubrange(range, with: #""prev":"\#(previous)""#)
            }
            if let range = fixed.range(of: #""seq":[0-9]+,"#, options: .regularExpression) {
                fixed.replaceSubrange(range, with: #""seq":\#(index + 1),"#)
            }
            previous = SHA256.hex(fixed)
            text += fixed + "\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: store.logPath(of: run)))
    }

    /// Forges line `index` of a fresh run with `change` and expects reading it to fail with `reason` on that line.
    private func assertRefused(line index: Int, _ change: (String) -> String, reason: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        var lines = try writeRun()
        let changed = change(lines[index])
        XCTAssertNotEqual(changed, lines[index], "the change changed nothing", file: file, line: line)
        lines[index] = changed
        try forge(lines)
        let read = Result { try store.log(of: "r1").state() }
        guard case .failure(let error) = read else { return XCTFail("a forged log was read as legal", file: file, line: line) }
        guard let logError = error as? LogError else { return XCTFail("\(error)", file: file, line: line) }
        switch logError {
        case .badLine(_, let number, let found), .illegalEvent(_, let number, let found):
            XCTAssertEqual(number, index + 1, "\(found)", file: file, line: line)
            XCTAssertEqual(found, reason, file: file, line: line)
        default:
            XCTFail("\(logError)", file: file, line: line)
        }
        XCTAssertThrowsError(try store.open("r1"), file: file, line: line)
    }

    func testTheForgerCanRecomputeTheChain() throws {
        var lines = try writeRun()
        lines[2] = lines[2].replacingOccurrences(of: "\"step\":\"ssh\"", with: "\"step\":\"ssh\"")
        try forge(lines)
        XCTAssertNil(try store.log(of: "r1").chainProblem(), "the helper must make a valid chain, or the tests below test nothing")
        XCTAssertEqual(try store.state(of: "r1").doneCount, 1)
    }

    func testAVersionOtherThanTheWholeNumberOneIsRefused() throws {
        try assertRefused(line: 1, { $0.replacingOccurrences(of: #""v":1"#, with: #""v":1.0"#) },
                          reason: "`v` is the format version, a whole number from 1, not 1.0")
        try assertRefused(line: 1, { $0.replacingOccurrences(of: #""v":1"#, with: #""v":0"#) },
                          reason: "`v` is the format version, a whole number from 1, not 0")
        try assertRefused(line: 2, { $0.replacingOccurrences(of: #""seq":3"#, with: #""seq":3e0"#) },
                          reason: "`seq` is the line's number, a whole number from 1, not 3e0")
    }

    func testATimeThatIsNoRealUTCTimeIsRefused() throws {
        for time in ["2026-02-30T99:00", "2026-02-30T09:00:00.000Z", "2026-11-28T24:00:00.000Z", "2026-11-28T03:04:05Z",
                     "2026-11-28T03:04:05.123+00:00", "2025-02-29T00:00:00.000Z"] {
            try assertRefused(line: 2, { $0.replacingOccurrences(of: #""at":"2027-01-15T08:00:02.000Z""#, with: #""at":"\#(time)""#) },
                              reason: "`at` is not a UTC time as runbook writes it (YYYY-MM-DDTHH:MM:SS.mmmZ): \(time)")
        }
        XCTAssertTrue(LogLine.isStoredTime("2024-02-29T23:59:59.999Z"))
    }

    func testARunNamedOtherThanItsFileIsRefused() throws {
        try assertRefused(line: 0, { $0.replacingOccurrences(of: #""run":"r1""#, with: #""run":"r2""#) },
                          reason: "`run` is r2, but this is the log of r1: a log is never renamed")
    }

    func testAValueRecordedForASecretVariableIsIllegal() throws {
        try assertRefused(line: 1, { $0.replacingOccurrences(of: "BASE_URL", with: "TOKEN") },
                          reason: "TOKEN is a secret variable: its value is never recorded")
    }

    func testFieldsThatDoNotBelongAreRefused() throws {
        try assertRefused(line: 2, { $0.replacingOccurrences(of: #""step":"ssh""#, with: #""step":"ssh","text":"x""#) },
                          reason: "`text` does not belong to stepCompleted")
        try assertRefused(line: 2, { $0.replacingOccurrences(of: #""step":"ssh""#, with: #""step":"ssh","admin":true"#) },
                          reason: "unknown field `admin`")
        try assertRefused(line: 2, { $0.replacingOccurrences(of: #""v":1"#, with: #""v":1,"v":1"#) },
                          reason: "`v` is written twice")
        try assertRefused(line: 2, { $0.replacingOccurrences(of: #""step":"ssh""#, with: #""st\u0065p":"ssh""#) },
                          reason: "not a log line as runbook writes it (a key written with escapes)")
    }

    func testHeaderFieldsAreCheckedForRange() throws {
        try assertRefused(line: 2, { $0.replacingOccurrences(of: #""operator":"dana""#, with: #""operator":"da\nna""#) },
                          reason: "`operator` holds a control character")
        try assertRefused(line: 2, { $0.replacingOccurrences(of: #""operator":"dana""#, with: #""operator":"""#) },
                          reason: "`operator` is empty")
        try assertRefused(line: 2, { $0.replacingOccurrences(of: #""step":"ssh""#, with: #""step":"""#) },
                          reason: "`step` is empty")
        try assertRefused(line: 0, { $0.replacingOccurrences(of: #""runbook":"smt""#, with: #""runbook":"../x""#) },
                          reason: "`runbook` is not a runbook id: ../x")
        try assertRefused(line: 0, { $0.replacingOccurrences(of: String(repeating: "a1", count: 32), with: "a1") },
                          reason: "step `ssh` has a digest that is not a SHA-256 in hex")
    }

    func testAnOldLogWithoutSecretNamesStillReads() throws {
        var lines = try writeRun()
        lines[0] = lines[0].replacingOccurrences(of: #","secrets":["TOKEN"]"#, with: "")
        try forge(lines)
        let state = try store.state(of: "r1")
        XCTAssertEqual(state.secretNames, [])
        XCTAssertEqual(state.variables, ["BASE_URL": "https://intelliwatt.com"])
    }
}
