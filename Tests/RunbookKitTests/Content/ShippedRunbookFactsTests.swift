import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// The shipped runbooks say what the team's SMT notes say, fact by fact, and mark the rest as assumptions.
///
/// The notes are kept in `docs/sources/`; each fact below is first found, word for word, in them.
final class ShippedRunbookFactsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)  // Tests/RunbookKitTests/Content/ShippedRunbookFactsTests.swift
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func runbook(_ id: String) throws -> Runbook {
        try RunbookParser.parse(contentsOf: root.appendingPathComponent("runbooks/\(id).md").path)
    }

    static let smt = ["smt-jwt-status", "incident-smt-auth", "onboarding"]

    /// Facts as the notes write them, and the shipped runbooks that must state each.
    static let facts: [(fact: String, runbooks: [String])] = [
        ("SMT-M-A051425-10", smt),
        ("May 14, 2025", smt),
        ("SFTP (SSH)", smt),
        ("https://services.smartmetertexas.net", smt),
        ("INTELLIWATTAPI", smt),
        ("SMT_API_BASE_URL", smt),
        ("SMT_USERNAME", smt),
        ("SMT_PASSWORD", smt),
        ("/v2/token/", smt),
        ("Authorization: Bearer <accessToken>", smt),
        ("accessToken", smt),
        ("tokenType", smt),
        ("Bearer", smt),
        ("expiresIn", smt),
        ("3600", smt),
        ("issuedAt", smt),
        ("expiresAt", smt),
        ("intelliwatt-smt-proxy", smt),
        ("/home/deploy/smt_token_test.sh", smt),
        ("/api/admin/smt/token", smt),
        ("x-admin-token", smt),
        ("501", smt),
        ("droplet-backed proxy", smt),
        ("/oauth/token", smt),
        ("client_credentials", smt),
        ("SMT_JWT_CLIENT_ID", smt),
        ("SMT_JWT_CLIENT_SECRET", smt),
        ("FTPS", smt),
        ("Vercel IPs are NOT whitelisted", []),
        ("SMT JWT token must be tested from the whitelisted SMT droplet, not from Vercel.", ["smt-jwt-status", "onboarding"]),
        ("This route intentionally returns 501 because SMT only whitelists the droplet IP. Use the droplet script for live JWT verification.",
         ["smt-jwt-status", "onboarding"]),
        ("https://services.smartmetertexas.net/v2/token/", smt),
        ("POST with { username: SMT_USERNAME, password: SMT_PASSWORD }", ["smt-jwt-status", "onboarding"]),
        ("SMT_USERNAME=INTELLIWATTAPI", ["smt-jwt-status", "incident-smt-auth", "onboarding"]),
        ("SMT_API_BASE_URL=https://services.smartmetertexas.net", ["smt-jwt-status", "incident-smt-auth", "onboarding"]),
    ]

    func testEveryFactIsInTheNotesAndInTheRunbooksThatNeedIt() throws {
        let notes = try Self.text("docs/sources/smt-jwt-status-bootstrap.txt")
        for (fact, ids) in Self.facts {
            XCTAssertTrue(notes.contains(fact), "not in the notes, so not a fact: \(fact)")
            for id in ids {
                XCTAssertTrue(try Self.text("runbooks/\(id).md").contains(fact), "\(id) lacks: \(fact)")
            }
        }
    }

    func testTheNotesKeptHereAreTheTeamsNotes() throws {
        let shared = Self.root.deletingLastPathComponent().appendingPathComponent("shared/sources/smt-jwt-status-bootstrap.txt")
        guard let team = try? String(contentsOf: shared, encoding: .utf8) else {
            throw XCTSkip("the team's shared notes are not beside this checkout")
        }
        XCTAssertEqual(try Self.text("docs/sources/smt-jwt-status-bootstrap.txt"), team)
    }

    /// The 501 body the notes give, every constant as written there.
    static let stub: JSONValue = .object([
        "ok": .bool(false),
        "status": .number(501),
        "message": .string("SMT JWT token must be tested from the whitelisted SMT droplet, not from Vercel."),
        "instructions": .object([
            "dropletHost": .string("intelliwatt-smt-proxy"),
            "scriptPath": .string("/home/deploy/smt_token_test.sh"),
            "note": .string("This route intentionally returns 501 because SMT only whitelists the droplet IP. Use the droplet script for live JWT verification."),
        ]),
        "integration": .object([
            "endpoint": .string("https://services.smartmetertexas.net/v2/token/"),
            "authFlow": .string("POST with { username: SMT_USERNAME, password: SMT_PASSWORD }"),
            "usernameEnv": .string("SMT_USERNAME=INTELLIWATTAPI"),
            "baseUrlEnv": .string("SMT_API_BASE_URL=https://services.smartmetertexas.net"),
        ]),
    ])

    /// Steps whose check calls the admin route.
    func stubSteps() throws -> [(Runbook, Step)] {
        try Self.smt.map(Self.runbook).flatMap { runbook in
            runbook.steps.filter { if case .http(let request, _)? = $0.check { request.url.hasSuffix("/api/admin/smt/token") } else { false } }
                .map { (runbook, $0) }
        }
    }

    func testTheStubSampleIsTheBodyOfTheNotesAndTheCheckAssertsWhatMatters() throws {
        let steps = try stubSteps()
        // The incident tree calls the stub twice: at first, and while a revert redeploys.
        XCTAssertEqual(steps.map { $0.0.id }.sorted(), ["incident-smt-auth", "incident-smt-auth", "onboarding", "smt-jwt-status"])
        for (runbook, step) in steps {
            guard case .http(let request, let expectations)? = step.check else { continue }
            XCTAssertEqual(request.method, "GET")
            XCTAssertEqual(request.headers, [.init(name: "x-admin-token", value: "{{ADMIN_TOKEN}}")], runbook.id)
            XCTAssertEqual(Set(expectations), [
                .status(501), .json(path: ["ok"], value: .bool(false)),
                .json(path: ["instructions", "dropletHost"], value: .string("intelliwatt-smt-proxy")),
                .json(path: ["instructions", "scriptPath"], value: .string("/home/deploy/smt_token_test.sh")),
            ], runbook.id)
            XCTAssertEqual(Expectation.evaluate(expectations, against: Observed(status: 501, body: Self.stub.description)).passed, true)
            // Where a sample is shown, it is the whole body, no `…` in it.
            guard let sample = step.output else { continue }
            XCTAssertEqual(sample.lines.first, "501", runbook.id)
            XCTAssertEqual(JSONValue.parse(sample.lines.dropFirst().joined(separator: "\n")), Self.stub, runbook.id)
            XCTAssertFalse(sample.text.contains("…"), runbook.id)
        }
    }

    /// The flat answer the notes describe, alone and inside a whole terminal selection.
    static let answer = #"{"statusCode":200,"accessToken":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJJTlRFTExJV0FUVEFQSSJ9.c2ln","tokenType":"Bearer","expiresIn":3600,"issuedAt":"2025-11-17T15:00:00Z","expiresAt":"2025-11-17T16:00:00Z"}"#
    static let selection = "deploy@intelliwatt-smt-proxy:~$ /home/deploy/smt_token_test.sh\nPassword: \n" + answer + "\ndeploy@intelliwatt-smt-proxy:~$ "

    /// The paste check that reads the token test's answer: on the step that runs the script (which may
    /// also be a decision), or on the step its `ok` option leads to.
    static func tokenChecks(_ runbook: Runbook) -> [(Step, [Expectation])] {
        runbook.steps.filter { $0.action?.text.contains("/home/deploy/smt_token_test.sh") == true }.compactMap { step in
            let reader = step.check != nil ? step : step.choice.flatMap { choice in
                choice.options.first { $0.key == "ok" }.flatMap { runbook.step(id: $0.target.value) }
            } ?? step
            guard case .paste(let expectations)? = reader.check else { return nil }
            return (reader, expectations)
        }
    }

    func testTheTokenTestsPasteCheckPassesOnTheNotesShapeAndAWholeSelection() throws {
        var checked = 0
        for runbook in try Self.smt.map(Self.runbook) {
            let checks = Self.tokenChecks(runbook)
            XCTAssertEqual(checks.count, 1, "\(runbook.id): one paste check reads the token test's answer")
            for (step, expectations) in checks {
                checked += 1
                XCTAssertTrue(expectations.contains(.jsonIs(path: ["accessToken"], kind: .nonEmptyString)), "\(runbook.id): accessToken present means a non-empty string")
                for text in [Self.answer, Self.selection] {
                    let verdict = Expectation.evaluate(expectations, against: Observed(body: text, pasted: true))
                    XCTAssertTrue(verdict.passed, "\(runbook.id): \(verdict.message)")
                }
                let refused = Self.answer.replacingOccurrences(of: #""statusCode":200"#, with: #""statusCode":401"#)
                XCTAssertEqual(Expectation.evaluate(expectations, against: Observed(body: refused, pasted: true)).shown.message,
                               "expected statusCode == 200, got 401")
                let empty = Self.answer.replacingOccurrences(of: #""accessToken":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJJTlRFTExJV0FUVEFQSSJ9.c2ln""#, with: #""accessToken":"""#)
                XCTAssertFalse(Expectation.evaluate(expectations, against: Observed(body: empty, pasted: true)).passed)
                // The word alone is not a token.
                XCTAssertFalse(Expectation.evaluate(expectations, against: Observed(body: #"{"statusCode":200,"error":"no accessToken"}"#, pasted: true)).passed)
                // The sample shown under the step has the notes' shape.
                if let sample = step.output {
                    let shape = try XCTUnwrap(JSONValue.parse(sample.text))
                    for key in ["statusCode", "accessToken", "tokenType", "expiresIn", "issuedAt", "expiresAt"] {
                        XCTAssertNotNil(shape.value(at: [key]), "\(runbook.id): the sample lacks \(key)")
                    }
                }
            }
        }
        XCTAssertEqual(checked, 3)
    }

    func testPowerShellVersionsAreSaidWhereTheyMatterAndThe51FallbackPrintsStatusThenBody() throws {
        for runbook in try Self.smt.map(Self.runbook) {
            for step in runbook.steps {
                let action = step.action?.text ?? ""
                let prose = step.prose.joined(separator: "\n")
                if action.contains("-SkipHttpErrorCheck") || action.contains("-StatusCodeVariable") {
                    XCTAssertTrue(prose.contains("PowerShell 7.0 or later"), "\(runbook.id) \(step.id)")
                    XCTAssertTrue(prose.contains("On Windows PowerShell 5.1"), "\(runbook.id) \(step.id): no 5.1 fallback")
                    XCTAssertTrue(prose.contains("[int]$r.StatusCode; $r.Content } catch { [int]$_.Exception.Response.StatusCode; $_.ErrorDetails.Message }"),
                                  "\(runbook.id) \(step.id): the fallback prints the status, then the body, for a 200 as for a 501")
                }
                if action.contains("-MaskInput") {
                    XCTAssertTrue(prose.contains("7.1 or later"), "\(runbook.id) \(step.id)")
                }
            }
        }
    }

    func testWhatTheNotesDoNotSayIsMarkedAsAnAssumption() throws {
        for runbook in try Self.smt.map(Self.runbook) {
            for step in runbook.steps {
                let paragraphs = step.prose.split(separator: "").map { $0.joined(separator: " ") }
                // The SSH user, the meaning of a 401 and of a timeout on the droplet, the script's output format.
                for paragraph in paragraphs where paragraph.contains("401") || paragraph.contains("deploy`") {
                    XCTAssertTrue(paragraph.contains("ssumption"), "\(runbook.id) \(step.id): stated as fact: \(paragraph)")
                }
                if step.action?.text.contains("ssh deploy@") == true, step.place.hasPrefix("PowerShell") {
                    XCTAssertTrue(step.prose.joined().contains("Assumption: you log in as `deploy`")
                                  || step.prose.joined().contains("(assumption: `deploy`"), "\(runbook.id) \(step.id)")
                }
                if step.action?.text.contains("/home/deploy/smt_token_test.sh") == true {
                    XCTAssertTrue(step.prose.joined(separator: " ").contains("Assumption: the script prints SMT's answer as JSON"), "\(runbook.id) \(step.id)")
                }
            }
        }
    }

    func testTheFTPSGuardrailNeverReadsAsBanningSFTP() throws {
        for runbook in try Self.smt.map(Self.runbook) {
            let ftps = try XCTUnwrap(runbook.guardrails.first { $0.pattern == "FTPS" }, runbook.id)
            XCTAssertTrue(ftps.reason.contains("SFTP (SSH) is not"), ftps.reason)
            XCTAssertFalse(ftps.matches("sftp deploy@intelliwatt-smt-proxy"))
            XCTAssertEqual(runbook.guardrails.map(\.pattern),
                           ["/oauth/token", "client_credentials", "SMT_JWT_CLIENT_ID", "SMT_JWT_CLIENT_SECRET", "FTPS"])
        }
    }

    func testTheIncidentCoversTheBranchesOfAnOnCallNight() throws {
        let incident = try Self.runbook("incident-smt-auth")
        let all = incident.steps.map { ($0.prose + [$0.action?.text ?? ""]).joined(separator: "\n") }.joined(separator: "\n")
        for branch in ["Permission denied (publickey)", "Connection timed out", "401", "prints nothing within a minute",
                       "any answer but 501 is a regression"] {
            XCTAssertTrue(all.contains(branch), "the incident runbook does not cover: \(branch)")
        }
        // Each branch is a way out of a decision, and every branch ends at the close-out.
        let options = incident.steps.compactMap(\.choice).flatMap(\.options).map(\.key)
        XCTAssertEqual(options, ["ok", "changed", "in", "refused", "ok", "401", "timeout", "retry", "escalated", "reverting", "search"])
        XCTAssertEqual(incident.steps.last?.id, "close-out")
        XCTAssertEqual(Linter().lint([incident]).filter { $0.rule == "unreachable-step" }, [])
        let settings = try XCTUnwrap(incident.steps.first { $0.id == "check-settings" })
        XCTAssertEqual(settings.place, "droplet intelliwatt-smt-proxy (SSH session as deploy)")
        XCTAssertTrue(settings.action?.text.contains("SMT_API_BASE_URL") == true && settings.action?.text.contains("SMT_USERNAME") == true)
        guard case .paste(let expectations)? = settings.check else { return XCTFail("no paste check on the settings") }
        let shown = "SMT_API_BASE_URL=https://services.smartmetertexas.net\nSMT_USERNAME=INTELLIWATTAPI"
        XCTAssertTrue(Expectation.evaluate(expectations, against: Observed(body: shown, pasted: true)).passed)
        XCTAssertFalse(Expectation.evaluate(expectations, against: Observed(body: shown.replacingOccurrences(of: "INTELLIWATTAPI", with: "OTHER"), pasted: true)).passed)
    }

    func testEveryShippedRunbookPassesStrictLint() throws {
        let result = try Linter().lint(paths: [], folder: Self.root.appendingPathComponent("runbooks").path)
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        XCTAssertEqual(result.files, 3)
    }
}
