import XCTest
@testable import RunbookKit

/// The rules about variables: undeclared-variable, secret-default, unused-variable.
final class VariableRuleTests: XCTestCase {
    // MARK: undeclared-variable

    func testUndeclaredVariables() {
        XCTAssertLint(UndeclaredVariableRule(), """
            # Check the API

            ## Variables
            - `BASE_URL`: the base URL.

            ## Call 0️⃣{{IN_THE_HEADING}} it
            Where: laptop, with 1️⃣{{TOKN}} in the environment

            ```bash
            curl {{BASE_URL}}/x -H "t: 2️⃣{{TOKN}}" {{lowercase}} {{ 3️⃣{{_X1}}
            ```

            ```http check
            GET {{BASE_URL}}/health
            x-admin-token: 4️⃣{{ADMIN_TOKEN}}

            expect status 200
            ```
            """, findings: [
                // The heading is part of the step too.
                FindingSpec("0️⃣", message: "variable {{IN_THE_HEADING}} is not declared"),
                FindingSpec("1️⃣", message: "variable {{TOKN}} is not declared; add it under ## Variables, e.g. \"- `TOKN`: what it holds\"",
                            severity: .error, rule: "undeclared-variable"),
                FindingSpec("2️⃣", message: "variable {{TOKN}} is not declared"),
                FindingSpec("3️⃣", message: "variable {{_X1}} is not declared"),
                FindingSpec("4️⃣", message: "variable {{ADMIN_TOKEN}} is not declared"),
            ])
    }

    func testDeclaredVariablesAreClean() {
        XCTAssertLint(UndeclaredVariableRule(), """
            # Check the API

            Preamble text may mention {{ANYTHING}}: it is not a step.

            ## Variables
            - `BASE_URL`: the base URL.
            - `ADMIN_TOKEN` (secret): the token.

            ## Call it
            Where: laptop

            ```http check
            GET {{BASE_URL}}/health
            x-admin-token: {{ADMIN_TOKEN}}

            expect status 200
            ```
            """, findings: [])
    }

    // MARK: secret-default

    func testSecretWithDefault() {
        XCTAssertLint(SecretDefaultRule(), """
            # Check the API

            ## Variables
            - `BASE_URL`: the base URL. Default: `https://example.com`
            1️⃣- `ADMIN_TOKEN` (secret): the token. Default: `abc123`
              2️⃣- `PASSWORD` (Secret, 64 chars): the password. Default: hunter2
            """, findings: [
                FindingSpec("1️⃣", message: "secret variable ADMIN_TOKEN has a default; secrets never live in runbooks: remove the Default: and let the operator supply it",
                            severity: .error, rule: "secret-default"),
                FindingSpec("2️⃣", message: "secret variable PASSWORD has a default"),
            ])
    }

    func testSecretWithoutDefaultIsClean() {
        XCTAssertLint(SecretDefaultRule(), """
            # Check the API

            ## Variables
            - `BASE_URL`: the base URL. Default: `https://example.com`
            - `ADMIN_TOKEN` (secret): the token.
            """, findings: [])
    }

    // MARK: unused-variable

    func testUnusedVariables() {
        XCTAssertLint(UnusedVariableRule(), """
            # Check the API

            Preamble text with {{HOST}} does not use it.

            ## Variables
            - `BASE_URL`: the base URL.
            1️⃣- `HOST`: the host.
            2️⃣- `PORT`: the port.

            ## Call it
            Where: laptop

            ```bash
            curl {{BASE_URL}}
            ```
            """, findings: [
                FindingSpec("1️⃣", message: "variable HOST is declared but no step uses it; use it as {{HOST}} or remove it",
                            severity: .warning, rule: "unused-variable"),
                FindingSpec("2️⃣", message: "variable PORT is declared but no step uses it"),
            ])
    }

    func testVariablesUsedInProseBlocksOrChecksAreClean() {
        XCTAssertLint(UnusedVariableRule(), """
            # Check the API

            ## Variables
            - `BASE_URL`: the base URL.
            - `HOST`: the host.
            - `TOKEN` (secret): the token.

            ## Call it
            Where: {{HOST}}

            ```sh check
            curl -H "t: {{TOKEN}}" {{BASE_URL}}
            ```
            """, findings: [])
    }
}
