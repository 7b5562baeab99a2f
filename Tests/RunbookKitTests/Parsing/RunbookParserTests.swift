import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

final class RunbookParserTests: XCTestCase {
    private func parse(_ source: String, id: String = "test") -> Runbook {
        RunbookParser.parse(source: source, id: id, path: "runbooks/\(id).md")
    }

    private func at(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(line: line, column: column)
    }

    // MARK: Preamble

    func testTitleSummaryAndTags() {
        let runbook = parse("""
            # Verify SMT JWT auth

            Free prose. The first
            paragraph is the summary.

            Tags: smt, onboarding ,, jwt

            A second paragraph, not in the summary.
            """, id: "smt-jwt")
        XCTAssertEqual(runbook.id, "smt-jwt")
        XCTAssertEqual(runbook.path, "runbooks/smt-jwt.md")
        XCTAssertEqual(runbook.title, "Verify SMT JWT auth")
        XCTAssertEqual(runbook.titleHeadings, [at(1, 1)])
        XCTAssertNil(runbook.textBeforeTitle)
        XCTAssertEqual(runbook.summary, "Free prose. The first paragraph is the summary.")
        XCTAssertEqual(runbook.tags, ["smt", "onboarding", "jwt"])
        XCTAssertEqual(runbook.steps, [])
        XCTAssertEqual(runbook.guardrails, [])
        XCTAssertEqual(runbook.variables, [])
        XCTAssertEqual(runbook.unclosedFences, [])
        XCTAssertEqual(runbook.malformedItems, [])
    }

    func testTagsBeforeSummaryAndTitleWithClosingHashes() {
        let runbook = parse("""

               # Restart the service ##
            Tags: ops
            Tags: droplet

            The summary comes after the tags.
            """)
        XCTAssertEqual(runbook.title, "Restart the service")
        XCTAssertEqual(runbook.titleHeadings, [at(2, 4)])
        XCTAssertEqual(runbook.tags, ["ops", "droplet"])
        XCTAssertEqual(runbook.summary, "The summary comes after the tags.")
    }

    func testSummaryEndsAtACodeBlock() {
        let runbook = parse("""
            # T
            One line of summary.
            ```
            code
            ```
            Not in the summary.
            """)
        XCTAssertEqual(runbook.summary, "One line of summary.")
    }

    func testEveryH1AndTextBeforeTheTitle() {
        let runbook = parse("""

              Draft.
            # First

            ## Step
            ```bash
            # not a heading
            ```
            # Second
            """)
        XCTAssertEqual(runbook.textBeforeTitle, at(2, 3))
        XCTAssertEqual(runbook.title, "First")
        XCTAssertEqual(runbook.titleHeadings, [at(3, 1), at(9, 1)])
        XCTAssertEqual(runbook.steps.map(\.id), ["step"])
    }

    func testNoTitle() {
        let runbook = parse("Just text.\n")
        XCTAssertEqual(runbook.title, "")
        XCTAssertEqual(runbook.titleHeadings, [])
        XCTAssertEqual(runbook.textBeforeTitle, at(1, 1))
    }

    // MARK: Guardrails and Variables

    func testGuardrails() {
        let runbook = parse("""
            # T

            ## Guardrails
            - `/oauth/token`: SMT decommissioned OAuth2 flows (notice SMT-M-A051425-10).
              * `FTPS` — never add FTPS back,
                it is decommissioned.

            + `rm -rf`
            - no pattern here
            """)
        XCTAssertEqual(runbook.guardrails, [
            Guardrail(pattern: "/oauth/token", reason: "SMT decommissioned OAuth2 flows (notice SMT-M-A051425-10).",
                      location: at(4, 1)),
            Guardrail(pattern: "FTPS", reason: "never add FTPS back, it is decommissioned.", location: at(5, 3)),
            Guardrail(pattern: "rm -rf", reason: "", location: at(8, 1)),
        ])
        XCTAssertEqual(runbook.malformedItems, [
            Located("a guardrail item needs its forbidden pattern in backticks: - `PATTERN`: reason", at: at(9, 1)),
        ])
        XCTAssertEqual(runbook.steps, [])
    }

    func testGuardrailWithWordsBeforeThePattern() {
        // The form of the spec's own example: "- Never `/oauth/token`: SMT decommissioned OAuth2 flows".
        let runbook = parse("""
            # T
            ## Guardrails
            - Never `/oauth/token`: SMT decommissioned OAuth2 flows.
            - Do not use `FTPS` in any script.
            """)
        XCTAssertEqual(runbook.guardrails.map(\.pattern), ["/oauth/token", "FTPS"])
        XCTAssertEqual(runbook.guardrails.map(\.reason), ["Never: SMT decommissioned OAuth2 flows.", "Do not use in any script."])
    }

    func testGuardrailMatchesCaseInsensitively() {
        let guardrail = Guardrail(pattern: "/OAuth/token", reason: "", location: at(1, 1))
        XCTAssertTrue(guardrail.matches("curl https://x/oauth/TOKEN"))
        XCTAssertFalse(guardrail.matches("curl https://x/v2/token/"))
        XCTAssertFalse(Guardrail(pattern: "", reason: "", location: at(1, 1)).matches("anything"))
    }

    func testVariables() {
        let runbook = parse("""
            # T

            ## Variables
            - `BASE_URL`: IntelliWatt base URL. Default: `https://intelliwatt.com`
            - `ADMIN_TOKEN` (secret): the 64-character admin token.
               - `PORT` — the port. Default: 8080.
            - `_EMPTY`
            - `lower`: not a variable name.
            """)
        XCTAssertEqual(runbook.variables, [
            Variable(name: "BASE_URL", description: "IntelliWatt base URL.", defaultValue: "https://intelliwatt.com",
                     location: at(4, 1)),
            Variable(name: "ADMIN_TOKEN", description: "the 64-character admin token.", isSecret: true, location: at(5, 1)),
            Variable(name: "PORT", description: "the port.", defaultValue: "8080", location: at(6, 4)),
            Variable(name: "_EMPTY", location: at(7, 1)),
        ])
        XCTAssertEqual(runbook.malformedItems, [
            Located("a variable item is written - `NAME`: description, with NAME in [A-Z_][A-Z0-9_]*", at: at(8, 1)),
        ])
        XCTAssertEqual(runbook.variable(named: "PORT")?.defaultValue, "8080")
        XCTAssertNil(runbook.variable(named: "NOPE"))
    }

    func testVariableNames() {
        for name in ["A", "_", "BASE_URL", "X1", "_X_2"] {
            XCTAssertTrue(Variable.isValidName(name), name)
        }
        for name in ["", "a", "1X", "BASE-URL", "Base", "X Y"] {
            XCTAssertFalse(Variable.isValidName(name), name)
        }
    }

    func testRunbookIDs() {
        for id in ["a", "0", "smt-jwt-status", "2fa", "a-"] {
            XCTAssertTrue(Runbook.isValidID(id), id)
        }
        for id in ["", "-a", "A", "smt_jwt", "smt jwt", "é"] {
            XCTAssertFalse(Runbook.isValidID(id), id)
        }
    }

    // MARK: Steps

    func testStepsWithSlugAndExplicitIDs() {
        let runbook = parse("""
            # T

            ## SSH to the SMT droplet {#ssh}
            Where: PowerShell on your laptop

             ## Run the token test!
            Where:   droplet intelliwatt-smt-proxy   

            ## !!!
            ## Guardrails later is still reserved
            ## Check {# admin-stub }
            """)
        // The sections after the last step with no Where, block or Expect are context (SPEC 11), ids and all.
        XCTAssertEqual(runbook.steps.map(\.id) + runbook.context.map(\.id),
                       ["ssh", "run-the-token-test", "step-3", "guardrails-later-is-still-reserved", "admin-stub"])
        XCTAssertEqual(runbook.steps.map(\.title) + runbook.context.map(\.title), ["SSH to the SMT droplet", "Run the token test!", "!!!",
                                                    "Guardrails later is still reserved", "Check"])
        XCTAssertEqual(runbook.steps.map(\.location) + runbook.context.map(\.location), [at(3, 1), at(6, 2), at(9, 1), at(10, 1), at(11, 1)])
        XCTAssertEqual(runbook.steps[0].wheres, [Located("PowerShell on your laptop", at: at(4, 1))])
        XCTAssertEqual(runbook.steps[1].wheres, [Located("droplet intelliwatt-smt-proxy", at: at(7, 1))])
        XCTAssertEqual(runbook.steps[1].place, "droplet intelliwatt-smt-proxy")
        XCTAssertEqual(runbook.step(id: "ssh")?.title, "SSH to the SMT droplet")
    }

    func testWhereExpectAndProse() {
        let runbook = parse("""
            # T

            ## Run the token test
            Where:
              Where: droplet

            Run the script.
            Where: mid-paragraph is still a Where: line, as it starts the line.

            Expect: one JSON line
            with `"statusCode":200`.
            This is still Expect.

            Prose after Expect.
            ### Notes
            More prose. Tags: not a tag line here.
            """)
        let step = runbook.steps[0]
        XCTAssertEqual(step.wheres, [
            Located("", at: at(4, 1)),
            Located("droplet", at: at(5, 3)),
            Located("mid-paragraph is still a Where: line, as it starts the line.", at: at(8, 1)),
        ])
        XCTAssertEqual(step.place, "droplet")
        XCTAssertEqual(step.expect, Located("one JSON line with `\"statusCode\":200`. This is still Expect.", at: at(10, 1)))
        XCTAssertEqual(step.prose, ["Run the script.", "", "Prose after Expect.", "### Notes",
                                    "More prose. Tags: not a tag line here."])
        XCTAssertEqual(runbook.steps.count, 1, "an H3 inside a step is prose, not a step")
        XCTAssertEqual(runbook.tags, [])
    }

    func testEmptyExpectTakesTheNextLineAndASecondExpectIsKept() {
        let step = parse("# T\n## S\nExpect:\nthe prompt.\n\nExpect:\n").steps[0]
        XCTAssertEqual(step.expects, [Located("the prompt.", at: at(3, 1)), Located("", at: at(6, 1))],
                       "a second Expect: is kept for lint to name, never dropped")
        XCTAssertEqual(step.expect, Located("the prompt.", at: at(3, 1)))
        let continued = parse("# T\n## S\nExpect:\nthe prompt.\n").steps[0]
        XCTAssertEqual(continued.expect, Located("the prompt.", at: at(3, 1)))
    }

    // MARK: Code blocks

    func testFencesAndTheirKinds() {
        let runbook = parse("""
            # T

            ## Call it
            Where: laptop

            ```powershell
            ssh deploy@intelliwatt-smt-proxy
            Where: inside a block is not a Where line
            ```

            ~~~json output
            { "statusCode": 200 }
            ~~~

              ````http check
              GET https://example.com/health
               x: y

              expect status 200
              ````

            ```
            no info string
            ```

            ~~~  text   output  
            ```
            still inside the tilde block
            ~~~
            """)
        let step = runbook.steps[0]
        XCTAssertEqual(step.wheres.map(\.value), ["laptop"])
        XCTAssertEqual(step.actions, [
            CodeBlock(kind: .action, info: "powershell",
                      lines: ["ssh deploy@intelliwatt-smt-proxy", "Where: inside a block is not a Where line"],
                      location: at(6, 1)),
            CodeBlock(kind: .action, info: "", lines: ["no info string"], location: at(22, 1)),
        ])
        XCTAssertEqual(step.outputs, [
            CodeBlock(kind: .output, info: "json output", lines: ["{ \"statusCode\": 200 }"], location: at(11, 1)),
            CodeBlock(kind: .output, info: "text   output", lines: ["```", "still inside the tilde block"], location: at(26, 1)),
        ])
        XCTAssertEqual(step.checks.count, 1)
        XCTAssertEqual(step.checks[0].kind, .check)
        XCTAssertEqual(step.checks[0].info, "http check")
        XCTAssertEqual(step.checks[0].location, at(15, 3))
        XCTAssertEqual(step.checks[0].lines, ["GET https://example.com/health", " x: y", "", "expect status 200"])
        XCTAssertEqual(step.checks[0].check, .success(.http(
            HTTPRequest(method: "GET", url: "https://example.com/health", headers: [.init(name: "x", value: "y")]),
            [.status(200)])))
        XCTAssertEqual(step.check, .http(
            HTTPRequest(method: "GET", url: "https://example.com/health", headers: [.init(name: "x", value: "y")]),
            [.status(200)]))
        XCTAssertEqual(step.action?.language, "powershell")
        XCTAssertEqual(step.outputs[0].language, "json")
        XCTAssertEqual(step.checks[0].language, "http")
        XCTAssertNil(step.actions[1].language)
        XCTAssertEqual(runbook.unclosedFences, [])
    }

    func testKindOfInfoString() {
        let table: [(String, CodeBlock.Kind)] = [
            ("", .action), ("bash", .action), ("powershell", .action), ("json output", .output),
            ("output", .output), ("text\toutput", .output), ("http check", .check), ("check", .check),
            ("sh check output", .check), ("checks", .action), ("json-output", .action),
        ]
        for (info, kind) in table {
            XCTAssertEqual(CodeBlock.kind(ofInfo: info), kind, info)
        }
    }

    func testBacktickInfoStringWithBacktickIsNotAFence() {
        let step = parse("# T\n## S\nWhere: w\n``` a`b\n").steps[0]
        XCTAssertEqual(step.actions, [])
        XCTAssertEqual(step.prose, ["``` a`b"])
    }

    func testUnclosedFence() {
        let runbook = parse("""
            # T

            ## S
            Where: laptop

               ```bash
            echo {{NAME}}
            ~~~
            ## Not a step: inside the block
            """)
        XCTAssertEqual(runbook.unclosedFences, [at(6, 4)])
        XCTAssertEqual(runbook.steps.count, 1)
        XCTAssertEqual(runbook.steps[0].actions, [
            CodeBlock(kind: .action, info: "bash", lines: ["echo {{NAME}}", "~~~", "## Not a step: inside the block"],
                      location: at(6, 4), isClosed: false),
        ])
        XCTAssertEqual(runbook.steps[0].references, [Located("NAME", at: at(7, 6))])
    }

    func testCodeBlocksOutsideStepsAreNotKept() {
        let runbook = parse("""
            # T
            ```bash
            ## not a step
            ```
            ## Variables
            ```
            - `X`: not an item
            ```
            """)
        XCTAssertEqual(runbook.steps, [])
        XCTAssertEqual(runbook.variables, [])
    }

    // MARK: References

    func testReferencesWithColumns() {
        let runbook = parse("""
            # T {{IN_TITLE}}

            ## Call {{BASE_URL}}
            Where: {{HOST}}

            ```http check
            GET {{BASE_URL}}/x?a={{A}}{{B_2}}
            x-admin-token: {{ADMIN_TOKEN}}

            expect status 200
            ```
            Not {{lower}}, {{ SPACED }}, {{1X}}, {X}, {{{TRIPLE}}} or {{OPEN
            """)
        let step = runbook.steps[0]
        XCTAssertEqual(step.references, [
            Located("BASE_URL", at: at(3, 9)),
            Located("HOST", at: at(4, 8)),
            Located("BASE_URL", at: at(7, 5)),
            Located("A", at: at(7, 22)),
            Located("B_2", at: at(7, 27)),
            Located("ADMIN_TOKEN", at: at(8, 16)),
            Located("TRIPLE", at: at(12, 44)),
        ])
        XCTAssertEqual(step.variableNames, ["BASE_URL", "HOST", "A", "B_2", "ADMIN_TOKEN", "TRIPLE"])
    }

    // MARK: Line endings and digests

    private let sample = """
        # Verify SMT JWT auth

        Summary line.

        Tags: smt

        ## Guardrails
        - `/oauth/token`: decommissioned.

        ## Variables
        - `BASE_URL`: the base URL. Default: `https://intelliwatt.com`

        ## SSH to the droplet {#ssh}
        Where: PowerShell on your laptop

        ```powershell
        ssh deploy@intelliwatt-smt-proxy
        ```

        Expect: a prompt
        on two lines.

        ## Check the stub
        Where: laptop

        ```http check
        GET {{BASE_URL}}/api

        expect status 501
        ```

        """

    func testCRLFGivesTheSameRunbookAsLF() {
        let lf = parse(sample)
        let crlf = parse(sample.replacingOccurrences(of: "\n", with: "\r\n"))
        XCTAssertEqual(crlf, lf)
        XCTAssertEqual(crlf.steps.map(\.digest), lf.steps.map(\.digest))
        XCTAssertEqual(crlf.digest, lf.digest)
        XCTAssertEqual(lf.steps.count, 2)
        XCTAssertEqual(lf.steps[0].expect, Located("a prompt on two lines.", at: at(20, 1)))
        XCTAssertFalse(lf.steps.contains { step in step.prose.contains { $0.contains("\r") } })
        XCTAssertEqual(lf.digest, SHA256.hex(String(sample.dropLast())), "the digest is of the LF text")
    }

    func testStepDigestsChangeOnlyWithTheirStep() {
        let original = parse(sample)
        XCTAssertEqual(original.steps[0].digest.count, 64)
        XCTAssertNotEqual(original.steps[0].digest, original.steps[1].digest)
        XCTAssertEqual(parse(sample).steps.map(\.digest), original.steps.map(\.digest), "stable across parses")

        let changed = parse(sample.replacingOccurrences(of: "expect status 501", with: "expect status 200"))
        XCTAssertEqual(changed.steps[0].digest, original.steps[0].digest)
        XCTAssertNotEqual(changed.steps[1].digest, original.steps[1].digest)
        XCTAssertNotEqual(changed.digest, original.digest)

        let retitled = parse(sample.replacingOccurrences(of: "## SSH to the droplet {#ssh}", with: "## SSH to the SMT droplet {#ssh}"))
        XCTAssertEqual(retitled.steps[0].id, "ssh")
        XCTAssertNotEqual(retitled.steps[0].digest, original.steps[0].digest)
        XCTAssertEqual(retitled.steps[1].digest, original.steps[1].digest)

        let trailing = parse(sample.replacingOccurrences(of: "Where: laptop\n", with: "Where: laptop   \n") + "\n\n")
        XCTAssertEqual(trailing.steps.map(\.digest), original.steps.map(\.digest), "trailing blanks do not change a step")
    }

    // MARK: Slugs

    func testSlug() {
        let table: [(String, String)] = [
            ("SSH to the SMT droplet", "ssh-to-the-smt-droplet"),
            ("Run the token test!", "run-the-token-test"),
            ("  Check: the /api/admin stub (501)  ", "check-the-api-admin-stub-501"),
            ("already-a-slug", "already-a-slug"),
            ("under_score and--dashes", "under-score-and-dashes"),
            ("Étape 2: café", "tape-2-caf"),
            ("v2.0 → v3", "v2-0-v3"),
            ("!!!", ""),
            ("", ""),
        ]
        for (title, slug) in table {
            XCTAssertEqual(RunbookParser.slug(title), slug, title)
        }
    }
}
