import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// `Expectation.evaluate`: each kind, passing and failing, with the message the operator reads.
final class ExpectationTests: XCTestCase {
    private let response = Observed(
        status: 501,
        headers: ["Content-Type": "application/json; charset=utf-8", "X-Request-Id": "abc-123"],
        body: #"{"ok": false, "error": "jwt only", "instructions": {"dropletHost": "intelliwatt-smt-proxy", "port": 22}, "items": [{"id": 7}, {"id": 8}], "none": null}"#)

    private func evaluate(_ expectations: [Expectation], _ observed: Observed? = nil) -> Shown {
        Expectation.evaluate(expectations, against: observed ?? response).shown
    }

    private func json(_ path: String, _ literal: String) -> Expectation {
        .json(path: path.split(separator: ".").map(String.init), value: JSONValue.parse(literal)!)
    }

    // MARK: status

    func testStatus() {
        XCTAssertEqual(evaluate([.status(501)]), .pass("passed: status 501"))
        XCTAssertEqual(evaluate([.status(200)]), .fail("expected status 200, got 501"))
        XCTAssertEqual(evaluate([.status(200)], Observed(body: "")), .fail("expected status 200, got none"))
    }

    // MARK: headers

    func testHeaderContains() {
        XCTAssertEqual(evaluate([.headerContains(name: "Content-Type", text: "json")]),
                       .pass("passed: header Content-Type contains json"))
        // Header names match in any case; the text is matched as written.
        XCTAssertEqual(evaluate([.headerContains(name: "content-type", text: "charset=utf-8")]),
                       .pass("passed: header content-type contains charset=utf-8"))
        XCTAssertEqual(evaluate([.headerContains(name: "Content-Type", text: "JSON")]),
                       .fail("expected header Content-Type to contain JSON, got application/json; charset=utf-8",
                             recorded: "expected header Content-Type to contain JSON"))
        XCTAssertEqual(evaluate([.headerContains(name: "X-Trace", text: "1")]),
                       .fail("expected a header X-Trace, there is none"))
    }

    // MARK: body

    func testBodyContains() {
        XCTAssertEqual(evaluate([.bodyContains("jwt only")]), .pass("passed: body contains jwt only"))
        XCTAssertEqual(evaluate([.bodyContains("oauth")]).recorded, "expected the body to contain oauth")
        XCTAssertEqual(evaluate([.bodyContains("x")], Observed(body: "")), .fail("expected the body to contain x, got nothing"))
    }

    // MARK: json

    func testJSONPasses() {
        XCTAssertEqual(evaluate([json("ok", "false")]), .pass("passed: json ok == false"))
        XCTAssertEqual(evaluate([json("instructions.dropletHost", #""intelliwatt-smt-proxy""#)]),
                       .pass(#"passed: json instructions.dropletHost == "intelliwatt-smt-proxy""#))
        // Numbers compare by value.
        XCTAssertEqual(evaluate([json("instructions.port", "22.0")]), .pass("passed: json instructions.port == 22"))
        XCTAssertEqual(evaluate([json("items.1.id", "8")]), .pass("passed: json items.1.id == 8"))
        XCTAssertEqual(evaluate([json("none", "null")]), .pass("passed: json none == null"))
        XCTAssertEqual(evaluate([json("instructions", #"{"port": 22, "dropletHost": "intelliwatt-smt-proxy"}"#)]).passed, true)
    }

    func testJSONFailures() {
        XCTAssertEqual(evaluate([json("ok", "true")]), .fail("expected ok == true, got false"))
        XCTAssertEqual(evaluate([json("ok", #""false""#)]), .fail(#"expected ok == "false", got false"#))
        XCTAssertEqual(evaluate([json("instructions.port", "2222")]), .fail("expected instructions.port == 2222, got 22"))
        XCTAssertEqual(evaluate([json("instructions.user", #""deploy""#)]),
                       .fail(#"expected instructions.user == "deploy", there is no instructions.user"#))
        XCTAssertEqual(evaluate([json("items.5.id", "8")]), .fail("expected items.5.id == 8, there is no items.5.id"))
        XCTAssertEqual(evaluate([json("ok.deeper", "1")]), .fail("expected ok.deeper == 1, there is no ok.deeper"))
        XCTAssertEqual(evaluate([json("ok", "false")], Observed(status: 200, body: "<html>not json</html>")),
                       .fail("expected JSON with ok == false, but the body is not JSON"))
        // A string that came instead is shown on screen, never kept in the log.
        let long = String(repeating: "x", count: 50)
        XCTAssertEqual(evaluate([json("v", #""short""#)], Observed(body: #"{"v": "\#(long)"}"#)),
                       .fail(#"expected v == "short", got "\#(long)""#, recorded: #"expected v == "short", got a string (shown on screen only)"#))
    }

    // MARK: several at once

    func testTheFirstFailureIsTheVerdict() {
        XCTAssertEqual(evaluate([.status(501), .bodyContains("jwt"), json("ok", "false")]),
                       .pass("passed: status 501, body contains jwt, json ok == false"))
        XCTAssertEqual(evaluate([.status(501), .bodyContains("oauth"), json("ok", "true")]).recorded,
                       "expected the body to contain oauth")
        XCTAssertEqual(evaluate([json("ok", "true"), .status(200)]), .fail("expected ok == true, got false"))
    }

    // MARK: pasted text

    func testPastedStringsReachTheScreenButNeverTheLog() {
        let token = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.tok"
        let pasted = Observed(body: #"{"ok": true, "token": "\#(token)", "user": {"name": "\#(token)"}}"#, pasted: true)
        let failures: [Expectation] = [
            .bodyContains("status: ok"),
            json("token", #""something-else""#),
            json("user", "false"),
            json("ok", "false"),
            json("missing", "1"),
            .jsonIs(path: ["token"], kind: .number),
        ]
        for expectation in failures {
            let result = evaluate([expectation], pasted)
            XCTAssertFalse(result.passed, "\(expectation)")
            XCTAssertFalse(result.recorded.contains(token), result.recorded)
            XCTAssertFalse(result.recorded.contains("c2VjcmV0"), result.recorded)
        }
        // What came instead is on the screen; the log keeps only its kind.
        XCTAssertEqual(evaluate([json("token", #""x""#)], pasted),
                       .fail(#"expected token == "x", got "\#(token)""#, recorded: #"expected token == "x", got a string (shown on screen only)"#))
        XCTAssertEqual(evaluate([json("user", "1")], pasted).recorded, "expected user == 1, got an object")
        // Numbers, booleans and null are kept as they came.
        XCTAssertEqual(evaluate([json("ok", "false")], pasted), .fail("expected ok == false, got true"))
        XCTAssertEqual(evaluate([json("ok", "true")], Observed(body: "token=\(token)", pasted: true)),
                       .fail("expected JSON with ok == true, but the pasted text holds no JSON"))
        XCTAssertEqual(evaluate([.bodyContains(#""ok": true"#), json("ok", "true")], pasted),
                       .pass(#"passed: body contains "ok": true, json ok == true"#))
    }

    func testAFailedExpectationSaysWhatCameInstead() {
        let answer = Observed(body: #"{"statusCode": 401, "message": "Invalid credentials"}"#, pasted: true)
        XCTAssertEqual(evaluate([json("statusCode", "200")], answer), .fail("expected statusCode == 200, got 401"))
        XCTAssertEqual(evaluate([json("message", "null")], answer),
                       .fail(#"expected message == null, got "Invalid credentials""#,
                             recorded: "expected message == null, got a string (shown on screen only)"))
        let long = String(repeating: "x", count: 100)
        XCTAssertEqual(evaluate([json("m", "1")], Observed(body: #"{"m": "\#(long)"}"#)).message,
                       "expected m == 1, got \"" + String(repeating: "x", count: 59) + "…")
        XCTAssertEqual(evaluate([.bodyContains("whitelisted")], Observed(status: 200, body: "{\"ok\":\ntrue}")),
                       .fail("expected the body to contain whitelisted; it begins {\"ok\": true}", recorded: "expected the body to contain whitelisted"))
        XCTAssertEqual(evaluate([.headerContains(name: "Content-Type", text: "xml")]),
                       .fail("expected header Content-Type to contain xml, got application/json; charset=utf-8",
                             recorded: "expected header Content-Type to contain xml"))
    }

    /// The whole terminal selection: the password prompt, the flat JSON answer the notes describe, the shell prompt.
    static let selection = """
        deploy@intelliwatt-smt-proxy:~$ /home/deploy/smt_token_test.sh
        Enter SMT password for INTELLIWATTAPI:
        {"statusCode":200,"accessToken":"eyJhbGciOiJIUzI1NiJ9.e30.sig","tokenType":"Bearer","expiresIn":3600,"issuedAt":"2025-11-17T10:00:00Z","expiresAt":"2025-11-17T11:00:00Z"}
        deploy@intelliwatt-smt-proxy:~$
        """

    func testAPasteCheckFindsTheJSONInAWholeTerminalSelection() {
        let checks: [Expectation] = [json("statusCode", "200"), .jsonIs(path: ["accessToken"], kind: .nonEmptyString),
                                     json("tokenType", #""Bearer""#), json("expiresIn", "3600")]
        XCTAssertTrue(evaluate(checks, Observed(body: Self.selection, pasted: true)).passed)
        // Pretty-printed over several lines, after a prompt holding brackets.
        let pretty = "[deploy@proxy ~]$ ./t.sh\n{\n  \"statusCode\": 200,\n  \"accessToken\": \"a{b}\\\"c\",\n  \"tokenType\": \"Bearer\",\n  \"expiresIn\": 3600\n}\n$"
        XCTAssertTrue(evaluate(checks, Observed(body: pretty, pasted: true)).passed, evaluate(checks, Observed(body: pretty, pasted: true)).message)
        // An http body is JSON or it is not: no search inside it.
        XCTAssertFalse(evaluate([json("statusCode", "200")], Observed(body: Self.selection)).passed)
    }

    func testAccessTokenPresentMeansANonEmptyString() {
        let present = Expectation.jsonIs(path: ["accessToken"], kind: .nonEmptyString)
        XCTAssertTrue(evaluate([present], Observed(body: #"{"accessToken": "eyJ"}"#, pasted: true)).passed)
        XCTAssertEqual(evaluate([present], Observed(body: #"{"accessToken": ""}"#, pasted: true)),
                       .fail("expected accessToken to be a non-empty string, got an empty string"))
        XCTAssertEqual(evaluate([present], Observed(body: #"{"accessToken": null}"#, pasted: true)),
                       .fail("expected accessToken to be a non-empty string, got null"))
        // The word alone in the text is not a token.
        XCTAssertEqual(evaluate([present], Observed(body: #"{"error": "no accessToken issued"}"#, pasted: true)),
                       .fail("expected accessToken to be a non-empty string, there is no accessToken"))
        XCTAssertTrue(evaluate([.jsonIs(path: ["error"], kind: .exists)], Observed(body: #"{"error": null}"#)).passed)
        XCTAssertTrue(evaluate([.jsonIs(path: ["n"], kind: .number), .jsonIs(path: ["b"], kind: .boolean),
                                .jsonIs(path: ["o"], kind: .object), .jsonIs(path: ["a"], kind: .array)],
                               Observed(body: #"{"n": 1, "b": true, "o": {}, "a": []}"#)).passed)
    }
}
