import Foundation
import XCTest

/// Issue 17: a runbook carried over from a wiki (Fixtures/replica-lag.md) walked end to end, by pipe and
/// on a terminal: context sections, alternatives, variables in Where and prose, values captured from pastes,
/// a wait that polls a check.
final class RealRunbookWalkTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/replica-lag.md")
    /// Where the stuck branch hands off to.
    static let rebuild = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/replica-rebuild.md")
    static let members = """
        + Cluster: main (7000000000000000000) ----+----+-----------+
        | Member | Host      | Role    | State     | TL | Lag in MB |
        | pg-1   | 10.0.0.11 | Leader  | running   |  3 |           |
        | pg-2   | 10.0.0.12 | Replica | streaming |  3 |       512 |
        """

    func sandbox() throws -> (Sandbox, [String: String]) {
        let sandbox = try Sandbox()
        try sandbox.write("replica-lag.md", try String(contentsOf: Self.fixture, encoding: .utf8))
        try sandbox.write("replica-rebuild.md", try String(contentsOf: Self.rebuild, encoding: .utf8))
        // The sh check polls `replica-lag-bytes`: a stand-in that says the replica caught up.
        let bin = sandbox.root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let tool = bin.appendingPathComponent("replica-lag-bytes")
        try Data("#!/bin/sh\necho 0\n".utf8).write(to: tool)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
        return (sandbox, ["PATH": bin.path + ":/usr/bin:/bin", "RUNBOOK_SHELL": "bash"])
    }

    func testAWikiRunbookWalksByPipeWithContextAlternativesAndCapturedValues() throws {
        let (sandbox, env) = try sandbox()
        XCTAssertEqual(try sandbox.run(["lint", "--strict"], env: env).status, 0)
        let input = "about impact\ndone\n\(Self.members)\nend\ndone\npsql> {\"lag_bytes\" : 536870912}\nend\nreceiving\ndone\n"
        let result = try sandbox.run(["start", "replica-lag", "--run", "lag"], input: input, env: env)
        XCTAssertEqual(result.status, 0, result.stderr)
        let out = result.stdout
        for expected in [
            "About this runbook: Meaning, Impact, See also. Type about to list them, about NAME to read one.",
            "WHERE: a shell on main-bastion",
            "\nImpact\nReports that read from the replica show old numbers. \n",
            "```bash\npatronictl -c /etc/patroni.yml list main\n```",
            "Captured REPLICA = pg-2.",
            ">> Switch to: psql on pg-2",
            "(password `{{DB_PASSWORD}}`, from the vault) and ask pg-2 how far behind it is.",
            "Captured LAG_BYTES = 536870912.",
            "The replica had 536870912 bytes to apply.",
            "Expect: the lag of pg-2 reaches 0.",
            "Waiting up to 2m for the check to pass, trying it every 1s. Enter or Ctrl-C stops waiting.\n✔ Check passed",
            "Run lag complete: 3 done, 0 skipped",
        ] {
            XCTAssertTrue(out.contains(expected), "missing: \(expected)\n\(out)")
        }
        XCTAssertFalse(out.contains("powershell"), "RUNBOOK_SHELL=bash shows the bash block only")
        XCTAssertFalse(out.contains("Imported from the team wiki"), "HTML comments are never shown")
        let log = try String(contentsOf: sandbox.log("lag"), encoding: .utf8)
        XCTAssertTrue(log.contains(#""name":"REPLICA""#) && log.contains(#""value":"pg-2""#), log)
        XCTAssertFalse(log.contains("10.0.0.12"), "the pasted text is never stored")
        let show = try sandbox.run(["show", "replica-lag", "--format", "json"], env: env).stdout
        XCTAssertTrue(show.contains(#""captures" : ["#) && show.contains(#""REPLICA = line /"#), show)
    }

    func testTheStuckBranchHandsOffToTheRebuildRunbookWithTheCapturedReplica() throws {
        let (sandbox, env) = try sandbox()
        let input = "done\n\(Self.members)\nend\ndone\npsql> {\"lag_bytes\" : 536870912}\nend\nstuck\nrebuild\ndone\n"
        let result = try sandbox.run(["start", "replica-lag", "--run", "lag"], input: input, env: env)
        XCTAssertEqual(result.status, 0, result.all)
        // The hand-off starts a run of the other runbook at once, with the captured REPLICA.
        XCTAssertTrue(result.stdout.contains("patronictl -c /etc/patroni.yml reinit main pg-2"), result.stdout)
        XCTAssertTrue(result.stdout.contains("WHERE: a shell on pg-2"), result.stdout)
        let runs = try sandbox.run(["runs", "--all"], env: env).stdout
        XCTAssertTrue(runs.contains("handed off to replica-rebuild"), runs)
        let report = try sandbox.run(["report", "lag", "--format", "json"], env: env).stdout
        XCTAssertTrue(report.contains(#""handedOffTo""#) && report.contains(#""replica-rebuild""#), report)
    }

    func testTheHandOffOnATerminal() throws {
        let (sandbox, env) = try sandbox()
        let session = try TmuxSession(command: sandbox.terminalCommand(["start", "replica-lag", "--run", "lag-h"], env: env))
        defer { session.close() }
        XCTAssertTrue(session.wait(for: "main-bastion · step 1> ").ok, session.screen())
        session.type("done")
        XCTAssertTrue(session.wait(for: "a line with only: end").ok, session.screen())
        for line in Self.members.split(separator: "\n") { session.type(String(line)) }
        session.type("end")
        XCTAssertTrue(session.wait(for: "psql on pg-2 · step 2> ").ok, session.screen())
        session.type("done")
        XCTAssertTrue(session.wait(for: "a line with only: end").ok, session.screen())
        session.type(#"{"lag_bytes": 42}"#)
        session.type("end")
        XCTAssertTrue(session.wait(for: "step 2 · choice> ").ok, session.screen())
        session.type("stuck")
        XCTAssertTrue(session.wait(for: "a shell on pg-2 · step 3> ").ok, session.screen())
        session.type("rebuild")
        // The other runbook's first step, with the replica captured before.
        XCTAssertTrue(session.wait(for: "reinit main pg-2").ok, session.screen())
        XCTAssertTrue(session.wait(for: "a shell on pg-2 · step 1> ").ok, session.screen())
        session.type("done")
        XCTAssertEqual(session.exitStatus(), 0, session.screen())
    }

    func testTheSameWalkOnATerminal() throws {
        let (sandbox, env) = try sandbox()
        let session = try TmuxSession(command: sandbox.terminalCommand(["start", "replica-lag", "--run", "lag-t"], env: env))
        defer { session.close() }
        XCTAssertTrue(session.wait(for: "main-bastion · step 1> ").ok, session.screen())
        session.type("about")
        XCTAssertTrue(session.wait(for: "  3. See also").ok, session.screen())
        session.type("done")
        XCTAssertTrue(session.wait(for: "a line with only: end").ok, session.screen())
        for line in Self.members.split(separator: "\n") { session.type(String(line)) }
        session.type("end")
        XCTAssertTrue(session.wait(for: "psql on pg-2 · step 2> ").ok, session.screen())
        session.type("done")
        XCTAssertTrue(session.wait(for: "a line with only: end").ok, session.screen())
        session.type(#"{"lag_bytes": 42}"#)
        session.type("end")
        XCTAssertTrue(session.wait(for: "step 2 · choice> ").ok, session.screen())
        session.type("receiving")
        XCTAssertTrue(session.wait(for: "The replica had 42 bytes to apply.").ok, session.screen())
        // The wait polls the check (it passes at the first try, after a second), then the prompt.
        XCTAssertTrue(session.wait(for: "main-bastion · step 4> ").ok, session.screen())
        XCTAssertTrue(session.screen().contains(": the check passed."), session.screen())
        session.type("done")
        XCTAssertTrue(session.wait(for: "Run lag-t complete").ok, session.screen())
        XCTAssertEqual(session.exitStatus(), 0)
    }
}
