import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

final class GuardrailRuleTests: XCTestCase {
    func testPatternsInActionAndCheckBlocks() {
        XCTAssertLint(GuardrailRule(), """
            # Verify SMT JWT auth

            ## Guardrails
            - `/oauth/token`: SMT decommissioned OAuth2 flows (notice SMT-M-A051425-10).
            - `client_credentials`: the OAuth2 grant is gone.

            ## Get a token
            Where: droplet

            ```bash
            curl -X POST https://smt.example1️⃣/OAuth/TOKEN \\
              -d grant_type=2️⃣client_credentials
            ```

            ## Check the stub
            Where: laptop

            - In a list item:

              ```http check
              POST https://example.com3️⃣/oauth/token

              grant_type=4️⃣CLIENT_CREDENTIALS&x=5️⃣/oauth/token
              expect status 501
              ```
            """, findings: [
                FindingSpec("1️⃣", message: "forbidden pattern `/oauth/token` in this action block (guardrail: SMT decommissioned OAuth2 flows (notice SMT-M-A051425-10)); remove it from the block",
                            severity: .error, rule: "guardrail"),
                FindingSpec("2️⃣", message: "forbidden pattern `client_credentials` in this action block (guardrail: the OAuth2 grant is gone)"),
                FindingSpec("3️⃣", message: "forbidden pattern `/oauth/token` in this check block"),
                FindingSpec("4️⃣", message: "forbidden pattern `client_credentials` in this check block"),
                FindingSpec("5️⃣", message: "forbidden pattern `/oauth/token` in this check block"),
            ])
    }

    func testPatternWithoutReason() {
        XCTAssertLint(GuardrailRule(), """
            # Clean up

            ## Guardrails
            - `rm -rf /`

            ## Delete
            Where: droplet

            ~~~
            1️⃣rm -rf /tmp/x
            ~~~
            """, findings: [
                FindingSpec("1️⃣", message: "forbidden pattern `rm -rf /` in this action block; remove it from the block"),
            ])
    }

    func testPatternsInProseOutputAndPreambleAreClean() {
        XCTAssertLint(GuardrailRule(), """
            # Verify SMT JWT auth

            Never call /oauth/token.

            ```bash
            curl /oauth/token
            ```

            ## Guardrails
            - `/oauth/token`: decommissioned.

            ## Get a token
            Where: droplet

            Do not call `/oauth/token`; call `/v2/token/`.

            ```bash
            curl https://smt.example/v2/token/
            ```

            Expect: no /oauth/token in the answer.

            ```json output
            {"note": "/oauth/token is gone"}
            ```
            """, findings: [])
    }

    func testASearchBlockMayNameThePatternsItLooksFor() {
        XCTAssertLint(GuardrailRule(), """
            # Search for a regression

            ## Guardrails
            - `/oauth/token`: decommissioned.
            - `client_credentials`: decommissioned.

            ## Search the code {#search}
            Where: laptop

            ```sh search
            git grep -n -i -E '/oauth/token|client_credentials'
            ```

            ```sh check search
            ! git grep -q -i -E '/oauth/token|client_credentials'
            ```

            ## Not a search {#other}
            Where: laptop

            ```sh research
            curl https://x1️⃣/oauth/token
            ```
            """, findings: [
                FindingSpec("1️⃣", message: "forbidden pattern `/oauth/token` in this action block"),
            ])
    }
}
