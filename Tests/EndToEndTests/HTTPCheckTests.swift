import Foundation
import XCTest

/// `http check` against a real HTTP server on 127.0.0.1 (SPEC section 3), and the shipped SMT runbook end to end.
final class HTTPCheckTests: XCTestCase {
    private var servers: [LocalHTTPServer] = []

    override func tearDown() {
        for server in servers { server.stop() }
        servers = []
        super.tearDown()
    }

    private func serve(_ routes: [String: LocalHTTPServer.Response], maxRequests: Int = 8) throws -> LocalHTTPServer {
        let server = try LocalHTTPServer(routes: routes, maxRequests: maxRequests)
        servers.append(server)
        return server
    }

    static let path = "/api/admin/smt/token"
    /// 64 characters, like the real admin token.
    static let adminToken = "a1b2c3d4e5f60718293a4b5c6d7e8f90" + "0f1e2d3c4b5a69788796a5b4c3d2e1f0"

    /// The body of the SMT admin stub, as the team's notes give it: it answers 501 and says where tokens come from.
    static let stubBody = """
    {"ok":false,"status":501,"message":"SMT JWT token must be tested from the whitelisted SMT droplet, not from Vercel.",\
    "instructions":{"dropletHost":"intelliwatt-smt-proxy","scriptPath":"/home/deploy/smt_token_test.sh",\
    "note":"This route intentionally returns 501 because SMT only whitelists the droplet IP. Use the droplet script for live JWT verification."},\
    "integration":{"endpoint":"https://services.smartmetertexas.net/v2/token/",\
    "authFlow":"POST with { username: SMT_USERNAME, password: SMT_PASSWORD }","usernameEnv":"SMT_USERNAME=INTELLIWATTAPI",\
    "baseUrlEnv":"SMT_API_BASE_URL=https://services.smartmetertexas.net"}}
    """

    static let stubRunbook = """
    # Admin stub

    Checks that the SMT admin stub answers 501.

    ## Variables
    - `BASE_URL`: IntelliWatt base URL. Default: `https://intelliwatt.com`
    - `ADMIN_TOKEN` (secret): the 64-character admin token.

    ## Check the admin stub {#admin-stub}
    Where: PowerShell on your laptop

    ```powershell
    Invoke-RestMethod -Uri '{{BASE_URL}}/api/admin/smt/token' -SkipHttpErrorCheck
    ```

    Expect: `501` and a JSON body naming the droplet.

    ```http check
    GET {{BASE_URL}}/api/admin/smt/token
    x-admin-token: {{ADMIN_TOKEN}}

    expect status 501
    expect json ok == false
    expect json instructions.dropletHost == "intelliwatt-smt-proxy"
    ```

    """

    private func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.write("stub.md", Self.stubRunbook)
        return sandbox
    }

    /// Everything that could leak the token: what was printed, the log, the lock and both reports.
    private func everything(_ sandbox: Sandbox, run: String, _ outcome: Outcome) throws -> String {
        var text = outcome.stdout + outcome.stderr
        text += try String(contentsOf: sandbox.log(run), encoding: .utf8)
        text += (try? String(contentsOf: sandbox.state.appendingPathComponent("runs/\(run).lock"), encoding: .utf8)) ?? ""
        text += try sandbox.run(["report", run]).stdout
        text += try sandbox.run(["report", run, "--format", "json"]).stdout
        text += try sandbox.run(["status", run, "--json"]).stdout
        return text
    }

    func testTheCheckPassesAgainstTheStubAndTheTokenStaysSecret() throws {
        let server = try serve([Self.path: .json(501, Self.stubBody)])
        let sandbox = try sandbox()
        let result = try sandbox.run(["start", "stub", "--run", "h1", "--var", "BASE_URL=\(server.baseURL)"],
                                     input: "done\n", env: ["ADMIN_TOKEN": Self.adminToken])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("✔ Check passed"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Run h1 complete: 1 done"), result.stdout)
        // The action block shows the URL substituted, the check line names it; the secret never.
        XCTAssertTrue(result.stdout.contains("\(server.baseURL)/api/admin/smt/token"), result.stdout)

        let requests = server.requests
        XCTAssertEqual(requests.count, 1)
        XCTAssertEqual(requests.first?.method, "GET")
        XCTAssertEqual(requests.first?.path, Self.path)
        XCTAssertEqual(requests.first?.headers["x-admin-token"], Self.adminToken, "the server must get the real token")

        let report = try parseJSON(try sandbox.run(["report", "h1", "--format", "json"]).stdout) as? [String: Any]
        let steps = report?["steps"] as? [[String: Any]]
        XCTAssertEqual(steps?.first?["check"] as? String, "passed")
        XCTAssertEqual(report?["status"] as? String, "completed")

        let all = try everything(sandbox, run: "h1", result)
        XCTAssertFalse(all.contains(Self.adminToken), "the token leaked")
        XCTAssertFalse(all.contains(String(Self.adminToken.prefix(16))), "part of the token leaked")
        XCTAssertEqual(try sandbox.run(["verify", "h1"]).status, 0)
    }

    // MARK: - Failures, without a terminal: exit 1 at once with a one-line reason

    /// Walks the stub runbook from a pipe against `baseURL`; the check must fail with a reason holding every one of `parts`.
    @discardableResult
    private func assertCheckFails(baseURL: String, timeout: String? = nil, containing parts: [String],
                                  file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        let sandbox = try sandbox()
        var arguments = ["start", "stub", "--run", "f1", "--var", "BASE_URL=\(baseURL)"]
        if let timeout { arguments += ["--check-timeout", timeout] }
        let result = try sandbox.run(arguments, input: "done\ndone\n", env: ["ADMIN_TOKEN": Self.adminToken], timeout: 30,
                                     file: file, line: line)
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr, file: file, line: line)
        let failures = result.stdout.split(separator: "\n").filter { $0.contains("✘ Check failed: ") }
        XCTAssertEqual(failures.count, 1, "one failure line, and the walk stops at once:\n\(result.stdout)", file: file, line: line)
        let reason = failures.first.map { String($0.split(separator: "✘ Check failed: ", maxSplits: 1).last ?? "") } ?? ""
        XCTAssertFalse(reason.isEmpty, file: file, line: line)
        for part in parts {
            XCTAssertTrue(reason.contains(part), "`\(part)` missing from the reason: \(reason)", file: file, line: line)
        }
        XCTAssertTrue(result.stdout.contains("runbook resume f1"), result.stdout, file: file, line: line)
        XCTAssertFalse(result.stdout.contains("✔ Done"), result.stdout, file: file, line: line)
        for marker in ["Fatal error", "Stack dump", "Segmentation fault", "Illegal instruction"] {
            XCTAssertFalse((result.stdout + result.stderr).contains(marker), result.stderr, file: file, line: line)
        }
        // The failure is recorded; the step stays pending; the log is sound; the token never shows.
        let status = try sandbox.statusJSON("f1", file: file, line: line)
        let step = (status["steps"] as? [[String: Any]])?.first
        XCTAssertEqual(step?["status"] as? String, "pending", file: file, line: line)
        XCTAssertEqual(step?["check"] as? String, "failed", file: file, line: line)
        XCTAssertEqual(try sandbox.run(["verify", "f1"]).status, 0, file: file, line: line)
        XCTAssertFalse(try everything(sandbox, run: "f1", result).contains(Self.adminToken), "the token leaked", file: file, line: line)
        return result
    }

    func testWrongStatusFails() throws {
        let server = try serve([Self.path: .json(200, Self.stubBody.replacingOccurrences(of: "501", with: "200"))])
        try assertCheckFails(baseURL: server.baseURL, containing: ["expected status 501, got 200"])
        XCTAssertEqual(server.requests.count, 1)
    }

    func testJSONValueMismatchFails() throws {
        let body = Self.stubBody.replacingOccurrences(of: #""ok":false"#, with: #""ok":true"#)
        let server = try serve([Self.path: .json(501, body)])
        try assertCheckFails(baseURL: server.baseURL, containing: ["ok == false", "true"])
    }

    func testConnectionRefusedFails() throws {
        let port = try LocalHTTPServer.closedPort()
        try assertCheckFails(baseURL: "http://127.0.0.1:\(port)", containing: ["connection refused", "127.0.0.1:\(port)"])
    }

    func testAServerThatNeverAnswersTimesOut() throws {
        let server = try serve([Self.path: .silent])
        try assertCheckFails(baseURL: server.baseURL, timeout: "1", containing: ["timed out", "1 s"])
        XCTAssertEqual(server.requests.count, 1, "the request reached the server, which kept quiet")
    }

    func testAnUnresolvableHostFails() throws {
        // `.invalid` never resolves (RFC 2606); without DNS at all the time limit still ends it.
        let result = try assertCheckFails(baseURL: "http://nonexistent.invalid", timeout: "2", containing: ["nonexistent.invalid"])
        let reason = result.stdout.split(separator: "\n").first { $0.contains("✘ Check failed: ") } ?? ""
        XCTAssertTrue(reason.contains("cannot resolve host") || reason.contains("timed out"), String(reason))
    }

    // MARK: - The shipped runbook

    func testTheShippedSMTRunbookEndToEnd() throws {
        let server = try serve([Self.path: .json(501, Self.stubBody)])
        let sandbox = try Sandbox()
        let shipped = URL(fileURLWithPath: #filePath)  // Tests/EndToEndTests/HTTPCheckTests.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("runbooks/smt-jwt-status.md")
        try sandbox.write("smt-jwt-status.md", try String(contentsOf: shipped, encoding: .utf8))
        // The whole terminal selection: the command, the password prompt, the flat answer the notes describe, the prompt.
        let pasted = """
            deploy@intelliwatt-smt-proxy:~$ /home/deploy/smt_token_test.sh
            SMT API Service ID password:
            {"statusCode":200,"accessToken":"eyJhbGciOiJIUzI1NiJ9.e30.sig","tokenType":"Bearer","expiresIn":3600,\
            "issuedAt":"2025-11-17T15:00:00Z","expiresAt":"2025-11-17T16:00:00Z"}
            deploy@intelliwatt-smt-proxy:~$
            """
        // `in`: ssh got in (the first step is a decision: its other way hands off to the incident runbook).
        let input = "in\n" + "ok\n" + pasted + "\nend\n" + "done\n" + "ok\n"
        let result = try sandbox.run(["start", "smt-jwt-status", "--run", "smt1", "--var", "BASE_URL=\(server.baseURL)"],
                                     input: input, env: ["ADMIN_TOKEN": Self.adminToken])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("Run smt1 complete: 4 done, 0 skipped"), result.stdout)
        XCTAssertEqual(result.stdout.count(of: "✔ Check passed"), 2, result.stdout)
        XCTAssertTrue(result.stdout.contains(">> Switch to: droplet intelliwatt-smt-proxy"), result.stdout)
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertEqual(server.requests.first?.headers["x-admin-token"], Self.adminToken)
        XCTAssertEqual(result.stdout.count(of: "How this works:"), 1, result.stdout)

        let report = try parseJSON(try sandbox.run(["report", "smt1", "--format", "json"]).stdout) as? [String: Any]
        let checks = (report?["steps"] as? [[String: Any]])?.map { $0["check"] as? String ?? "none" }
        XCTAssertEqual(checks, ["none", "passed", "none", "passed"])
        // Neither the admin token nor the pasted access token is kept anywhere.
        let all = try everything(sandbox, run: "smt1", Outcome(stdout: "", stderr: result.stderr, status: 0))
        XCTAssertFalse(all.contains(Self.adminToken), "the admin token leaked")
        XCTAssertFalse(try String(contentsOf: sandbox.log("smt1"), encoding: .utf8).contains("eyJhbGciOiJIUzI1NiJ9"),
                       "the pasted token was stored")
        XCTAssertFalse(result.stdout.contains(Self.adminToken), "the admin token was printed")
        XCTAssertEqual(try sandbox.run(["verify", "smt1"]).status, 0)
    }

    private func parseJSON(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }
}
