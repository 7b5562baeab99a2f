import XCTest
@testable import RunbookKit

/// `Expectation.evaluate`: each kind, passing and failing, with the message the operator reads.
final class ExpectationTests: XCTestCase {
    private let response = Observed(
        status: 501,
        headers: ["Content-Type": "application/json; charset=utf-8", "X-Request-Id": "abc-123"],
        body: #"{"ok": false, "error": "jwt only", "instructions": {"dropletHost": "intelliwatt-smt-proxy", "port": 22}, "items": [{"id": 7}, {"id": 8}], "none": null}"#)

    private func evaluate(_ expectations: [Expectation], _ observed: Observed? = nil) -> CheckResult {
        Expectation.evaluate(expectations, against: observed ?? response)
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
        XCTAssertEqual(evaluate([.headerContains(name: "Content-Type", text: "xml")]),
                       .fail("expected header Content-Type to contain xml"))
        XCTAssertEqual(evaluate([.headerContains(name: "Content-Type", text: "JSON")]),
                       .fail("expected header Content-Type to contain JSON"))
        XCTAssertEqual(evaluate([.headerContains(name: "X-Trace", text: "1")]),
                       .fail("expected a header X-Trace, there is none"))
    }

    // MARK: body

    func testBodyContains() {
        XCTAssertEqual(evaluate([.bodyContains("jwt only")]), .pass("passed: body contains jwt only"))
        XCTAssertEqual(evaluate([.bodyContains("oauth")]), .fail("expected the body to contain oauth"))
        XCTAssertEqual(evaluate([.bodyContains("x")], Observed(body: "")), .fail("expected the body to contain x"))
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
        // A long actual value is not echoed in full.
        let long = String(repeating: "x", count: 50)
        XCTAssertEqual(evaluate([json("v", #""short""#)], Observed(body: #"{"v": "\#(long)"}"#)),
                       .fail(#"expected v == "short", got something else"#))
    }

    // MARK: several at once

    func testTheFirstFailureIsTheVerdict() {
        XCTAssertEqual(evaluate([.status(501), .bodyContains("jwt"), json("ok", "false")]),
                       .pass("passed: status 501, body contains jwt, json ok == false"))
        XCTAssertEqual(evaluate([.status(501), .bodyContains("oauth"), json("ok", "true")]),
                       .fail("expected the body to contain oauth"))
        XCTAssertEqual(evaluate([json("ok", "true"), .status(200)]), .fail("expected ok == true, got false"))
    }

    // MARK: pasted text

    func testPastedTextIsNeverEchoed() {
        let token = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.tok"
        let pasted = Observed(body: #"{"ok": true, "token": "\#(token)", "user": {"name": "\#(token)"}}"#, confidential: true)
        let failures: [Expectation] = [
            .bodyContains("status: ok"),
            json("token", #""something-else""#),
            json("user", "false"),
            json("ok", "false"),
            json("missing", "1"),
        ]
        for expectation in failures {
            let result = evaluate([expectation], pasted)
            XCTAssertFalse(result.passed, "\(expectation)")
            XCTAssertFalse(result.message.contains(token), result.message)
            XCTAssertFalse(result.message.contains("c2VjcmV0"), result.message)
        }
        XCTAssertEqual(evaluate([json("token", #""x""#)], pasted), .fail(#"expected token == "x", got something else"#))
        // Even a short, harmless-looking value stays hidden when it was pasted.
        XCTAssertEqual(evaluate([json("ok", "false")], pasted), .fail("expected ok == false, got something else"))
        XCTAssertEqual(evaluate([json("ok", "true")], Observed(body: "token=\(token)", confidential: true)),
                       .fail("expected JSON with ok == true, but the pasted text is not JSON"))
        XCTAssertEqual(evaluate([.bodyContains(#""ok": true"#), json("ok", "true")], pasted),
                       .pass(#"passed: body contains "ok": true, json ok == true"#))
    }
}
