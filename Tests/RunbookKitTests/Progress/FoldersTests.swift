import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// Where runs are kept, and when that place cannot be used.
final class FoldersTests: XCTestCase {
    func testTheStateFolderComesFromTheOptionThenTheEnvironment() {
        let table: [(options: GlobalOptions, env: [String: String], state: String, base: String, unresolved: String?, line: UInt)] = [
            (GlobalOptions(stateFolder: "st"), ["RUNBOOK_STATE_DIR": "/e", "HOME": "/h"], "st", ".", nil, #line),
            (GlobalOptions(), ["RUNBOOK_STATE_DIR": "/e/s", "HOME": "/h"], "/e/s", "/e", nil, #line),
            (GlobalOptions(), ["RUNBOOK_STATE_DIR": "", "XDG_STATE_HOME": "/x", "HOME": "/h"], "/x/runbook", "/", nil, #line),
            // A relative XDG_STATE_HOME is ignored, as the XDG spec says.
            (GlobalOptions(), ["XDG_STATE_HOME": "rel/x", "HOME": "/h"], "/h/.local/state/runbook", "/h", nil, #line),
            (GlobalOptions(), ["HOME": "/home/dana"], "/home/dana/.local/state/runbook", "/home/dana", nil, #line),
            (GlobalOptions(), [:], "", "", "$HOME is not set", #line),
            (GlobalOptions(), ["HOME": ""], "", "", "$HOME is not set", #line),
            (GlobalOptions(), ["HOME": "home"], "", "", "$HOME (home) is not an absolute path", #line),
        ]
        for (options, env, state, base, unresolved, line) in table {
            let folders = Folders(options: options, environment: env)
            XCTAssertEqual(folders.state, state, line: line)
            XCTAssertEqual(folders.stateBase, base, line: line)
            XCTAssertEqual(folders.stateUnresolved, unresolved, line: line)
        }
    }

    func testAStateFolderIsUsableOnlyWhenItIsAFolderOrCanBeCreatedBelowOneThatExists() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-folders-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/state/runs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/file"))
        try FileManager.default.createDirectory(atPath: root + "/runs-file", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/runs-file/runs"))

        func problem(_ state: String) -> String? { Folders(runbooks: "rb", state: state).stateProblem() }
        XCTAssertNil(problem(root + "/state"))
        XCTAssertNil(problem(root + "/new"), "created at the first start, in a folder that exists")
        XCTAssertEqual(problem(root + "/file"),
                       "the state folder \(root)/file is not a folder; pass --state-dir DIR or set RUNBOOK_STATE_DIR to a folder")
        XCTAssertEqual(problem(root + "/missing/deeper"),
                       "the state folder \(root)/missing/deeper does not exist, and \(root)/missing, where it would be created, "
                       + "is not a folder; create it, or pass --state-dir DIR or set RUNBOOK_STATE_DIR")
        XCTAssertNotNil(problem(root + "/file/below"))
        XCTAssertTrue(problem(root + "/runs-file")?.hasPrefix("\(root)/runs-file/runs is not a folder") ?? false)
        XCTAssertEqual(Folders(options: GlobalOptions(), environment: [:]).stateProblem(),
                       "no state folder: $HOME is not set; pass --state-dir DIR or set RUNBOOK_STATE_DIR")
        // The default needs $HOME itself to exist: it is never created.
        XCTAssertNotNil(Folders(options: GlobalOptions(), environment: ["HOME": root + "/no-such-home"]).stateProblem())
        XCTAssertNil(Folders(options: GlobalOptions(), environment: ["HOME": root]).stateProblem())
    }

    func testTheRunbooksFolderIsTheNearestOneUpwardsUnlessOneIsNamed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-nearest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/repo/runbooks", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/repo/a/b", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/none", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let table: [(options: GlobalOptions, env: [String: String], here: String, runbooks: String, line: UInt)] = [
            (GlobalOptions(), [:], root + "/repo", "runbooks", #line),
            (GlobalOptions(), [:], root + "/repo/a/b", "../../runbooks", #line),
            (GlobalOptions(), [:], root + "/repo/runbooks", "../runbooks", #line),
            (GlobalOptions(), [:], root + "/none", "runbooks", #line),
            (GlobalOptions(), ["RUNBOOK_DIR": "/env"], root + "/repo/a", "/env", #line),
            (GlobalOptions(runbooksFolder: "given"), ["RUNBOOK_DIR": "/env"], root + "/repo/a", "given", #line),
        ]
        for (options, env, here, runbooks, line) in table {
            XCTAssertEqual(Folders(options: options, environment: env, currentFolder: here).runbooks, runbooks, line: line)
        }
    }
}
