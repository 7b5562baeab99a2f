import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// The use cases of a run, on real files in a temporary folder: begin, take up again, end.
final class RunSessionTests: XCTestCase {
    private var root = ""
    private var runbooks: String { root + "/runbooks" }
    private var store: RunStore { RunStore(folder: root + "/state") }
    private let person = Operator(name: "dana", host: "laptop-7", timeZone: "UTC", now: { Date(timeIntervalSince1970: 1_800_000_000) })

    static let text = """
        # Two steps

        ## Variables
        - `BASE_URL`: the base URL. Default: `https://intelliwatt.com` Format: URL
        - `ADMIN_TOKEN` (secret): the admin token. Format: 8 characters

        ## First {#first}
        Where: laptop

        ```sh
        curl {{BASE_URL}}/x -H "t: {{ADMIN_TOKEN}}"
        ```

        Expect: x.

        ## Second {#second}
        Where: droplet

        Expect: y.
        """

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-session-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: runbooks, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/state", withIntermediateDirectories: true)
        try Self.text.write(toFile: runbooks + "/two.md", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: root) }

    private func runbook() throws -> Runbook { try RunSession.walkable("two", folder: runbooks) }

    func testStartRecordsTheGivenNonSecretValuesAfterTheFirstEvent() throws {
        let session = try RunSession.start(try runbook(), name: "r1", assignments: [
            VariableAssignment(name: "BASE_URL", value: "https://staging.intelliwatt.com"),
            VariableAssignment(name: "ADMIN_TOKEN", value: "s3cr3t-8"),
        ], store: store, person: person)
        session.writer.close()
        XCTAssertEqual(try store.log(of: "r1").records.map(\.event.name), ["runStarted", "variableRecorded"])
        XCTAssertEqual(session.state.variables, ["BASE_URL": "https://staging.intelliwatt.com"])
        XCTAssertFalse(try String(contentsOfFile: store.logPath(of: "r1"), encoding: .utf8).contains("s3cr3t-8"))
    }

    func testGivenValuesAreCheckedAgainstTheRunbook() throws {
        let runbook = try runbook()
        XCTAssertThrowsError(try RunSession.validate([VariableAssignment(name: "BASE", value: "x")], for: runbook)) { error in
            XCTAssertEqual((error as? UsageError)?.message, "--var BASE: two declares no variable BASE; it declares: BASE_URL, ADMIN_TOKEN")
        }
        XCTAssertThrowsError(try RunSession.validate([VariableAssignment(name: "ADMIN_TOKEN", value: "short")], for: runbook)) { error in
            XCTAssertEqual((error as? UsageError)?.message,
                           "--var ADMIN_TOKEN: it has 5 characters, not 8 characters; give a value that fits (Format: 8 characters)")
        }
        XCTAssertNoThrow(try RunSession.validate([VariableAssignment(name: "BASE_URL", value: "http://10.0.0.2")], for: runbook))
    }

    func testARunbookWithLintErrorsIsNotWalkable() throws {
        try "# Broken\n\n## No where\n\nExpect: x.\n".write(toFile: runbooks + "/broken.md", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RunSession.walkable("broken", folder: runbooks)) { error in
            guard case .breaksHouseRules(let path, let diagnostics)? = error as? RunSession.Refusal else { return XCTFail("\(error)") }
            XCTAssertEqual(path, runbooks + "/broken.md")
            XCTAssertEqual(diagnostics.map(\.rule), ["where"])
        }
    }

    func testTheUnfinishedRunsOfARunbookAreNamedInOneLine() throws {
        let runbook = try runbook()
        XCTAssertNil(RunSession.unfinishedNotice(for: runbook, among: []))
        for name in ["a", "b"] { try RunSession.start(runbook, name: name, assignments: [], store: store, person: person).writer.close() }
        let notice = RunSession.unfinishedNotice(for: runbook, among: try store.all().runs)
        XCTAssertEqual(notice, "Note: two already has 2 unfinished runs: a (step 1 of 2), b (step 1 of 2); `runbook resume RUN` continues one. Starting a new run.")
    }

    func testUnfinishedRunsPassesOverRunsThatEndedAndNamesTheRest() throws {
        let runbook = try runbook()
        for name in ["open", "over"] { try RunSession.start(runbook, name: name, assignments: [], store: store, person: person).writer.close() }
        _ = try RunSession.abandon("over", reason: "done by hand", store: store, person: person)
        XCTAssertEqual(store.unfinishedRuns(of: "two").map(\.run), ["open"])
        XCTAssertTrue(RunStore.endsTheRun(lastLineOf: store.logPath(of: "over")))
        XCTAssertFalse(RunStore.endsTheRun(lastLineOf: store.logPath(of: "open")))
        // A torn last line is not an end: the log is read whole, as any other.
        let torn = store.logPath(of: "over")
        let text = try String(contentsOfFile: torn, encoding: .utf8)
        try String(text.dropLast()).write(toFile: torn, atomically: false, encoding: .utf8)
        XCTAssertFalse(RunStore.endsTheRun(lastLineOf: torn))
    }

    func testResumeSaysWhatChangedAndRecordsTheResumeAndTheGivenValues() throws {
        try RunSession.start(try runbook(), name: "r1", assignments: [], store: store, person: person).writer.close()
        try Self.text.replacingOccurrences(of: "Expect: y.", with: "Expect: z.").write(toFile: runbooks + "/two.md", atomically: true, encoding: .utf8)
        let session = try RunSession.resume("r1", folder: runbooks, assignments: [VariableAssignment(name: "BASE_URL", value: "http://10.0.0.2")],
                                            store: store, person: person)
        session.writer.close()
        XCTAssertEqual(session.notices, [
            .init(.warning, "The runbook changed since this run last saw it (steps matched by id and content digest):"),
            .init(.info, "  changed: second (Second)"),
            .init(.info, "Going on from the first pending step.\n"),
        ])
        XCTAssertEqual(try store.log(of: "r1").records.map(\.event.name), ["runStarted", "runResumed", "variableRecorded"])
        XCTAssertEqual(session.state.variables, ["BASE_URL": "http://10.0.0.2"])
    }

    func testResumeRefusesRunsThatAreOverAndTheLatestIsChosen() throws {
        let runbook = try runbook()
        try RunSession.start(runbook, name: "r1", assignments: [], store: store, person: person).writer.close()
        XCTAssertEqual(try RunSession.abandon("r1", reason: "wrong runbook", store: store, person: person), store.logPath(of: "r1"))
        XCTAssertThrowsError(try RunSession.resume("r1", folder: runbooks, assignments: [], store: store, person: person)) { error in
            XCTAssertEqual(error as? RunSession.Refusal, .abandoned(run: "r1", reason: "wrong runbook", runbook: "two"))
        }
        XCTAssertThrowsError(try RunSession.abandon("r1", reason: "again", store: store, person: person)) { error in
            XCTAssertEqual(error as? RunSession.Refusal, .notActive(run: "r1", status: .abandoned))
        }
        XCTAssertEqual(RunStore.latestUnfinished(try store.all().runs), .none)
        try RunSession.start(runbook, name: "r2", assignments: [], store: store, person: person).writer.close()
        guard case .run(let latest, 1) = RunStore.latestUnfinished(try store.all().runs) else { return XCTFail("no run chosen") }
        XCTAssertEqual(latest.run, "r2")
    }

    func testARunFindsItsRunbookByIdInTheFolderElseByThePathItRecorded() throws {
        let session = try RunSession.start(try runbook(), name: "r1", assignments: [], store: store, person: person)
        session.writer.close()
        XCTAssertEqual(session.state.runbookPath, System.resolvedPath(runbooks + "/two.md"))
        XCTAssertEqual(RunSession.reference(to: session.state, folder: runbooks), "two")
        XCTAssertEqual(RunSession.reference(to: session.state, folder: root + "/elsewhere"), session.state.runbookPath)
        // Older logs recorded the path as given, relative to where the run began: it is used as it is.
        var old = session.state
        old.runbookPath = "runbooks/two.md"
        XCTAssertEqual(RunSession.reference(to: old, folder: root + "/elsewhere"), "runbooks/two.md")
        let resumed = try RunSession.resume("r1", folder: root + "/elsewhere", assignments: [], store: store, person: person)
        resumed.writer.close()
        XCTAssertEqual(resumed.runbook.id, "two")
    }
}
