import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport
#if canImport(Glibc)
import Glibc
#endif

/// The run log on disk: one JSON line per event, a hash chain, torn tails, tampering and the lock.
final class EventLogTests: XCTestCase {
    private var folder = ""
    private var store: RunStore { RunStore(folder: folder) }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("runbook-eventlog-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    // MARK: Fixtures

    private static func at(_ n: Double) -> Date { Date(timeIntervalSince1970: 1_800_000_000 + n) }

    private static func record(_ event: RunEvent, _ n: Double) -> EventRecord {
        EventRecord(event, at: at(n), timeZone: "Europe/Paris", operatorName: "dana", host: "laptop-7")
    }

    private static let steps = [
        StepRecord(id: "ssh", title: "SSH to the droplet", place: "PowerShell on your laptop", digest: "d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1"),
        StepRecord(id: "restart", title: "Restart the proxy", place: "droplet smt-proxy", digest: "d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2"),
        StepRecord(id: "verify", title: "Verify", place: "PowerShell on your laptop", digest: "d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3"),
    ]

    private static func started(_ run: String = "r1") -> EventRecord {
        record(.runStarted(RunStart(run: run, runbook: "smt", path: "runbooks/smt.md", title: "Rotate",
                                    runbookDigest: "0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d", steps: steps)), 0)
    }

    /// Five events of a run in progress.
    private static let script: [EventRecord] = [
        started(),
        record(.variableRecorded(name: "BASE_URL", value: "https://intelliwatt.com"), 1),
        record(.stepCompleted(step: "ssh"), 30),
        record(.noteAdded(step: "restart", text: "proxy \"was\" down\nsince 02:00"), 40),
        record(.stepSkipped(step: "restart", reason: "done by Sam"), 50),
    ]

    /// Creates run `run` with `records`, closing its writer.
    private func write(_ records: [EventRecord], run: String = "r1") throws {
        let writer = try store.create(run)
        defer { writer.close() }
        for record in records { try writer.append(record) }
    }

    private func path(_ run: String = "r1") -> String { store.logPath(of: run) }

    private func bytes(_ run: String = "r1") throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path(run)))
    }

    /// The stored lines without their newlines (a torn tail is the last element when there is one).
    private func lines(_ run: String = "r1") throws -> [Data] {
        try bytes(run).split(separator: 0x0A, omittingEmptySubsequences: false).map { Data($0) }
    }

    private func replace(_ run: String = "r1", lines: [Data]) throws {
        var data = Data()
        for line in lines { data += line + Data([0x0A]) }
        try data.write(to: URL(fileURLWithPath: path(run)))
    }

    private func appendRaw(_ text: String, run: String = "r1") throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path(run)))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        handle.closeFile()
    }

    private func size(_ run: String = "r1") throws -> Int {
        try bytes(run).count
    }

    private func assertThrows(_ expected: LogError, file: StaticString = #filePath, line: UInt = #line,
                              _ body: () throws -> Void) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? LogError, expected, file: file, line: line)
        }
    }

    // MARK: Writing and reading back

    func testAppendedEventsReadBackAsTheReplayedState() throws {
        try write(Self.script)
        let log = try EventLog.read(path())
        XCTAssertEqual(log.path, path())
        XCTAssertEqual(log.records, Self.script)
        XCTAssertEqual(log.tornBytes, 0)
        XCTAssertNil(log.chainProblem())
        XCTAssertEqual(try log.state(), try RunState.replay(Self.script))
        XCTAssertEqual(try store.state(of: "r1"), try RunState.replay(Self.script))

        let state = try log.state()
        XCTAssertEqual(state.run, "r1")
        XCTAssertEqual(state.variables, ["BASE_URL": "https://intelliwatt.com"])
        XCTAssertEqual(state.steps.map(\.status), [.done, .skipped, .pending])
        XCTAssertEqual(state.steps[1].notes.map(\.text), ["proxy \"was\" down\nsince 02:00"])
        XCTAssertEqual(state.steps[1].reason, "done by Sam")
        XCTAssertEqual(state.current?.id, "verify")
    }

    func testEachLineIsOneVersionedJSONObjectInAHashChain() throws {
        try write(Self.script)
        let data = try bytes()
        XCTAssertEqual(data.last, 0x0A)
        let stored = try lines()
        XCTAssertEqual(stored.last, Data(), "the file ends with a newline")
        let complete = stored.dropLast()
        XCTAssertEqual(complete.count, 5)

        var previous = String(repeating: "0", count: 64)
        for (index, line) in complete.enumerated() {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: line) as? [String: Any], "line \(index + 1)")
            XCTAssertEqual(object["v"] as? Int, 1)
            XCTAssertEqual(object["seq"] as? Int, index + 1)
            XCTAssertEqual(object["prev"] as? String, previous, "line \(index + 1)")
            XCTAssertEqual(object["operator"] as? String, "dana")
            XCTAssertEqual(object["host"] as? String, "laptop-7")
            XCTAssertEqual(object["tz"] as? String, "Europe/Paris")
            previous = SHA256.hex(line)
        }
        XCTAssertEqual(
            (try JSONSerialization.jsonObject(with: complete[0]) as? [String: Any])?["prev"] as? String,
            "0000000000000000000000000000000000000000000000000000000000000000")
        XCTAssertEqual(
            (try JSONSerialization.jsonObject(with: complete[2]) as? [String: Any])?["event"] as? String, "stepCompleted")
    }

    func testTheStoredFormat() throws {
        try write(Array(Self.script.prefix(3)))
        let stored = try lines().map { String(decoding: $0, as: UTF8.self) }
        XCTAssertEqual(stored[0], #"{"at":"2027-01-15T08:00:00.000Z","event":"runStarted","host":"laptop-7","operator":"dana","#
            + #""path":"runbooks/smt.md","prev":"0000000000000000000000000000000000000000000000000000000000000000","#
            + #""run":"r1","runbook":"smt","runbookDigest":"0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d","seq":1,"steps":["#
            + #"{"digest":"d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1","id":"ssh","title":"SSH to the droplet","where":"PowerShell on your laptop"},"#
            + #"{"digest":"d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2","id":"restart","title":"Restart the proxy","where":"droplet smt-proxy"},"#
            + #"{"digest":"d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3","id":"verify","title":"Verify","where":"PowerShell on your laptop"}],"#
            + #""title":"Rotate","tz":"Europe/Paris","v":1}"#)
        XCTAssertEqual(stored[2], #"{"at":"2027-01-15T08:00:30.000Z","event":"stepCompleted","host":"laptop-7","#
            + #""operator":"dana","prev":"\#(SHA256.hex(stored[1]))","seq":3,"step":"ssh","tz":"Europe/Paris","v":1}"#)
        XCTAssertEqual(stored[3], "")
    }

    // MARK: Torn last line

    func testATornLastLineIsReportedAndIgnoredByRead() throws {
        try write(Self.script)
        try appendRaw(#"{"v":1,"seq":6,"prev":"ab"#)
        let log = try EventLog.read(path())
        XCTAssertEqual(log.tornBytes, 25)
        XCTAssertEqual(log.records, Self.script)
        XCTAssertNil(log.chainProblem())
        XCTAssertEqual(try log.state(), try RunState.replay(Self.script))
    }

    func testOpeningCutsATornTailAndTheChainGoesOn() throws {
        try write(Self.script)
        let intact = try size()
        try appendRaw(#"{"v":1,"seq":6,"prev":"ab"#)
        XCTAssertEqual(try size(), intact + 25)

        let (writer, log, _, cut) = try store.open("r1")
        XCTAssertEqual(cut, 25)
        XCTAssertEqual(log.tornBytes, 25)
        XCTAssertEqual(log.records, Self.script)
        XCTAssertEqual(try size(), intact)
        XCTAssertEqual(try bytes().last, 0x0A)
        let reread = try EventLog.read(path())
        XCTAssertEqual(reread.tornBytes, 0)
        XCTAssertNil(reread.chainProblem())

        let next = Self.record(.stepCompleted(step: "verify"), 60)
        try writer.append(next)
        writer.close()

        let after = try EventLog.read(path())
        XCTAssertEqual(after.records, Self.script + [next])
        XCTAssertEqual(after.tornBytes, 0)
        XCTAssertNil(after.chainProblem())
        let stored = try lines()
        let last = try XCTUnwrap(try JSONSerialization.jsonObject(with: stored[5]) as? [String: Any])
        XCTAssertEqual(last["seq"] as? Int, 6)
        XCTAssertEqual(last["prev"] as? String, SHA256.hex(stored[4]))
        XCTAssertEqual(try after.state().steps.map(\.status), [.done, .skipped, .done])
    }

    func testOpeningAnIntactLogCutsNothing() throws {
        try write(Self.script)
        let intact = try bytes()
        let (writer, _, _, cut) = try store.open("r1")
        writer.close()
        XCTAssertEqual(cut, 0)
        XCTAssertEqual(try bytes(), intact)
    }

    // MARK: Logs that cannot be read

    func testAGarbageLineInTheMiddleIsABadLineAndTheFileIsLeftAlone() throws {
        try write(Self.script)
        var stored = try lines().dropLast().map { $0 }
        stored[1] = Data("this is not json".utf8)
        try replace(lines: stored)
        let before = try bytes()

        let expected = LogError.badLine(path: path(), line: 2, reason: "not a log line (not JSON with a version `v`)")
        assertThrows(expected) { _ = try EventLog.read(self.path()) }
        assertThrows(expected) { _ = try self.store.state(of: "r1") }
        assertThrows(expected) { _ = try self.store.open("r1") }
        XCTAssertEqual(try bytes(), before)
        // A failed open holds no lock: trying again reports the same problem, not a lock.
        assertThrows(expected) { _ = try self.store.open("r1") }
        XCTAssertEqual(try bytes(), before)
    }

    func testALineMissingAKeyIsABadLine() throws {
        try write(Array(Self.script.prefix(2)))
        try appendRaw(#"{"v":1,"seq":3,"prev":"x","at":"2027-01-15T08:00:00.000Z","tz":"UTC","host":"h","event":"stepCompleted"}"# + "\n")
        assertThrows(.badLine(path: path(), line: 3, reason: "missing `operator`")) { _ = try EventLog.read(self.path()) }
    }

    func testAnUnknownEventIsABadLine() throws {
        try write(Array(Self.script.prefix(1)))
        try appendRaw(#"{"v":1,"seq":2,"prev":"x","at":"2027-01-15T08:00:00.000Z","tz":"UTC","operator":"o","host":"h","event":"stepExploded"}"# + "\n")
        assertThrows(.badLine(path: path(), line: 2, reason: "unknown event `stepExploded`")) { _ = try EventLog.read(self.path()) }
    }

    func testANewerVersionIsRefused() throws {
        try write(Array(Self.script.prefix(2)))
        try appendRaw(#"{"v":2,"seq":3,"prev":"x","shiny":true}"# + "\n")
        let before = try bytes()
        let expected = LogError.newerVersion(
            path: path(), line: 3, reason: "written by a newer runbook (format 2, this one reads 1); upgrade runbook")
        assertThrows(expected) { _ = try EventLog.read(self.path()) }
        assertThrows(expected) { _ = try self.store.open("r1") }
        XCTAssertEqual(try bytes(), before)
    }

    func testAMissingLogIsNoSuchRun() throws {
        try write(Self.script, run: "smt-1")
        assertThrows(.noSuchRun(run: "smt-2", suggestion: "smt-1")) { _ = try self.store.open("smt-2") }
        assertThrows(.noSuchRun(run: "zzzzzzzz", suggestion: nil)) { _ = try self.store.log(of: "zzzzzzzz") }
        XCTAssertThrowsError(try EventLog.read(folder + "/nope.jsonl")) { error in
            guard case .unreadable(let path, _)? = error as? LogError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, self.folder + "/nope.jsonl")
        }
    }

    // MARK: Tampering

    func testAChangedByteNamesTheChangedLine() throws {
        try write(Self.script)
        var stored = try lines().dropLast().map { $0 }
        let text = String(decoding: stored[1], as: UTF8.self)
        XCTAssertTrue(text.contains("intelliwatt"))
        stored[1] = Data(text.replacingOccurrences(of: "intelliwatt", with: "intelliwatT").utf8)
        try replace(lines: stored)
        let log = try EventLog.read(path())
        XCTAssertEqual(log.chainProblem(), "line 2 was changed: line 3 records another hash for it")
    }

    func testAChangedFirstLineIsNamed() throws {
        try write(Self.script)
        var stored = try lines().dropLast().map { $0 }
        stored[0] = Data(String(decoding: stored[0], as: UTF8.self).replacingOccurrences(of: "Rotate", with: "Rotata").utf8)
        try replace(lines: stored)
        XCTAssertEqual(try EventLog.read(path()).chainProblem(), "line 1 was changed: line 2 records another hash for it")
    }

    func testADeletedLineNamesARemoval() throws {
        try write(Self.script)
        var stored = try lines().dropLast().map { $0 }
        stored.remove(at: 1)
        try replace(lines: stored)
        XCTAssertEqual(try EventLog.read(path()).chainProblem(),
                       "line 2 is numbered 3: 1 line(s) were removed before it")
    }

    func testDeletedFirstLinesAreNamed() throws {
        try write(Self.script)
        var stored = try lines().dropLast().map { $0 }
        stored.removeFirst(2)
        try replace(lines: stored)
        XCTAssertEqual(try EventLog.read(path()).chainProblem(),
                       "line 1 is numbered 3: 2 line(s) were removed before it")
    }

    func testAnInsertedCopyNamesAnInsertion() throws {
        try write(Self.script)
        var stored = try lines().dropLast().map { $0 }
        stored.insert(stored[1], at: 2)
        try replace(lines: stored)
        XCTAssertEqual(try EventLog.read(path()).chainProblem(), "line 3 is numbered 2: a line was inserted before it")
    }

    func testATamperedLogIsNeverOpenedForAppendingNorListed() throws {
        try write(Self.script)
        var stored = try lines().dropLast().map { $0 }
        stored.insert(stored[1], at: 2)
        try replace(lines: stored)
        try appendRaw(#"{"torn":"#)
        let before = try bytes()
        let problem = "line 3 is numbered 2: a line was inserted before it"
        assertThrows(.brokenChain(path: path(), run: "r1", problem: problem)) { _ = try self.store.open("r1") }
        XCTAssertEqual(try bytes(), before, "the torn tail of a tampered log is not cut either")
        let all = try store.all()
        XCTAssertEqual(all.runs, [])
        XCTAssertEqual(all.failures, [.brokenChain(path: path(), run: "r1", problem: problem)])
        // Refused, it holds no lock: a second try is refused for the log again, not for a lock.
        XCTAssertThrowsError(try store.open("r1")) { error in
            guard case .brokenChain? = error as? LogError else { return XCTFail("\(error)") }
        }
    }

    func testAnIllegalEventInAGoodChainIsNamedByItsLine() throws {
        try write([Self.started(), Self.record(.stepCompleted(step: "ssh"), 10), Self.record(.stepCompleted(step: "verify"), 20)])
        let log = try EventLog.read(path())
        XCTAssertNil(log.chainProblem())
        XCTAssertThrowsError(try log.state()) { error in
            XCTAssertEqual(error as? LogError, .illegalEvent(
                path: self.path(), line: 3, reason: "cannot complete `verify`: the current step is `restart`"))
        }
    }

    func testAnIllegalFirstEventIsNamedAsLineOne() throws {
        try write([Self.record(.stepCompleted(step: "ssh"), 10)])
        XCTAssertThrowsError(try EventLog.read(path()).state()) { error in
            XCTAssertEqual(error as? LogError, .illegalEvent(
                path: self.path(), line: 1, reason: "a run must begin with runStarted, not stepCompleted"))
        }
    }

    func testAnEmptyLogHasNoState() throws {
        try FileManager.default.createDirectory(atPath: store.runsFolder, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: path()))
        XCTAssertThrowsError(try EventLog.read(path()).state()) { error in
            XCTAssertEqual(error as? LogError, .badLine(path: self.path(), line: 1, reason: "the log holds no complete event"))
        }
    }

    // MARK: The store and the lock

    func testAnOpenRunIsLockedNamingThisProcess() throws {
        try write(Self.script)
        let (writer, _, _, _) = try store.open("r1")
        XCTAssertThrowsError(try store.open("r1")) { error in
            guard case .locked(let run, let holder)? = error as? LogError else { return XCTFail("\(error)") }
            XCTAssertEqual(run, "r1")
            XCTAssertTrue(holder.contains("process \(getpid())"), holder)
            XCTAssertTrue((error as? LogError)?.description.contains("\(getpid())") ?? false)
        }
        writer.close()
        let (again, log, _, _) = try store.open("r1")
        XCTAssertEqual(log.records, Self.script)
        again.close()
    }

    func testACreatedRunIsLockedUntilClosed() throws {
        let writer = try store.create("r1")
        try writer.append(Self.started())
        XCTAssertThrowsError(try store.open("r1")) { error in
            guard case .locked? = error as? LogError else { return XCTFail("\(error)") }
        }
        writer.close()
        let (again, _, _, _) = try store.open("r1")
        again.close()
    }

    func testAppendingAfterCloseFails() throws {
        let writer = try store.create("r1")
        writer.close()
        XCTAssertThrowsError(try writer.append(Self.started())) { error in
            XCTAssertEqual(error as? LogError, .writeFailed(path: self.path(), reason: "the log is closed"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path()))
    }

    // MARK: Interrupted starts

    /// The files of the runs folder other than locks.
    private func runFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: store.runsFolder).filter { !$0.hasSuffix(".lock") }.sorted()
    }

    func testANewRunsLogAppearsOnlyWithItsFirstEventOnDisk() throws {
        let writer = try store.create("r1")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path()), "a log before its first event")
        XCTAssertFalse(store.exists("r1"))
        XCTAssertEqual(try store.all().runs, [])
        try writer.append(Self.started())
        XCTAssertEqual(try lines().count, 2, "one line and its newline")
        XCTAssertEqual(try runFiles(), ["r1.jsonl"], "the hidden first-event file is gone once the log has its name")
        try writer.append(Self.script[1])
        writer.close()
        XCTAssertEqual(try EventLog.read(path()).records, Array(Self.script.prefix(2)))
    }

    func testAFirstEventFlushedInTheBackgroundIsOnDiskOnceSettledAndBeforeTheNextEvent() throws {
        let writer = try store.create("r1")
        try writer.appendSettlingLater(Self.started())
        // Named before the flush: a process killed now leaves the run with its first event.
        XCTAssertEqual(try runFiles(), ["r1.jsonl"])
        XCTAssertEqual(try EventLog.read(path()).records, [Self.started()])
        try writer.settle()
        XCTAssertEqual(try runFiles(), ["r1.jsonl"])
        XCTAssertEqual(try EventLog.read(path()).records, [Self.started()])
        try writer.append(Self.script[1])
        writer.close()
        XCTAssertEqual(try EventLog.read(path()).records, Array(Self.script.prefix(2)))
        XCTAssertNil(try EventLog.read(path()).chainProblem())

        // Not settled by hand: the next append waits for it; close does too.
        let second = try store.create("r2")
        try second.appendSettlingLater(Self.started("r2"))
        try second.append(Self.script[1])
        second.close()
        XCTAssertEqual(try EventLog.read(path("r2")).records.count, 2)
        let third = try store.create("r3")
        try third.appendSettlingLater(Self.started("r3"))
        third.close()
        XCTAssertEqual(try EventLog.read(path("r3")).records, [Self.started("r3")])
    }

    func testAFirstEventFlushedLaterThatCannotTakeItsNameReplacesNothing() throws {
        let writer = try store.create("r1")
        // Another log with an event takes the name meanwhile: the run's own first event must not replace it.
        try write([Self.started("other")], run: "other")
        try bytes("other").write(to: URL(fileURLWithPath: path()))
        let before = try bytes()
        assertThrows(.runExists(run: "r1")) { try writer.appendSettlingLater(Self.started()) }
        try writer.settle()
        writer.close()
        XCTAssertEqual(try bytes(), before)
        XCTAssertEqual(try runFiles(), ["other.jsonl", "r1.jsonl"], "no hidden first-event file is left")
    }

    func testAStartThatRecordsNothingLeavesNoFile() throws {
        let writer = try store.create("r1")
        writer.close()
        XCTAssertEqual(try runFiles(), [])
        XCTAssertFalse(store.exists("r1"))
    }

    func testALogThatHoldsNoCompleteEventIsNoRunAndItsNameCanBeUsedAgain() throws {
        // What an older version left when killed in a start's first milliseconds: empty, or a first line cut short.
        try FileManager.default.createDirectory(atPath: store.runsFolder, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: path("empty")))
        try Data(#"{"at":"2026-01-01T00:00:00.000Z","event":"runSta"#.utf8).write(to: URL(fileURLWithPath: path("torn")))
        try write(Self.script, run: "r1")

        let all = try store.all()
        XCTAssertEqual(all.runs.map(\.run), ["r1"])
        XCTAssertEqual(all.failures, [])
        for run in ["empty", "torn"] {
            XCTAssertFalse(store.exists(run))
            assertThrows(.unstarted(run: run, path: path(run))) { _ = try self.store.log(of: run) }
            assertThrows(.unstarted(run: run, path: path(run))) { _ = try self.store.open(run) }
        }
        XCTAssertTrue(LogError.unstarted(run: "empty", path: path("empty")).description.contains("runbook start RUNBOOK --run empty"))

        let writer = try store.create("empty")
        try writer.append(Self.started("empty"))
        writer.close()
        XCTAssertEqual(try EventLog.read(path("empty")).records, [Self.started("empty")])
        XCTAssertNil(try EventLog.read(path("empty")).chainProblem())
        XCTAssertEqual(try store.all().runs.map(\.run), ["empty", "r1"])
    }

    func testCreatingAnExistingRunIsRefused() throws {
        try write(Self.script)
        let before = try bytes()
        assertThrows(.runExists(run: "r1")) { _ = try self.store.create("r1") }
        XCTAssertEqual(try bytes(), before)
        // The refused create holds no lock.
        let (writer, _, _, _) = try store.open("r1")
        writer.close()
    }

    func testNamesAreSorted() throws {
        XCTAssertEqual(try store.names(), [])
        try write([Self.started("smt-b")], run: "smt-b")
        try write([Self.started("alpha")], run: "alpha")
        try write([Self.started("smt-a")], run: "smt-a")
        try write([Self.started("Zulu.1")], run: "Zulu.1")
        XCTAssertEqual(try store.names(), ["Zulu.1", "alpha", "smt-a", "smt-b"])
        XCTAssertTrue(store.exists("alpha"))
        XCTAssertFalse(store.exists("beta"))
        XCTAssertEqual(store.logPath(of: "alpha"), folder + "/runs/alpha.jsonl")
        let all = try store.all()
        XCTAssertEqual(all.runs.map(\.run), ["Zulu.1", "alpha", "smt-a", "smt-b"])
        XCTAssertEqual(all.failures, [])
    }

    func testAllReportsUnreadableRunsBesideTheOthers() throws {
        try write([Self.started("good")] + Self.script.dropFirst(), run: "good")
        try write(Self.script, run: "bad")
        try Data("garbage\n".utf8).write(to: URL(fileURLWithPath: path("bad")))
        let all = try store.all()
        XCTAssertEqual(all.runs.map(\.run), ["good"])
        XCTAssertEqual(all.failures, [.badLine(path: path("bad"), line: 1, reason: "not a log line (not JSON with a version `v`)")])
    }

    // MARK: Messages

    func testErrorDescriptionsAreOneLine() {
        let errors: [LogError] = [
            .unreadable(path: "/s/runs/r1.jsonl", reason: "Permission denied"),
            .badLine(path: "/s/runs/r1.jsonl", line: 7, reason: "not a log line"),
            .newerVersion(path: "/s/runs/r1.jsonl", line: 1, reason: "written by a newer runbook"),
            .illegalEvent(path: "/s/runs/r1.jsonl", line: 3, reason: "step `a` is still pending"),
            .locked(run: "r1", holder: "process 42 on laptop"),
            .writeFailed(path: "/s/runs/r1.jsonl", reason: "No space left on device"),
            .noSuchRun(run: "r2", suggestion: "r1"),
            .noSuchRun(run: "r2", suggestion: nil),
            .runExists(run: "r1"),
            .stateFolder(path: "/s/runs", reason: "cannot create it"),
        ]
        for error in errors {
            XCTAssertFalse(error.description.isEmpty)
            XCTAssertFalse(error.description.contains("\n"), error.description)
        }
        XCTAssertEqual(errors[1].description,
                       "/s/runs/r1.jsonl:7: not a log line; the log is left as it is: inspect that line, or start a new run")
        XCTAssertEqual(errors[4].description,
                       "run r1 is being walked by process 42 on laptop; finish or quit that walk first (or stop that process)")
        XCTAssertEqual(errors[6].description, "no run named r2; did you mean r1?")
        XCTAssertEqual(errors[7].description, "no run named r2; `runbook runs --all` lists them")
        XCTAssertEqual(errors[8].description,
                       "a run named r1 already exists; resume it with `runbook resume r1`, or pick another --run NAME")
    }
}
