import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

final class CheckParserTests: XCTestCase {
    /// The fence of every block below stands at line 10, column 1, unless a test says otherwise.
    private func parse(_ info: String, _ text: String, fence: SourceLocation = SourceLocation(line: 10, column: 1))
        -> Result<Check, CheckSyntaxError> {
        let lines = text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return CheckParser.parse(CodeBlock(kind: .check, info: info, lines: lines, location: fence))
    }

    private func failure(_ message: String, _ line: Int, _ column: Int) -> Result<Check, CheckSyntaxError> {
        .failure(CheckSyntaxError(message, at: SourceLocation(line: line, column: column)))
    }

    // MARK: http check

    func testHTTPCheck() {
        let result = parse("http check", """
            # a comment before the request line

            POST {{BASE_URL}}/api/admin/smt/token HTTP/1.1
            x-admin-token: {{ADMIN_TOKEN}}
            Content-Type:application/json

            {"dryRun": true,
              "note": "a: b"}
            expect status 501

            expect header content-type contains application/json
            expect body contains "ok": false
            expect json ok == false
            expect json status == 501
              expect json instructions.dropletHost == "intelliwatt-smt-proxy"
            expect json items.0.id == null

            """)
        XCTAssertEqual(result, .success(.http(
            HTTPRequest(method: "POST", url: "{{BASE_URL}}/api/admin/smt/token", headers: [
                .init(name: "x-admin-token", value: "{{ADMIN_TOKEN}}"),
                .init(name: "Content-Type", value: "application/json"),
            ], body: "{\"dryRun\": true,\n  \"note\": \"a: b\"}"),
            [
                .status(501),
                .headerContains(name: "content-type", text: "application/json"),
                .bodyContains("\"ok\": false"),
                .json(path: ["ok"], value: .bool(false)),
                .json(path: ["status"], value: .number(501)),
                .json(path: ["instructions", "dropletHost"], value: .string("intelliwatt-smt-proxy")),
                .json(path: ["items", "0", "id"], value: .null),
            ])))
    }

    func testHTTPCheckWithoutHeadersOrBody() {
        XCTAssertEqual(parse("http check", "GET https://example.com/health\nexpect status 200"), .success(.http(
            HTTPRequest(method: "GET", url: "https://example.com/health"), [.status(200)])))
    }

    func testEveryMethod() {
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] {
            XCTAssertEqual(parse("http check", "\(method) http://localhost:8080/\nexpect status 204"),
                           .success(.http(HTTPRequest(method: method, url: "http://localhost:8080/"), [.status(204)])), method)
        }
    }

    func testJSONLiterals() {
        let table: [(String, JSONValue)] = [
            ("false", .bool(false)), ("true", .bool(true)), ("501", .number(501)), ("-1.5", .number(-1.5)),
            ("\"x\"", .string("x")), ("\"a == b\"", .string("a == b")), ("null", .null),
            ("[1, \"a\"]", .array([.number(1), .string("a")])), ("{\"a\": 1}", .object(["a": .number(1)])),
        ]
        for (literal, value) in table {
            let result = parse("paste check", "expect json a.b == \(literal)")
            XCTAssertEqual(result, .success(.paste([.json(path: ["a", "b"], value: value)])), literal)
        }
    }

    // MARK: paste check

    func testPasteCheck() {
        XCTAssertEqual(parse("paste check", """

            # what the token test prints
            expect json statusCode == 200
              expect body contains accessToken
            expect json body.tokenType == "Bearer"
            """), .success(.paste([
                .json(path: ["statusCode"], value: .number(200)),
                .bodyContains("accessToken"),
                .json(path: ["body", "tokenType"], value: .string("Bearer")),
            ])))
    }

    // MARK: sh check

    func testShellCheck() {
        XCTAssertEqual(parse("sh check", "test -f /etc/hosts\ncurl -fsS {{BASE_URL}}/health | grep -q ok"),
                       .success(.shell("test -f /etc/hosts\ncurl -fsS {{BASE_URL}}/health | grep -q ok")))
        XCTAssertEqual(parse("check sh", "true"), .success(.shell("true")), "the words of the info string in any order")
    }

    func testSummaries() throws {
        XCTAssertEqual(try parse("http check", "GET https://x/token\nexpect status 501\nexpect json ok == false").get().summary,
                       "http GET https://x/token: status 501, json ok == false")
        XCTAssertEqual(try parse("paste check", "expect body contains ok").get().summary, "paste what you saw: body contains ok")
        XCTAssertEqual(try parse("sh check", "a\nb").get().summary, "sh `a` …: exit status 0")
        XCTAssertEqual(try parse("sh check", "a").get().kindName, "sh")
    }

    // MARK: Malformed checks

    func testHTTPWithoutRequestLine() {
        XCTAssertEqual(parse("http check", "expect status 200"),
                       failure("an http check needs a request line `METHOD URL`", 10, 1))
        XCTAssertEqual(parse("http check", ""), failure("an http check needs a request line `METHOD URL`", 10, 1))
    }

    func testHTTPBadMethod() {
        let message = "an http check starts with a request line `METHOD URL`, e.g. `GET {{BASE_URL}}/health`"
        XCTAssertEqual(parse("http check", "\nFETCH https://x\nexpect status 200"), failure(message, 12, 1))
        XCTAssertEqual(parse("http check", "get https://x\nexpect status 200"), failure(message, 11, 1))
        XCTAssertEqual(parse("http check", "https://x\nexpect status 200"), failure(message, 11, 1))
        XCTAssertEqual(parse("http check", "GET https://x extra\nexpect status 200"), failure(message, 11, 1))
    }

    func testHTTPBadURL() {
        XCTAssertEqual(parse("http check", "POST /api/token\nexpect status 200"),
                       failure("the URL `/api/token` must start with http:// or https://", 11, 6))
        XCTAssertEqual(parse("http check", "GET ftp://x\nexpect status 200", fence: SourceLocation(line: 3, column: 4)),
                       failure("the URL `ftp://x` must start with http:// or https://", 4, 8))
    }

    func testHTTPBadHeaderLine() {
        XCTAssertEqual(parse("http check", "GET https://x\nnot a header\nexpect status 200"),
                       failure("a header line is `Name: value`; put a blank line before a body", 12, 1))
    }

    func testHTTPWithoutExpectations() {
        XCTAssertEqual(parse("http check", "POST https://x\n\nbody"),
                       failure("an http check needs at least one `expect` line, e.g. `expect status 200`", 10, 1))
    }

    func testAGetOrHeadRequestHasNoBody() {
        XCTAssertEqual(parse("http check", "GET https://x\n\n{\"a\": 1}\nexpect status 200"),
                       failure("a GET request has no body: remove the lines after the blank line, or use POST", 13, 1))
        XCTAssertEqual(parse("http check", "HEAD https://x\n\n\nbody\nexpect status 200"),
                       failure("a HEAD request has no body: remove the lines after the blank line, or use POST", 14, 1))
        // Blank lines after the request are not a body.
        XCTAssertEqual(parse("http check", "GET https://x\n\n\nexpect status 200"),
                       .success(.http(HTTPRequest(method: "GET", url: "https://x"), [.status(200)])))
    }

    func testBadExpectLines() {
        let usage = "an expectation is `expect status N`, `expect header NAME contains TEXT`, `expect body contains TEXT` or `expect json PATH == VALUE`"
        let json = "write `expect json PATH == VALUE`, `expect json PATH exists` or `expect json PATH is KIND` (KIND: string, non-empty string, number, boolean, null, object, array)"
        let table: [(String, String)] = [
            ("expect everything", usage),
            ("expect nothing at all", usage),
            ("expect status abc", "`expect status` takes an HTTP status code from 100 to 599, not `abc`"),
            ("expect status 99", "`expect status` takes an HTTP status code from 100 to 599, not `99`"),
            ("expect header content-type application/json", "write `expect header NAME contains TEXT`"),
            ("expect body has ok", "write `expect body contains TEXT` (TEXT bare, or in double quotes)"),
            ("expect body contains   ", "write `expect body contains TEXT` (TEXT bare, or in double quotes)"),
            ("expect body contains \"\"", "write `expect body contains TEXT` (TEXT bare, or in double quotes)"),
            ("expect json ok = false", json + ", e.g. `expect json ok == false`"),
            ("expect json a..b == 1", "the JSON path `a..b` is not a dotted path such as `instructions.dropletHost`"),
            ("expect json  == 1", json + ", e.g. `expect json ok == false`"),
            ("expect json token is text", "`text` is not a kind of JSON value; " + json),
            ("expect json a b exists", "the JSON path `a b` is not a dotted path such as `instructions.dropletHost`"),
        ]
        for (line, message) in table {
            XCTAssertEqual(parse("http check", "GET https://x\n\(line)", fence: SourceLocation(line: 10, column: 3)),
                           failure(message, 12, 3), line)
        }
    }

    func testNonJSONValue() {
        XCTAssertEqual(parse("http check", "GET https://x\nexpect json dropletHost == intelliwatt-smt-proxy"),
                       failure("`intelliwatt-smt-proxy` is not a JSON literal: write `false`, `501` or `\"text\"` (strings in double quotes)", 12, 1))
        XCTAssertEqual(parse("paste check", "expect json ok == False"),
                       failure("`False` is not a JSON literal: write `false`, `501` or `\"text\"` (strings in double quotes)", 11, 1))
    }

    func testPasteWithStatusOrHeaderExpectation() {
        let message = "a paste check can only expect `body contains` or `json`: there is no status or header in pasted text"
        XCTAssertEqual(parse("paste check", "expect body contains ok\nexpect status 200"), failure(message, 12, 1))
        XCTAssertEqual(parse("paste check", "expect header a contains b"), failure(message, 11, 1))
    }

    func testPasteWithOtherLinesOrNoExpectations() {
        XCTAssertEqual(parse("paste check", "{\"statusCode\":200}"),
                       failure("a paste check holds only `expect body contains TEXT` and `expect json PATH == VALUE` lines", 11, 1))
        XCTAssertEqual(parse("paste check", "\n# nothing\n"), failure("a paste check needs at least one `expect` line", 10, 1))
    }

    func testEmptyShellCheck() {
        XCTAssertEqual(parse("sh check", "  \n"), failure("an sh check needs a script", 10, 1))
    }

    func testUnknownOrMissingKind() {
        XCTAssertEqual(parse("python check", "print(1)"),
                       failure("unknown check kind `python`: write `http check`, `paste check` or `sh check`", 10, 1))
        XCTAssertEqual(parse("check", "true"),
                       failure("a check block needs its kind: write `http check`, `paste check` or `sh check`", 10, 1))
    }

    // MARK: Through the runbook parser

    func testCheckBlockInARunbookKeepsFileLocations() {
        let runbook = RunbookParser.parse(source: """
            # T

            ## Call it
            Where: laptop

              ```http check
              GET https://x
              expect json ok == nope
              ```
            """, id: "t")
        XCTAssertEqual(runbook.steps[0].checks[0].check,
                       failure("`nope` is not a JSON literal: write `false`, `501` or `\"text\"` (strings in double quotes)", 8, 3))
        XCTAssertNil(runbook.steps[0].check, "a malformed check is no check")
    }

    func testQuotedTextIsTheTextInsideTheQuotes() {
        let at = SourceLocation(line: 1, column: 1)
        XCTAssertEqual(try CheckParser.expect(#"expect body contains "whitelisted""#, at: at), .bodyContains("whitelisted"))
        XCTAssertEqual(try CheckParser.expect(#"expect body contains " spaced out ""#, at: at), .bodyContains(" spaced out "))
        XCTAssertEqual(try CheckParser.expect(#"expect body contains "say \"hi\"""#, at: at), .bodyContains(#"say "hi""#))
        // Bare text is taken as written, quotes inside it included.
        XCTAssertEqual(try CheckParser.expect(#"expect body contains "ok": false"#, at: at), .bodyContains(#""ok": false"#))
        XCTAssertEqual(try CheckParser.expect("expect body contains NO REGRESSION FOUND", at: at), .bodyContains("NO REGRESSION FOUND"))
        XCTAssertEqual(try CheckParser.expect(#"expect header Content-Type contains "json""#, at: at),
                       .headerContains(name: "Content-Type", text: "json"))
    }

    func testJSONKinds() {
        let at = SourceLocation(line: 1, column: 1)
        XCTAssertEqual(try CheckParser.expect("expect json accessToken is non-empty string", at: at),
                       .jsonIs(path: ["accessToken"], kind: .nonEmptyString))
        XCTAssertEqual(try CheckParser.expect("expect json a.b exists", at: at), .jsonIs(path: ["a", "b"], kind: .exists))
        XCTAssertEqual(try CheckParser.expect("expect json n is number", at: at), .jsonIs(path: ["n"], kind: .number))
        // `==` wins: a string value may hold " is ".
        XCTAssertEqual(try CheckParser.expect(#"expect json m == "it is string""#, at: at),
                       .json(path: ["m"], value: .string("it is string")))
        XCTAssertEqual(Expectation.jsonIs(path: ["accessToken"], kind: .nonEmptyString).description, "json accessToken is non-empty string")
        XCTAssertEqual(Expectation.jsonIs(path: ["a"], kind: .exists).description, "json a exists")
    }
}
