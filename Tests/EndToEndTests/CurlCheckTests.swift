import Foundation
import XCTest

/// How `http check` uses the system curl: the token never on a command line, requests sent as
/// written, no redirect followed, the command to try a failed check by hand, curl missing.
final class CurlCheckTests: XCTestCase {
    private var servers: [LocalHTTPServer] = []

    override func tearDown() {
        for server in servers { server.stop() }
        servers = []
        super.tearDown()
    }

    private func serve(_ routes: [String: LocalHTTPServer.Response]) throws -> LocalHTTPServer {
        let server = try LocalHTTPServer(routes: routes, maxRequests: 4)
        servers.append(server)
        return server
    }

    static let token = "f00dfeed" + String(repeating: "7e57", count: 14)

    /// One step whose check sends `request` (a `.http` block) with a secret TOKEN and a BASE_URL.
    static func runbook(_ request: String) -> String {
        """
        # Curl

        One http check.

        ## Variables
        - `BASE_URL`: the server. Default: `http://127.0.0.1:9`
        - `TOKEN` (secret): the admin token.

        ## Call it {#call}
        Where: PowerShell on your laptop

        ```powershell
        Invoke-RestMethod -Uri '{{BASE_URL}}/x'
        ```

        Expect: the check passes.

        ```http check
        \(request)
        ```

        """
    }

    // MARK: - The token and the process list

    /// Every process's command line (and environment, readable as root), NULs as spaces.
    private func processes() -> [(pid: String, cmdline: String, environ: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.filter { $0.allSatisfy(\.isNumber) }.map { pid in
            func read(_ file: String) -> String {
                let data = FileManager.default.contents(atPath: "/proc/\(pid)/\(file)") ?? Data()
                return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            }
            return (pid, read("cmdline"), read("environ"))
        }
    }

    func testTheTokenIsNeverOnACommandLineWhileTheCheckRuns() throws {
        let server = try serve(["/x": LocalHTTPServer.Response(status: 200, body: #"{"ok":true}"#, held: true)])
        let sandbox = try Sandbox()
        try sandbox.write("curl.md", Self.runbook("GET {{BASE_URL}}/x\nx-admin-token: {{TOKEN}}\n\nexpect status 200"))
        // The token is typed at the secret prompt: it is in no environment and on no command line to begin with.
        let walk = try LiveWalk(sandbox, ["start", "curl", "--run", "c1", "--var", "BASE_URL=\(server.baseURL)"])
        XCTAssertTrue(walk.out.wait(for: Prompt.question(1, "PowerShell on your laptop", "TOKEN")), walk.out.text)
        walk.send(Self.token + "\n")
        XCTAssertTrue(walk.out.wait(for: Prompt.step(1, "PowerShell on your laptop")), walk.out.text)
        walk.send("done\n")

        // The server holds its answer: curl is running with the request in flight.
        let deadline = Date().addingTimeInterval(10)
        while server.requests.isEmpty && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(server.requests.first?.headers["x-admin-token"], Self.token, "the server got the real token")
        var sawCurl = false
        for _ in 0..<5 {
            for process in processes() {
                XCTAssertFalse(process.cmdline.contains(Self.token), "the token is on the command line of \(process.pid): \(process.cmdline)")
                XCTAssertFalse(process.environ.contains(Self.token), "the token is in the environment of \(process.pid)")
                if process.cmdline.hasSuffix("curl -q --config - ") { sawCurl = true }
            }
            usleep(20_000)
        }
        XCTAssertTrue(sawCurl, "curl should be running with its config on standard input")
        server.release()

        let (status, _) = walk.finish()
        XCTAssertEqual(status, 0, walk.out.text + walk.err.text)
        XCTAssertTrue(walk.out.text.contains("✔ Check passed (passed: status 200)"), walk.out.text)
        XCTAssertFalse(walk.out.text.contains(Self.token) || walk.err.text.contains(Self.token))
        XCTAssertFalse(try String(contentsOf: sandbox.log("c1"), encoding: .utf8).contains(Self.token))
    }

    // MARK: - The request as written

    func testHeadersAndBodyReachTheServerAsWritten() throws {
        let server = try serve(["/api/echo": LocalHTTPServer.Response(status: 201, headers: [("X-Trace", "abc-123"), ("Content-Type", "application/json")],
                                                                     body: #"{"saved":true}"#)])
        let sandbox = try Sandbox()
        let request = #"""
            POST {{BASE_URL}}/api/echo
            Content-Type: application/json
            x-admin-token: {{TOKEN}}
            x-odd: say "hi" \ then {braces} [brackets] $HOME `x` 'q' ünï

            {"note": "a \"quoted\" \\ value", "n": 1}

            expect status 201
            expect header x-trace contains abc
            expect json saved == true
            """#
        try sandbox.write("curl.md", Self.runbook(request))
        let result = try sandbox.run(["start", "curl", "--run", "p1", "--var", "BASE_URL=\(server.baseURL)"],
                                     input: "done\n", env: ["TOKEN": Self.token])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("✔ Check passed (passed: status 201, header x-trace contains abc, json saved == true)"),
                      result.stdout)
        let received = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(received.method, "POST")
        XCTAssertEqual(received.headers["x-odd"], #"say "hi" \ then {braces} [brackets] $HOME `x` 'q' ünï"#)
        XCTAssertEqual(received.headers["x-admin-token"], Self.token)
        XCTAssertEqual(received.headers["content-type"], "application/json")
        XCTAssertEqual(received.body, #"{"note": "a \"quoted\" \\ value", "n": 1}"#)
    }

    func testARedirectIsNotFollowed() throws {
        let server = try serve([
            "/old": LocalHTTPServer.Response(status: 302, headers: [("Location", "/new")], body: ""),
            "/new": .json(200, #"{"ok":true}"#),
        ])
        let sandbox = try Sandbox()
        try sandbox.write("curl.md", Self.runbook("GET {{BASE_URL}}/old\nx-admin-token: {{TOKEN}}\n\nexpect status 302\nexpect header location contains /new"))
        let result = try sandbox.run(["start", "curl", "--run", "r1", "--var", "BASE_URL=\(server.baseURL)"],
                                     input: "done\n", env: ["TOKEN": Self.token])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertEqual(server.requests.map(\.path), ["/old"], "the token must not follow a redirect")
    }

    // MARK: - When it fails

    func testAFailedCheckPrintsACommandThatReproducesTheRequest() throws {
        let server = try serve(["/x": .json(200, #"{"ok":false}"#)])
        let sandbox = try Sandbox()
        try sandbox.write("curl.md", Self.runbook("GET {{BASE_URL}}/x\nx-admin-token: {{TOKEN}}\n\nexpect json ok == true"))
        let result = try sandbox.run(["start", "curl", "--run", "f1", "--var", "BASE_URL=\(server.baseURL)", "--check-timeout", "5"],
                                     input: "done\n", env: ["TOKEN": Self.token])
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let failure = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("✘ Check failed: ") }, result.stdout)
        XCTAssertEqual(lines[failure], "✘ Check failed: expected ok == true, got false")
        // The secret is read from the environment when the line is pasted: never braces, never the value.
        XCTAssertEqual(lines[failure + 1],
                       #"To try it by hand: curl -i \#(server.baseURL)/x -H "x-admin-token: $TOKEN" --max-time 5"#)
        XCTAssertFalse(result.stdout.contains(Self.token))

        // Pasted as it is into a shell that has TOKEN set, the command sends the same request again.
        let command = lines[failure + 1].replacingOccurrences(of: "To try it by hand: ", with: "")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", command + " >/dev/null 2>&1"]
        shell.environment = ["PATH": "/usr/bin:/bin", "TOKEN": Self.token]
        try shell.run()
        shell.waitUntilExit()
        XCTAssertEqual(shell.terminationStatus, 0)
        XCTAssertEqual(server.requests.count, 2)
        XCTAssertEqual(server.requests.last?.path, "/x")
        XCTAssertEqual(server.requests.last?.headers["x-admin-token"], Self.token)
    }

    func testAMissingCurlIsOneLineSayingSo() throws {
        let sandbox = try Sandbox()
        let empty = sandbox.root.appendingPathComponent("empty-bin")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try sandbox.write("curl.md", Self.runbook("GET {{BASE_URL}}/x\n\nexpect status 200"))
        let result = try sandbox.run(["start", "curl", "--run", "m1"], input: "done\n", env: ["PATH": empty.path])
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains(
            "✘ Check failed: curl is not installed (or not on PATH), and the http check runs it: install curl, then retry the check\n"
            + "To try it by hand: curl -i http://127.0.0.1:9/x --max-time 10\n"), result.stdout)
        XCTAssertEqual(result.stderr, "")
    }

    func testAResponseLargerThanACheckReadsFails() throws {
        let big = String(repeating: "x", count: (8 << 20) + 1)
        let server = try serve(["/big": LocalHTTPServer.Response(status: 200, headers: [("Content-Type", "text/plain")], body: big)])
        let sandbox = try Sandbox()
        try sandbox.write("curl.md", Self.runbook("GET {{BASE_URL}}/big\n\nexpect status 200"))
        let result = try sandbox.run(["start", "curl", "--run", "b1", "--var", "BASE_URL=\(server.baseURL)"], input: "done\n")
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("✘ Check failed: the response from 127.0.0.1 is larger than 8 MiB, more than a check reads\n"),
                      result.stdout)
    }
}
