import Foundation
import XCTest

/// Golden transcripts: the whole screen of a piped walk of each shipped runbook, compared in full.
///
/// When a change to what the walk prints is intended, record them again with one command:
/// `RUNBOOK_RECORD=1 swift test --filter TranscriptTests` (then read the diff before committing).
final class TranscriptTests: XCTestCase {
    private var server: LocalHTTPServer?

    override func tearDown() {
        server?.stop()
        super.tearDown()
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Transcripts")

    /// What the operator pastes after the token test: the whole terminal selection.
    static let tokenSelection = """
        deploy@intelliwatt-smt-proxy:~$ /home/deploy/smt_token_test.sh
        SMT API Service ID password:
        {"statusCode":200,"accessToken":"eyJhbGciOiJIUzI1NiJ9.e30.c2ln","tokenType":"Bearer","expiresIn":3600,"issuedAt":"2025-11-17T15:00:00Z","expiresAt":"2025-11-17T16:00:00Z"}
        deploy@intelliwatt-smt-proxy:~$
        end
        """

    /// The lines typed into each walk, by transcript: `RUNBOOK` or `RUNBOOK.BRANCH`.
    static let inputs: [String: [String]] = [
        "smt-jwt-status": ["in", "ok", tokenSelection, "done", HTTPCheckTests.adminToken, "ok"],
        // A new engineer whose key is already on the droplet: the key steps are bypassed.
        "onboarding": ["done", "have-key", "done", "done", tokenSelection, "done", "done", HTTPCheckTests.adminToken, "done"],
        // All fine: the stub, ssh, the settings, a 200, the search, the close-out.
        "incident-smt-auth": [
            "note caller: vercel /api/cron/smt-sync", "done", HTTPCheckTests.adminToken, "ok", "in",
            "done", "SMT_API_BASE_URL=https://services.smartmetertexas.net\nSMT_USERNAME=INTELLIWATTAPI\nend",
            "ok", "done", tokenSelection, "done", "done", "NO REGRESSION FOUND\nend", "note no hits; stub fine", "done",
        ],
        // A 401, the password checked and the test retried (a loop), then a 200.
        "incident-smt-auth.401": [
            "done", HTTPCheckTests.adminToken, "ok", "in",
            "done", "SMT_API_BASE_URL=https://services.smartmetertexas.net\nSMT_USERNAME=INTELLIWATTAPI\nend",
            "401", "note password rotated in the portal yesterday", "done", "1", "ok", "done", tokenSelection,
            "done", "skip hits found", "done",
        ],
        // ssh refused: the droplet steps are handed over.
        "incident-smt-auth.refused": [
            "done", HTTPCheckTests.adminToken, "done", "1", "done", "2", "note Permission denied (publickey); Sam takes the droplet steps",
            "done", "done", "NO REGRESSION FOUND\nend", "done",
        ],
    ]

    /// Walks `id` from a pipe and returns everything it printed, normalised: the server's port and elapsed times.
    func transcript(_ name: String) throws -> String {
        let id = String(name.prefix { $0 != "." })
        let stub = try LocalHTTPServer(routes: [HTTPCheckTests.path: .json(501, HTTPCheckTests.stubBody)])
        server = stub
        let sandbox = try Sandbox()
        try sandbox.write("\(id).md", try String(contentsOf: Sandbox.shippedRunbooks.appendingPathComponent("\(id).md"), encoding: .utf8))
        let input = (Self.inputs[name] ?? []).joined(separator: "\n") + "\n"
        let walk = try sandbox.run(["start", id, "--run", "golden", "--var", "BASE_URL=\(stub.baseURL)"], input: input)
        XCTAssertEqual(walk.status, 0, walk.all)
        XCTAssertFalse(walk.all.contains(HTTPCheckTests.adminToken), "the token was shown")
        let text = "$ runbook start \(id) --run golden --var BASE_URL=\(stub.baseURL)\n" + walk.stdout
            + (walk.stderr.isEmpty ? "" : "--- stderr ---\n" + walk.stderr) + "--- exit \(walk.status) ---\n"
        return text.replacingOccurrences(of: stub.baseURL, with: "http://127.0.0.1:PORT")
            .replacingOccurrences(of: #"\d+ (s|min \d+ s) elapsed"#, with: "N s elapsed", options: .regularExpression)
    }

    func assertTranscript(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let actual = try transcript(id)
        let golden = Self.folder.appendingPathComponent("\(id).txt")
        if ProcessInfo.processInfo.environment["RUNBOOK_RECORD"] == "1" {
            try Data(actual.utf8).write(to: golden)
            // As snapshot libraries do: a recording run never passes, so it cannot stand in for a test run.
            return XCTFail("\(id): recorded Transcripts/\(id).txt; read the diff, then run the tests again without RUNBOOK_RECORD",
                           file: file, line: line)
        }
        guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
            return XCTFail("no transcript \(golden.path): record it with RUNBOOK_RECORD=1 swift test --filter TranscriptTests",
                           file: file, line: line)
        }
        guard actual != expected else { return }
        let want = expected.components(separatedBy: "\n"), got = actual.components(separatedBy: "\n")
        let first = (0..<min(want.count, got.count)).first { want[$0] != got[$0] } ?? min(want.count, got.count)
        let context = (max(0, first - 2)..<min(max(want.count, got.count), first + 3)).map { index in
            "\(index + 1)  want: \(index < want.count ? want[index] : "<end>")\n\(index + 1)  got:  \(index < got.count ? got[index] : "<end>")"
        }.joined(separator: "\n")
        XCTFail("""
            \(id): the walk's screen differs from Transcripts/\(id).txt at line \(first + 1):
            \(context)
            If the change is intended: RUNBOOK_RECORD=1 swift test --filter TranscriptTests
            """, file: file, line: line)
    }

    func testSMTJWTStatus() throws { try assertTranscript("smt-jwt-status") }
    func testOnboarding() throws { try assertTranscript("onboarding") }
    func testIncidentSMTAuth() throws { try assertTranscript("incident-smt-auth") }
    func testIncidentSMTAuthA401AndARetry() throws { try assertTranscript("incident-smt-auth.401") }
    func testIncidentSMTAuthSSHRefused() throws { try assertTranscript("incident-smt-auth.refused") }
}
