import XCTest
@testable import RunbookKit

/// The pure parts of sharing runs through git: the environment git gets, how its messages are read,
/// how events are counted, and what a sync asks of git (through a fake).
final class TeamSyncTests: XCTestCase {
    func testGitRunsWithoutPromptsAndCannotBeAimedElsewhere() {
        let safe = Git.safe(["GIT_DIR": "/elsewhere", "GIT_WORK_TREE": "/x", "GIT_INDEX_FILE": "/i", "HOME": "/home/dana",
                             "GIT_ASKPASS": "/usr/bin/ksshaskpass", "LANG": "fr_FR.UTF-8"])
        XCTAssertEqual(safe, ["HOME": "/home/dana", "LANG": "fr_FR.UTF-8", "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": "",
                              "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o ConnectTimeout=10", "LC_ALL": "C", "GIT_EDITOR": "true"])
    }

    func testGitMessagesAreClassifiedIntoOneLine() {
        let table: [(String, SyncError, UInt)] = [
            ("fatal: '/srv/runs.git' does not appear to be a git repository\nfatal: Could not read from remote repository.\n",
             .unreachable(remote: "origin", detail: "'/srv/runs.git' does not appear to be a git repository"), #line),
            ("ssh: Could not resolve hostname git.acme: Name or service not known\nfatal: Could not read from remote repository.\n",
             .unreachable(remote: "origin", detail: "Could not read from remote repository."), #line),
            ("git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.\n",
             .credentials(remote: "origin", detail: "Could not read from remote repository."), #line),
            ("fatal: could not read Username for 'https://github.com': terminal prompts disabled\n",
             .credentials(remote: "origin", detail: "could not read Username for 'https://github.com': terminal prompts disabled"), #line),
            ("fatal: Unable to create '/s/.git/index.lock': File exists.\n", .busy(folder: "/s"), #line),
            ("fatal: bad object HEAD\n", .failed(command: "fetch", detail: "bad object HEAD"), #line),
        ]
        for (errors, expected, line) in table {
            XCTAssertEqual(SyncError.classify(command: "fetch", remote: "origin", errors: errors, folder: "/s"), expected, line: line)
        }
    }

    func testEventsAreCountedByRunFromNumstat() {
        let numstat = "3\t0\truns/r1/20261128-030405-laptop-a-x1.jsonl\n2\t0\truns/r1/20261128-040405-laptop-b-y2.jsonl\n"
            + "5\t0\truns/old.jsonl\n0\t4\truns/r2/gone.jsonl\n-\t-\truns/blob.bin\n1\t0\tREADME.md\n"
        XCTAssertEqual(TeamSync.counts(numstat: numstat), ["r1": 5, "old": 5])
    }

    func testASyncWithoutARemoteCommitsHereOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("teamsync-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/.git", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let calls = Locked<[[String]]>([])
        let sync = TeamSync(folder: folder, environment: [:]) { arguments, _, _ in
            calls.withLock { $0.append(Array(arguments.dropFirst(2))) }
            switch Array(arguments.dropFirst(2)) {
            case ["symbolic-ref", "--quiet", "--short", "HEAD"]: return .success(Git.Output(status: 0, output: "main\n"))
            case ["diff", "--cached", "--numstat", "--", TeamSync.logs]: return .success(Git.Output(status: 0, output: "2\t0\truns/r1/s.jsonl\n"))
            case ["config", "user.email"]: return .success(Git.Output(status: 1, output: ""))
            case ["config", "user.name"]: return .success(Git.Output(status: 0, output: "Dana\n"))
            default: return .success(Git.Output(status: arguments.contains("--get") || arguments.last == "remote" ? 1 : 0, output: ""))
            }
        }
        let report = try sync.sync(author: "dana", host: "laptop-7")
        XCTAssertTrue(report.localOnly)
        let commit = try XCTUnwrap(calls.current.first { $0.contains("commit") })
        XCTAssertEqual(commit, ["-c", "user.email=dana@laptop-7", "-c", "commit.gpgSign=false", "commit", "--quiet", "--no-verify",
                                "-m", "runbook: r1 +2", "-m", "- r1: 2 events"])
        XCTAssertFalse(calls.current.contains { $0.first == "push" || $0.first == "fetch" })
    }
}
