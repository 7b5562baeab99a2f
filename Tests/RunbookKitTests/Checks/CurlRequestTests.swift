import XCTest
@testable import RunbookKit
import RunbookSupport

/// `CurlRequest`: the config curl reads, reading what it prints, its exit codes, the command to copy.
final class CurlRequestTests: XCTestCase {
    private let token = HTTPRequest(method: "GET", url: "https://intelliwatt.test/api/admin/smt/token",
                                    headers: [.init(name: "x-admin-token", value: "s3cr\"et\\42")])

    // MARK: - The config

    func testConfigOfAGet() {
        XCTAssertEqual(CurlRequest.config(token, timeout: 10), #"""
            url = "https://intelliwatt.test/api/admin/smt/token"
            request = "GET"
            header = "x-admin-token: s3cr\"et\\42"
            globoff
            proto = "=http,https"
            max-time = 10
            max-filesize = 8388608
            silent
            show-error
            dump-header = "-"
            write-out = "\n~runbook-curl~ %{http_code} %{size_header}"

            """#)
    }

    func testConfigOfAPostWithABodyAndAFractionalTimeout() {
        let post = HTTPRequest(method: "POST", url: "http://127.0.0.1:8080/x",
                               headers: [.init(name: "Content-Type", value: "application/json")],
                               body: "{\n  \"a\": \"tab\there\"\n}")
        let lines = CurlRequest.config(post, timeout: 2.5).split(separator: "\n")
        XCTAssertEqual(Array(lines.prefix(4)), [
            #"url = "http://127.0.0.1:8080/x""#,
            #"request = "POST""#,
            #"header = "Content-Type: application/json""#,
            #"data-raw = "{\n  \"a\": \"tab\there\"\n}""#,
        ])
        XCTAssertTrue(lines.contains("max-time = 2.5"))
        XCTAssertFalse(lines.contains { $0.hasPrefix("location") }, "redirects are never followed")
    }

    func testConfigOfAHeadAsksForHeadersOnly() {
        let lines = CurlRequest.config(HTTPRequest(method: "HEAD", url: "http://h/"), timeout: 1).split(separator: "\n")
        XCTAssertEqual(Array(lines.prefix(3)), [#"url = "http://h/""#, "head", #"output = "/dev/null""#])
        XCTAssertFalse(lines.contains { $0.hasPrefix("request") })
    }

    func testQuotingFollowsCurlsConfigSyntax() {
        let cases: [(String, String, UInt)] = [
            ("plain", #""plain""#, #line),
            ("", #""""#, #line),
            (#"a "quoted" word"#, #""a \"quoted\" word""#, #line),
            (#"C:\path\"#, #""C:\\path\\""#, #line),
            ("two\nlines\r\n", #""two\nlines\r\n""#, #line),
            ("tab\tand\u{0B}vt", #""tab\tand\vvt""#, #line),
            ("ünïcødé ••••", "\"ünïcødé ••••\"", #line),
            ("# not a comment = x", ##""# not a comment = x""##, #line),
        ]
        for (value, quoted, line) in cases {
            XCTAssertEqual(CurlRequest.quoted(value), quoted, line: line)
        }
    }

    func testTheArgumentsHoldNothingOfTheRequest() {
        XCTAssertEqual(CurlRequest.arguments, ["-q", "--config", "-"])
    }

    func testRequestsCurlMustNotSend() {
        XCTAssertNil(CurlRequest.problem(with: token))
        let split = HTTPRequest(method: "GET", url: "http://h/", headers: [.init(name: "x-admin-token", value: "abc\r\nX-Evil: 1")])
        XCTAssertEqual(CurlRequest.problem(with: split), "the header x-admin-token holds a line break; check the variables it uses")
        let newline = HTTPRequest(method: "GET", url: "http://h/", headers: [.init(name: "a", value: "b\nc")])
        XCTAssertEqual(CurlRequest.problem(with: newline), "the header a holds a line break; check the variables it uses")
        let nul = HTTPRequest(method: "POST", url: "http://h/", body: "a\u{0}b")
        XCTAssertEqual(CurlRequest.problem(with: nul), "the request holds a NUL character; check the variables it uses")
        // A body may hold line breaks.
        XCTAssertNil(CurlRequest.problem(with: HTTPRequest(method: "POST", url: "http://h/", body: "a\nb")))
    }

    // MARK: - Reading what curl printed

    private func output(_ head: String, _ body: String, status: Int) -> [UInt8] {
        Array((head + body + "\n~runbook-curl~ \(status) \(head.utf8.count)").utf8)
    }

    func testParseSplitsHeadersBodyAndStatus() {
        let head = "HTTP/1.1 501 Not Implemented\r\nContent-Type: application/json\r\nX-Id:  7 \r\nContent-Length: 11\r\n\r\n"
        let response = CurlRequest.parse(output(head, #"{"ok":false}"#, status: 501))
        XCTAssertEqual(response, CurlRequest.Response(status: 501, headers: ["Content-Type": "application/json", "X-Id": "7",
                                                                             "Content-Length": "11"],
                                                      body: #"{"ok":false}"#))
    }

    func testParseKeepsOnlyTheLastResponsesHeadersAndJoinsRepeatedOnes() {
        let head = "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\nHTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\n\r\n"
        let response = CurlRequest.parse(output(head, "ok", status: 200))
        XCTAssertEqual(response?.headers, ["Set-Cookie": "a=1, b=2"])
        XCTAssertEqual(response?.body, "ok")
    }

    func testParseFindsTheLastMarkerWhenTheBodyHoldsOne() {
        let head = "HTTP/2 200\r\n\r\n"
        let body = "text\n~runbook-curl~ 999 0\nmore"
        XCTAssertEqual(CurlRequest.parse(output(head, body, status: 200)), CurlRequest.Response(status: 200, headers: [:], body: body))
    }

    func testParseOfAHeadHasAnEmptyBody() {
        let head = "HTTP/1.1 204 No Content\r\nServer: stub\r\n\r\n"
        XCTAssertEqual(CurlRequest.parse(output(head, "", status: 204)),
                       CurlRequest.Response(status: 204, headers: ["Server": "stub"], body: ""))
    }

    func testParseRefusesOutputThatDoesNotAddUp() {
        XCTAssertNil(CurlRequest.parse([]))
        XCTAssertNil(CurlRequest.parse(Array("HTTP/1.1 200 OK\r\n\r\nbody".utf8)), "no marker: curl stopped early")
        XCTAssertNil(CurlRequest.parse(Array("short\n~runbook-curl~ 200 999".utf8)), "more header bytes than output")
        XCTAssertNil(CurlRequest.parse(Array("\n~runbook-curl~ abc 0".utf8)))
    }

    // MARK: - Exit codes to verdicts

    private func describe(_ status: Int32, _ message: String = "", url: String = "http://127.0.0.1:8080/x",
                          host: String = "127.0.0.1", port: Int? = 8080, timeout: Double = 10) -> String {
        Renderer(style: Style(enabled: false)).plain(CurlRequest.describe(exit: status, message: message, url: url, host: host, port: port, timeout: timeout))
    }

    func testExitCodesGiveTheSameVerdictsAsBefore() {
        let cases: [(String, String, UInt)] = [
            (describe(28, "curl: (28) Operation timed out after 1001 milliseconds with 0 bytes received", timeout: 1),
             "no answer from 127.0.0.1 within 1 s (timed out)", #line),
            (describe(28, timeout: 2.5), "no answer from 127.0.0.1 within 2.5 s (timed out)", #line),
            (describe(7, "curl: (7) Failed to connect to 127.0.0.1 port 8080 after 0 ms: Couldn't connect to server"),
             "connection refused by 127.0.0.1:8080: is the server up?", #line),
            (describe(7, "curl: (7) Failed to connect to 127.0.0.1 port 80: Connection refused", port: nil),
             "connection refused by 127.0.0.1: is the server up?", #line),
            (describe(7, "curl: (7) Failed to connect to h port 80: Network is unreachable", host: "h"),
             "network unreachable while calling h", #line),
            (describe(6, "curl: (6) Could not resolve host: nonexistent.invalid", host: "nonexistent.invalid"),
             "cannot resolve host nonexistent.invalid (DNS): check the URL and your network", #line),
            (describe(60, "curl: (60) SSL certificate problem: self-signed certificate", host: "self-signed.test"),
             "TLS failed with self-signed.test: the certificate or TLS setup was refused", #line),
            (describe(35, "curl: (35) OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number"),
             "TLS failed with 127.0.0.1: the certificate or TLS setup was refused", #line),
            (describe(3, url: "http://[::1"), "`http://[::1` is not an http(s) URL; check the variables it uses", #line),
            (describe(52, "curl: (52) Empty reply from server"),
             "no HTTP response from 127.0.0.1: the server closed the connection without answering", #line),
            (describe(63), "the response from 127.0.0.1 is larger than 8 MiB, more than a check reads", #line),
            (describe(56, "curl: (56) Recv failure: Connection reset by peer\n"),
             "request to 127.0.0.1 failed: Recv failure: Connection reset by peer", #line),
            (describe(2), "request to 127.0.0.1 failed: curl exited 2", #line),
        ]
        for (got, want, line) in cases {
            XCTAssertEqual(got, want, line: line)
        }
    }

    // MARK: - The command to copy

    func testTheCommandToCopy() {
        let shown = HTTPRequest(method: "GET", url: "https://intelliwatt.test/api/admin/smt/token",
                                headers: [.init(name: "x-admin-token", value: "{{ADMIN_TOKEN}}")])
        XCTAssertEqual(CurlRequest.command(shown, timeout: 10),
                       "curl -i https://intelliwatt.test/api/admin/smt/token -H \"x-admin-token: $ADMIN_TOKEN\" --max-time 10")
        let templated = HTTPRequest(method: "GET", url: "{{BASE_URL}}/health?a=1&b=2")
        XCTAssertEqual(CurlRequest.command(templated, timeout: 1.5), "curl -i -g \"$BASE_URL/health?a=1&b=2\" --max-time 1.5")
        let post = HTTPRequest(method: "POST", url: "http://h/x", headers: [.init(name: "Content-Type", value: "application/json")],
                               body: "{\"note\": \"it's\"}")
        XCTAssertEqual(CurlRequest.command(post, timeout: 10),
                       #"curl -i -X POST http://h/x -H 'Content-Type: application/json' --data-raw '{"note": "it'\''s"}' --max-time 10"#)
        XCTAssertEqual(CurlRequest.command(HTTPRequest(method: "HEAD", url: "http://h/"), timeout: 3), "curl -i -I http://h/ --max-time 3")
        XCTAssertEqual(CurlRequest.command(HTTPRequest(method: "GET", url: "http://h/", body: "a\nb"), timeout: 3),
                       #"curl -i -X GET http://h/ --data-raw $'a\nb' --max-time 3"#)
    }

    func testShellQuoting() {
        let cases: [(String, String, UInt)] = [
            ("plain-word_1.2/x:y=z@h%20+,", "plain-word_1.2/x:y=z@h%20+,", #line),
            ("", "''", #line),
            ("two words", "'two words'", #line),
            ("$HOME `x` \"q\" !", #"'$HOME `x` "q" !'"#, #line),
            ("it's", #"'it'\''s'"#, #line),
            ("a\nb\\c'd\te\u{1}", #"$'a\nb\\c\'d\te\x01'"#, #line),
        ]
        for (word, quoted, line) in cases {
            XCTAssertEqual(CurlRequest.shellQuoted(word), quoted, line: line)
        }
    }

    func testTheCommandRunsInAShellAsQuoted() throws {
        // Each quoted word comes back whole from a real shell: bash, since `$'…'` is not POSIX sh.
        let bash = "/bin/bash"
        guard FileManager.default.isExecutableFile(atPath: bash) else { throw XCTSkip("no \(bash) here") }
        let words = ["plain", "", "two words", "$HOME `x` \"q\" !", "it's", "a\nb\\c'd\te", "{{ADMIN_TOKEN}}", "ünï •"]
        let outcome = try ChildProcess.run(bash, arguments: ["-c", "printf '%s\\0' " + words.map(CurlRequest.shellQuoted).joined(separator: " ")],
                                           environment: [:], outputLimit: 1 << 20, timeout: 10).get()
        let back = String(decoding: outcome.output, as: UTF8.self).split(separator: "\0", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(back.map(String.init), words)
    }
}
