import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

final class LinterTests: XCTestCase {
    func testStandardRulesInTableOrder() {
        XCTAssertEqual(Linter.standardRules.map { type(of: $0).name }, [
            "title", "no-steps", "where", "one-action", "one-expect", "cursor-single-block", "run-block", "via", "run-secret", "guardrail", "duplicate-step",
            "undeclared-variable", "secret-default", "variable-format", "check-syntax", "unknown-target", "choice-syntax", "capture", "wait",
            "unclosed-fence", "unused-variable", "no-expect", "unreachable-step", "no-way-out", "file-name", "list-item",
        ])
        XCTAssertEqual(Linter.standardCatalogRules.map { type(of: $0).name }, ["duplicate-id", "unknown-target"])
        let warnings = Linter.standardRules.filter { type(of: $0).severity == .warning }.map { type(of: $0).name }
        XCTAssertEqual(warnings, ["unused-variable", "no-expect", "unreachable-step", "no-way-out"])
    }

    func testCleanRunbookHasNoDiagnostics() {
        XCTAssertLint(Linter.standardRules, """
            # Verify SMT JWT auth

            The canonical check of SMT auth: a live token test from the droplet,
            then the admin stub.

            Tags: smt, jwt

            ## Guardrails
            - `/oauth/token`: SMT decommissioned OAuth2 flows (notice SMT-M-A051425-10).
            - `client_credentials`: the OAuth2 grant, decommissioned.

            ## Variables
            - `BASE_URL`: IntelliWatt base URL. Default: `https://intelliwatt.com`
            - `ADMIN_TOKEN` (secret): the 64-character admin token.

            ## SSH to the SMT droplet {#ssh}
            Where: PowerShell on your laptop

            Open a shell on the droplet. Never use /oauth/token here either.

            ```powershell
            ssh deploy@intelliwatt-smt-proxy
            ```

            Expect: a `deploy@intelliwatt-smt-proxy` shell prompt.

            ## Run the token test
            Where: droplet intelliwatt-smt-proxy

            ~~~bash
            /home/deploy/smt_token_test.sh
            ~~~

            Expect: one JSON line with `"statusCode":200`,
            and a long `accessToken`.

            ```json output
            {"statusCode":200}
            ```

            ```paste check
            expect json statusCode == 200
            expect body contains accessToken
            ```

            ## Ask the agent
            Where: Cursor, in the intelliwatt repo

            ```text
            Show me where the admin stub answers 501.
            ```

            Expect: the agent names the route file.

            ## Check the admin stub answers 501 {#admin-stub}
            Where: PowerShell on your laptop

            ```powershell
            Invoke-RestMethod -Uri '{{BASE_URL}}/api/admin/smt/token' -SkipHttpErrorCheck
            ```

            Expect: `501`.

            ```http check
            GET {{BASE_URL}}/api/admin/smt/token
            x-admin-token: {{ADMIN_TOKEN}}

            expect status 501
            expect json ok == false
            expect json instructions.dropletHost == "intelliwatt-smt-proxy"
            ```
            """, id: "smt-jwt-status", findings: [])
    }

    func testSeveralProblemsAreAllReportedSortedByLine() {
        XCTAssertLint(Linter.standardRules, """
            1️⃣Draft.

            # Deploy

            ## Guardrails
            - `--force`: never force-push.

            ## Variables
            2️⃣- `HOST`: the host.
            3️⃣- `TOKEN` (secret): the token. Default: `abc`

            ## Push it
            Where: laptop

            ```bash
            git push 4️⃣--force 5️⃣{{REMOTE}} {{TOKEN}}
            ```

            6️⃣```bash
            git status
            ```

            Expect: the push is accepted.

            7️⃣## Push it
            8️⃣Where:

            9️⃣```sh check
            """, id: "Deploy", findings: [
                FindingSpec("1️⃣", message: "the id \"Deploy\" is not lowercase", severity: .error, rule: "file-name"),
                FindingSpec("1️⃣", message: "text before the title", severity: .error, rule: "title"),
                FindingSpec("2️⃣", message: "variable HOST is declared but no step uses it", severity: .warning, rule: "unused-variable"),
                FindingSpec("3️⃣", message: "secret variable TOKEN has a default", severity: .error, rule: "secret-default"),
                FindingSpec("4️⃣", message: "forbidden pattern `--force`", severity: .error, rule: "guardrail"),
                FindingSpec("5️⃣", message: "variable {{REMOTE}} is not declared", severity: .error, rule: "undeclared-variable"),
                FindingSpec("6️⃣", message: "step \"Push it\" has 2 `bash` action blocks", severity: .error, rule: "one-action"),
                FindingSpec("7️⃣", message: "step id \"push-it\" is also the id of step \"Push it\" on line 12",
                            severity: .error, rule: "duplicate-step"),
                FindingSpec("7️⃣", message: "step \"Push it\" has no Expect: line", severity: .warning, rule: "no-expect"),
                FindingSpec("8️⃣", message: "step \"Push it\" has an empty Where: line", severity: .error, rule: "where"),
                FindingSpec("9️⃣", message: "an sh check needs a script", severity: .error, rule: "check-syntax"),
                FindingSpec("9️⃣", message: "this code block never closes", severity: .error, rule: "unclosed-fence"),
            ])
    }
}
