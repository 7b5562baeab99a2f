import Foundation
import XCTest

/// Team runs (SPEC 9), end to end: a bare repository and two clones of it in a temporary folder are the
/// team's repository and two laptops; alice walks on one, bob on the other. Git only, no network.
final class TeamRunTests: XCTestCase {
    var sandbox: Sandbox!
    var remote: URL { sandbox.root.appendingPathComponent("team.git") }

    static let runbook = """
    # Handover drill

    Three steps walked across laptops.

    ## Variables
    - `TOKEN` (secret): the admin token.

    ## Look {#look}
    Where: laptop

    Look.

    Expect: seen.

    ## Fix {#fix}
    Where: laptop

    Fix it.

    Expect: fixed.

    ```sh check
    test -n "{{TOKEN}}"
    ```

    ## Close {#close}
    Where: laptop

    Close it.

    Expect: closed.

    """

    override func setUpWithError() throws {
        sandbox = try Sandbox()
        try sandbox.write("drill.md", Self.runbook)
        try git(["init", "--quiet", "--bare", "-b", "main", remote.path])
        for laptop in ["alice", "bob"] {
            let joined = try run(laptop, ["join", remote.path])
            XCTAssertEqual(joined.status, 0, joined.stderr)
            XCTAssertEqual(joined.stdout, "Joined \(remote.path): runs are shared through \(folder(laptop).path) (0 runs there now). "
                           + "Start one with `runbook start RUNBOOK`; another laptop resumes it with `runbook resume RUN`.\n")
        }
    }

    override func tearDown() { sandbox = nil }

    /// A laptop's state folder.
    func folder(_ laptop: String) -> URL { sandbox.root.appendingPathComponent("laptop-\(laptop)") }

    /// The binary on `laptop`, as its operator.
    ///
    /// The secret TOKEN comes from the environment, unless `askToken`: then the walk asks for it.
    func run(_ laptop: String, _ arguments: [String], input: String = "", env: [String: String] = [:], askToken: Bool = false,
             file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        var base = ["RUNBOOK_OPERATOR": laptop, "RUNBOOK_DIR": sandbox.runbooks.path]
        if !askToken { base["TOKEN"] = "env-token" }
        return try sandbox.run(["--state-dir", folder(laptop).path] + arguments, input: input,
                               env: base.merging(env) { _, new in new }, file: file, line: line)
    }

    @discardableResult
    func git(_ arguments: [String], in folder: URL? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = (folder.map { ["-C", $0.path] } ?? []) + arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": sandbox.root.path, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The events of a run as `report --format json` sees them on `laptop`: kind and operator.
    func events(_ laptop: String, _ run: String) throws -> [String] {
        let report = try self.run(laptop, ["report", run])
        XCTAssertEqual(report.status, 0, report.stderr)
        return report.stdout.split(separator: "\n").filter { $0.hasPrefix("- 20") && $0.contains("@") }
            .map { String($0.split(separator: " ", maxSplits: 4)[4]) }
    }

    func testAHandoverFromAliceToBobAndBackKeepsEveryEvent() throws {
        var outcome = try run("alice", ["start", "drill", "--run", "r1"], input: "done\nquit\n")
        XCTAssertEqual(outcome.status, 3, outcome.stderr)
        XCTAssertTrue(outcome.stdout.hasSuffix("Shared with origin: up to date.\n") || outcome.stdout.contains("Shared with origin: sent"),
                      outcome.stdout)

        outcome = try run("bob", ["resume", "r1"], input: "done\nquit\n")
        XCTAssertEqual(outcome.status, 3, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("Resuming run r1: Handover drill, 1 of 3 steps behind you."), outcome.stdout)

        outcome = try run("alice", ["resume", "r1"], input: "done\n")
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("Resuming run r1: Handover drill, 2 of 3 steps behind you."), outcome.stdout)

        // Every event of both laptops, in order, on both laptops.
        let expected = ["alice@\(host): started drill (3 steps)", "alice@\(host): paused (quit)", "bob@\(host): resumed",
                        "bob@\(host): paused (quit)", "alice@\(host): resumed", "alice@\(host): completed"]
        XCTAssertEqual(try events("alice", "r1"), expected)
        XCTAssertEqual(try events("bob", "r1"), expected)
        let report = try run("bob", ["report", "r1"]).stdout
        XCTAssertTrue(report.contains("## Handovers\n\n- "), report)
        XCTAssertTrue(report.contains(": alice on \(host) → bob on \(host)\n"), report)
        XCTAssertTrue(report.contains(": bob on \(host) → alice on \(host)\n"), report)
        for laptop in ["alice", "bob"] {
            let verified = try run(laptop, ["verify", "r1"])
            XCTAssertEqual(verified.stdout, "\(folder(laptop).path)/runs/r1: intact: 10 events, hash chain verified, every event legal.\n")
        }
        // One session file per walk: nobody ever wrote another's file.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder("bob").path + "/runs/r1").filter { $0.hasSuffix(".jsonl") }.count, 3)
        // The commits are authored by the operators.
        let authors = try git(["log", "--format=%an", "main"], in: remote).split(separator: "\n").map(String.init)
        XCTAssertEqual(Set(authors), ["alice", "bob"])
    }

    func testAClaimIsRefusedThenATakeOverIsRecorded() throws {
        // Alice walks on her laptop and has not quit: her walk shares each step as she goes.
        let (alice, input, _, _) = try sandbox.launch(["--state-dir", folder("alice").path, "start", "drill", "--run", "r1"],
                                                      env: ["RUNBOOK_OPERATOR": "alice", "RUNBOOK_DIR": sandbox.runbooks.path,
                                                            "TOKEN": "t"])
        input.fileHandleForWriting.write(Data("done\n".utf8))
        let deadline = Date().addingTimeInterval(20)
        while try !git(["log", "-p", "main"], in: remote).contains("stepCompleted") && Date() < deadline { usleep(50_000) }

        var outcome = try run("bob", ["resume", "r1"])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertEqual(outcome.stdout, "")
        XCTAssertTrue(outcome.stderr.hasPrefix("runbook: error: run r1 is being walked by alice on \(host) since 20"), outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("(as of the last fetch, 20"), outcome.stderr)
        XCTAssertTrue(outcome.stderr.hasSuffix("ask them to quit it, or walk it anyway with `runbook resume r1 --take-over`\n"), outcome.stderr)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1)

        outcome = try run("bob", ["resume", "r1", "--take-over"], input: "done\nquit\n")
        XCTAssertEqual(outcome.status, 3, outcome.stderr)
        XCTAssertTrue(outcome.stdout.hasPrefix("Taking run r1 over from alice on \(host).\n"), outcome.stdout)
        let taken = ["alice@\(host): started drill (3 steps)", "bob@\(host): took the run over from alice on \(host)",
                     "bob@\(host): paused (quit)"]
        XCTAssertEqual(try events("bob", "r1"), taken)
        let json = try run("bob", ["report", "r1", "--format", "json"]).stdout
        XCTAssertTrue(json.contains("\"takeover\" : true"), json)

        // Alice kept typing meanwhile: her walk is not lost, it is a fork of its own.
        input.fileHandleForWriting.write(Data("done\nquit\n".utf8))
        try input.fileHandleForWriting.close()
        alice.waitUntilExit()
        XCTAssertEqual(alice.terminationStatus, 3)
        XCTAssertEqual(try events("alice", "r1"), taken)
        let runs = try run("alice", ["runs"]).stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        let fork = try XCTUnwrap(runs.first { $0.hasPrefix("r1~") }, runs.description)
        XCTAssertEqual(try events("alice", fork), ["alice@\(host): started drill (3 steps)", "alice@\(host): paused (quit)"])
        for run in ["r1", fork] { XCTAssertEqual(try self.run("alice", ["verify", run]).status, 0) }
    }

    func testWalkingApartWhileTheRemoteIsUnreachableMakesAForkThatLosesNothing() throws {
        XCTAssertEqual(try run("alice", ["start", "drill", "--run", "r1"], input: "quit\n").status, 3)
        XCTAssertEqual(try run("bob", ["sync"]).stdout, "Shared with origin: received 2 events of r1.\n")
        for laptop in ["alice", "bob"] { try git(["remote", "set-url", "origin", sandbox.root.path + "/unreachable.git"], in: folder(laptop)) }

        let bob = try run("bob", ["resume", "r1"], input: "done\nquit\n")
        XCTAssertEqual(bob.status, 3)
        XCTAssertEqual(bob.stderr.split(separator: "\n").filter { $0.contains("cannot reach the team repository") }.count, 1, bob.stderr)
        let alice = try run("alice", ["resume", "r1"], input: "done\ndone\nquit\n")
        XCTAssertEqual(alice.status, 3)

        for laptop in ["alice", "bob"] { try git(["remote", "set-url", "origin", remote.path], in: folder(laptop)) }
        XCTAssertEqual(try run("bob", ["sync"]).status, 0)
        XCTAssertEqual(try run("alice", ["sync"]).status, 0)
        XCTAssertEqual(try run("bob", ["sync"]).status, 0)

        // Bob's walk began first: it keeps the name; alice's is a fork of its own, with every event.
        let runs = try run("alice", ["runs", "--all"]).stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        XCTAssertEqual(runs.count, 2, runs.description)
        XCTAssertEqual(runs.filter { $0 == "r1" }.count, 1)
        let fork = try XCTUnwrap(runs.first { $0.hasPrefix("r1~") })
        XCTAssertEqual(try events("bob", "r1"), ["alice@\(host): started drill (3 steps)", "alice@\(host): paused (quit)",
                                                 "bob@\(host): resumed", "bob@\(host): paused (quit)"])
        XCTAssertEqual(try events("bob", fork), ["alice@\(host): started drill (3 steps)", "alice@\(host): paused (quit)",
                                                 "alice@\(host): resumed", "alice@\(host): paused (quit)"])
        let report = try run("bob", ["report", fork]).stdout
        XCTAssertTrue(report.contains("- Forked from run r1 after its event 2, at step 1 (Look): two walks continued it apart; both are kept"), report)
        XCTAssertTrue(report.contains("- Steps: 2 done, 0 skipped, 1 pending"), report)
        for laptop in ["alice", "bob"] {
            XCTAssertEqual(try run(laptop, ["verify", "r1"]).status, 0)
            XCTAssertEqual(try run(laptop, ["verify", fork]).status, 0)
        }
        // The fork can be walked on.
        XCTAssertEqual(try run("alice", ["resume", fork], input: "done\n").status, 0)
    }

    func testARejectedPushIsFetchedRebasedAndRetried() throws {
        XCTAssertEqual(try run("alice", ["start", "drill", "--run", "r1"], input: "quit\n").status, 3)
        XCTAssertEqual(try run("bob", ["start", "drill", "--run", "r2"], input: "quit\n", env: ["RUNBOOK_SYNC": "off"]).status, 3)
        // The first push bob makes is refused, as when someone pushed between his fetch and his push.
        let marker = sandbox.root.appendingPathComponent("refused-once").path
        let hook = remote.appendingPathComponent("hooks/pre-receive")
        try "#!/bin/sh\nif [ ! -e \(marker) ]; then touch \(marker); echo 'busy, try again' >&2; exit 1; fi\nexit 0\n"
            .write(to: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook.path)
        let outcome = try run("bob", ["sync"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertEqual(outcome.stdout, "Shared with origin: sent 2 events of r2; received 2 events of r1.\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker))
        XCTAssertEqual(try run("alice", ["sync"]).stdout, "Shared with origin: received 2 events of r2.\n")
        XCTAssertEqual(try git(["status", "--porcelain", "--untracked-files=no"], in: folder("bob")), "")
    }

    func testALogEditedByHandOnBothLaptopsStopsTheSyncNamingTheFileAndLeavesTheRepositoryClean() throws {
        XCTAssertEqual(try run("alice", ["start", "drill", "--run", "r1"], input: "quit\n").status, 3)
        XCTAssertEqual(try run("bob", ["sync"]).status, 0)
        let name = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: folder("bob").path + "/runs/r1").first { $0.hasSuffix(".jsonl") })
        let file = "runs/r1/" + name
        for (laptop, text) in [("bob", "bob was here\n"), ("alice", "alice was here\n")] {
            let handle = try FileHandle(forWritingTo: folder(laptop).appendingPathComponent(file))
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try handle.close()
        }
        XCTAssertEqual(try run("bob", ["sync"]).status, 0)
        // Alice's edit is committed while she is offline, then meets bob's.
        try git(["remote", "set-url", "origin", sandbox.root.path + "/unreachable.git"], in: folder("alice"))
        XCTAssertEqual(try run("alice", ["sync"]).status, 1)
        try git(["remote", "set-url", "origin", remote.path], in: folder("alice"))
        let head = try git(["rev-parse", "HEAD"], in: folder("alice"))
        let outcome = try run("alice", ["sync"])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertEqual(outcome.stderr, "runbook: error: the team's copy of \(file) differs from this laptop's (edited by hand?): nothing was "
                       + "changed here; compare the two (`git diff @{u} -- \(file)` in the state folder), then `runbook sync`\n")
        XCTAssertEqual(try git(["rev-parse", "HEAD"], in: folder("alice")), head)
        XCTAssertEqual(try git(["status", "--porcelain"], in: folder("alice")), "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder("alice").path + "/.git/rebase-merge"))
    }

    func testWatchFollowsTheOtherLaptopsWalkToItsEnd() throws {
        XCTAssertEqual(try run("alice", ["start", "drill", "--run", "r1"], input: "quit\n").status, 3)
        let (watch, _, output, _) = try sandbox.launch(["--state-dir", folder("bob").path, "watch", "r1", "--interval", "0.2"],
                                                       env: ["RUNBOOK_DIR": sandbox.runbooks.path])
        let collected = Collected()
        let reader = DispatchGroup()
        reader.enter()
        DispatchQueue.global().async {
            collected.set(\.out, output.fileHandleForReading.readDataToEndOfFile())
            reader.leave()
        }
        XCTAssertEqual(try run("alice", ["resume", "r1"], input: "done\ndone\ndone\n").status, 0)
        XCTAssertEqual(reader.wait(timeout: .now() + 30), .success, "watch did not end with the run")
        watch.waitUntilExit()
        XCTAssertEqual(watch.terminationStatus, 0)
        // Each event line without its time: `2026-11-28 03:04:05 UTC  ` is 25 characters.
        let lines = collected.string(\.out).split(separator: "\n").map { $0.hasPrefix("20") ? String($0.dropFirst(25)) : String($0) }
        XCTAssertEqual(lines, [
            "Watching run r1: Handover drill (Ctrl-C stops watching).",
            "alice on \(host)  started drill (3 steps)", "alice on \(host)  paused (quit)", "alice on \(host)  resumed",
            "alice on \(host)  done: step 1 (Look)", "alice on \(host)  check passed: step 2 (Fix)", "alice on \(host)  done: step 2 (Fix)",
            "alice on \(host)  done: step 3 (Close)", "alice on \(host)  completed", "Run r1 is completed.",
        ])
    }

    func testASecretTypedDuringASharedWalkNeverReachesTheRepository() throws {
        let secret = "Zq9-typed-secret-4471"
        let outcome = try run("alice", ["start", "drill", "--run", "r1"], input: "done\n\(secret)\nnote the token was \(secret)\ndone\ndone\n",
                              askToken: true)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertEqual(try run("bob", ["sync"]).status, 0)
        for place in [folder("alice"), folder("bob"), remote] {
            let history = try git(["log", "-p", "--all"], in: place)
            XCTAssertTrue(history.contains("runCompleted"), "the run was shared")
            XCTAssertFalse(history.contains(secret), "a secret reached \(place.lastPathComponent)'s history")
        }
    }

    func testOutsideGitSyncSaysHowToSetOneUp() throws {
        let outcome = try sandbox.run(["sync"])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertEqual(outcome.stderr, "runbook: error: the state folder \(sandbox.state.path) is not shared through git; set one up from "
                       + "the team's runs repository with `runbook join URL` (or `git clone URL \(sandbox.state.path)`)\n")
    }

    func testWithoutGitTheWalkGoesOnAndSaysSoOnce() throws {
        let outcome = try run("alice", ["start", "drill", "--run", "r1"], input: "done\nquit\n", env: ["PATH": "/nonexistent"])
        XCTAssertEqual(outcome.status, 3, outcome.stderr)
        XCTAssertEqual(outcome.stderr.components(separatedBy: "git is not installed").count - 1, 1, outcome.stderr)
        XCTAssertEqual(try run("alice", ["sync"]).stdout, "Shared with origin: sent 3 events of r1.\n")
    }

    var host: String { ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "" }
}
