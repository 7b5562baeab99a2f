import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

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

    // MARK: variable-format

    func testVariableFormats() {
        XCTAssertLint(VariableFormatRule(), """
            # Formats

            ## Variables
            - `BASE_URL`: the base URL. Default: `https://intelliwatt.com` Format: URL
            - `ADMIN_TOKEN` (secret): the admin token. Format: 64 characters
            - `REGION`: the region. Format: `[a-z]{3}[0-9]` Default: `nyc3`
            0️⃣- `PORT`: the port. Default: `80a` Format: `[0-9]+`
            1️⃣- `HOST`: the host. Default: `intelliwatt.com` Format: URL
            2️⃣- `PIN`: a PIN. Default: `12345` Format: 4 characters
            3️⃣- `NAME`: a name. Format: short
            4️⃣- `BAD`: a pattern. Format: `[unclosed`
            5️⃣- `ZERO`: nothing. Format: 0 characters

            ## Use them
            Where: laptop

            ```sh
            echo {{BASE_URL}} {{ADMIN_TOKEN}} {{REGION}} {{PORT}} {{HOST}} {{PIN}} {{NAME}} {{BAD}} {{ZERO}}
            ```

            Expect: them.
            """, findings: [
                FindingSpec("0️⃣", message: "the Default: of PORT does not fit its own Format: (`[0-9]+`): it does not match `[0-9]+`; fix one of them"),
                FindingSpec("1️⃣", message: "the Default: of HOST does not fit its own Format: (an http(s) URL): it is not an http:// or https:// URL"),
                FindingSpec("2️⃣", message: "the Default: of PIN does not fit its own Format: (4 characters): it has 5 characters, not 4 characters"),
                FindingSpec("3️⃣", message: "the Format: of NAME cannot be read: write `Format: 64 characters`, `Format: 8 to 64 characters`"),
                FindingSpec("4️⃣", message: "the Format: of BAD cannot be read: `[unclosed` is not a regular expression"),
                FindingSpec("5️⃣", message: "the Format: of ZERO cannot be read"),
            ])
    }

    func testFormatsReadWithTheirDefaultsInEitherOrder() {
        let runbook = RunbookParser.parse(source: """
            # F

            ## Variables
            - `A`: first. Default: `x` Format: 1 character
            - `B`: second. Format: 2 to 10 characters. Default: `yy`
            - `C` (secret): third, at least eight. Format: at least 8 characters.
            - `D`: fourth. Format: `^[0-9a-f]{4}$`
            """, id: "f")
        XCTAssertEqual(runbook.variables.map(\.description), ["first.", "second.", "third, at least eight.", "fourth."])
        XCTAssertEqual(runbook.variables.map(\.defaultValue), ["x", "yy", nil, nil])
        XCTAssertEqual(runbook.variables.map(\.formatDescription), ["1 character", "2 to 10 characters", "at least 8 characters", "`^[0-9a-f]{4}$`"])
        XCTAssertEqual(runbook.variables[2].problem(with: "1234567"), "it has 7 characters, not at least 8 characters")
        XCTAssertNil(runbook.variables[2].problem(with: "12345678"))
        XCTAssertEqual(runbook.variables[3].problem(with: "beeF"), "it does not match `^[0-9a-f]{4}$`")
        XCTAssertNil(runbook.variables[3].problem(with: "beef"))
        XCTAssertEqual(runbook.variables[0].problem(with: ""), "it is empty")
    }

    func testAValueWithANULOrAControlCharacterIsRefusedButATabIsText() {
        let variable = Variable(name: "V", location: SourceLocation(line: 1, column: 1))
        XCTAssertEqual(variable.problem(with: "a\u{0}b"), "it holds a NUL character")
        XCTAssertEqual(variable.problem(with: "a\u{1B}[31mb"), "it holds a control character (U+001B)")
        XCTAssertEqual(variable.problem(with: "line\nbreak"), "it holds a control character (U+000A)")
        XCTAssertEqual(variable.problem(with: "del\u{7F}"), "it holds a control character (U+007F)")
        XCTAssertNil(variable.problem(with: "a\tb"))
        XCTAssertNil(variable.problem(with: "café ✓"))
    }
}
