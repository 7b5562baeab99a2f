import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// The rules about each step: where, one-action, one-expect, cursor-single-block, duplicate-step, check-syntax, no-expect.
final class StepRuleTests: XCTestCase {
    // MARK: where

    func testWhereMissing() {
        XCTAssertLint(WhereRule(), """
            # Verify SMT JWT auth

            1️⃣## SSH to the droplet

            Run `ssh`. Where: in prose does not count.

            ```powershell
            Where: in a block does not count
            ```
            """, findings: [
                FindingSpec("1️⃣", message: "step \"SSH to the droplet\" has no Where: line; add one saying where to run it, e.g. \"Where: PowerShell on your laptop\"",
                            severity: .error, rule: "where"),
            ])
    }

    func testWhereEmpty() {
        XCTAssertLint(WhereRule(), """
            # Verify SMT JWT auth

            ## SSH to the droplet
              1️⃣Where:   
            """, findings: [
                FindingSpec("1️⃣", message: "step \"SSH to the droplet\" has an empty Where: line; say where to run it, e.g. \"Where: PowerShell on your laptop\""),
            ])
    }

    func testWhereTwice() {
        XCTAssertLint(WhereRule(), """
            # Verify SMT JWT auth

            ## SSH to the droplet
            Where: PowerShell on your laptop
            1️⃣Where: droplet intelliwatt-smt-proxy
            Where: somewhere else
            """, findings: [
                FindingSpec("1️⃣", message: "step \"SSH to the droplet\" has 3 Where: lines; keep one, and split the step if it runs in several places"),
            ])
    }

    func testWhereOncePerStepIsClean() {
        XCTAssertLint(WhereRule(), """
            # Verify SMT JWT auth

            ## SSH to the droplet
            Where: PowerShell on your laptop

            ## Run the test
            Where: droplet intelliwatt-smt-proxy
            """, findings: [])
    }

    // MARK: one-action

    func testOneActionTwoBlocks() {
        XCTAssertLint(OneActionRule(), """
            # Restart the service

            ## Restart it
            Where: droplet

            ```bash
            systemctl stop app
            ```

            ~~~
            systemctl start app
            ~~~

            1️⃣```bash
            systemctl status app
            ```
            """, findings: [
                FindingSpec("1️⃣", message: "step \"Restart it\" has 2 `bash` action blocks; one step at a time: split it into steps with one block each (blocks in different languages, e.g. powershell and bash, are alternatives)",
                            severity: .error, rule: "one-action"),
            ])
    }

    func testOneActionWithOutputAndCheckIsClean() {
        XCTAssertLint(OneActionRule(), """
            # Restart the service

            ## Restart it
            Where: droplet

            ```bash
            systemctl restart app
            ```

            ```text output
            ok
            ```

            ```sh check
            systemctl is-active app
            ```

            ## Look at it
            Where: browser
            """, findings: [])
    }

    // MARK: cursor-single-block

    // MARK: one-expect

    func testASecondExpectOrOutputSampleIsAnErrorNamingBothLines() {
        XCTAssertLint(OneExpectRule(), """
            # Carried over

            ## Check the service {#check}
            Where: droplet

            Expect: `active`.

            ```text output
            active
            ```

            1️⃣Expect: no errors in the journal.
              continued on a second line.

            2️⃣```text output
            -- No entries --
            ```

            ## Clean {#clean}
            Where: droplet

            Expect: one is fine.
            """, findings: [
                FindingSpec("1️⃣", message: "step \"Check the service\" has a second Expect: on line 12, after the one on line 6; keep one, saying all the operator should see"),
                FindingSpec("2️⃣", message: "step \"Check the service\" has a second output sample on line 15, after the one on line 8; keep one, or split the step"),
            ])
        let step = RunbookParser.parse(source: MarkedText("""
            # T

            ## S
            Where: here

            Expect: `active`.

            Expect: no errors in the journal.
              continued on a second line.
            """).text, id: "t").steps[0]
        XCTAssertEqual(step.expects.map(\.value), ["`active`.", "no errors in the journal. continued on a second line."],
                       "both kept, neither dropped")
    }

    func testCursorStepWithoutBlock() {
        XCTAssertLint(CursorSingleBlockRule(), """
            # Fix the build

            1️⃣## Ask the agent
            Where: Cursor Agent chat

            Tell it what to fix.
            """, findings: [
                FindingSpec("1️⃣", message: "step \"Ask the agent\" runs in Cursor but has no action block; add the single Cursor Agent Block to paste",
                            severity: .error, rule: "cursor-single-block"),
            ])
    }

    func testCursorStepWithTwoBlocks() {
        XCTAssertLint(CursorSingleBlockRule(), """
            # Fix the build

            ## Ask the agent
            Where: the CURSOR agent

            ```text
            Fix the build.
            ```

            1️⃣```text
            And the tests.
            ```
            """, findings: [
                FindingSpec("1️⃣", message: "step \"Ask the agent\" runs in Cursor, so its Cursor Agent Block must be single; merge the blocks into one or split the step"),
            ])
    }

    func testCursorStepWithOneBlockAndOtherStepsAreClean() {
        XCTAssertLint(CursorSingleBlockRule(), """
            # Fix the build

            ## Ask the agent
            Where: Cursor

            ```text
            Fix the build.
            ```

            ## Look at the result
            Where: browser
            """, findings: [])
    }

    // MARK: duplicate-step

    func testDuplicateStepIDs() {
        XCTAssertLint(DuplicateStepRule(), """
            # Deploy

            ## Deploy!
            Where: laptop

            1️⃣## deploy
            Where: laptop

            ## Roll back {#rollback}
            Where: laptop

            2️⃣## Another roll back {#rollback}
            Where: laptop
            """, findings: [
                FindingSpec("1️⃣", message: "step id \"deploy\" is also the id of step \"Deploy!\" on line 3; change the title or give it an explicit {#id}",
                            severity: .error, rule: "duplicate-step"),
                FindingSpec("2️⃣", message: "step id \"rollback\" is also the id of step \"Roll back\" on line 9"),
            ])
    }

    func testDistinctStepIDsAreClean() {
        XCTAssertLint(DuplicateStepRule(), """
            # Deploy

            ## Deploy
            ## Deploy {#deploy-again}
            ## Deploy 2
            """, findings: [])
    }

    // MARK: check-syntax

    func testCheckSyntaxMalformedBlocks() {
        XCTAssertLint(CheckSyntaxRule(), """
            # Check the API

            ## Call it
            Where: laptop

            ```http check
            1️⃣FETCH https://example.com
            expect status 200
            ```

            ## Paste it
            Where: droplet

            ```paste check
            2️⃣expect status 200
            ```

            ## Guess it
            Where: laptop

            3️⃣```python check
            print(1)
            ```
            """, findings: [
                FindingSpec("1️⃣", message: "an http check starts with a request line `METHOD URL`, e.g. `GET {{BASE_URL}}/health`",
                            severity: .error, rule: "check-syntax"),
                FindingSpec("2️⃣", message: "a paste check can only expect `body contains` or `json`"),
                FindingSpec("3️⃣", message: "unknown check kind `python`: write `http check`, `paste check` or `sh check`"),
            ])
    }

    func testCheckSyntaxTwoChecks() {
        XCTAssertLint(CheckSyntaxRule(), """
            # Check the API

            ## Call it
            Where: laptop

            ```sh check
            true
            ```

            1️⃣~~~sh check
            true
            ~~~
            """, findings: [
                FindingSpec("1️⃣", message: "step \"Call it\" has 2 check blocks; keep one, with all its expect lines"),
            ])
    }

    func testCheckSyntaxValidCheckIsClean() {
        XCTAssertLint(CheckSyntaxRule(), """
            # Check the API

            ## Call it
            Where: laptop

            ```http check
            GET https://example.com/health
            Accept: application/json

            expect status 200
            expect json ok == true
            ```
            """, findings: [])
    }

    // MARK: no-expect

    func testNoExpect() {
        XCTAssertLint(NoExpectRule(), """
            # Restart the service

            1️⃣## Restart it
            Where: droplet

            ```bash
            Expect: in a block does not count
            ```

              2️⃣## Look at it
            Where: browser
            Expect:

            the page loads.
            """, findings: [
                FindingSpec("1️⃣", message: "step \"Restart it\" has no Expect: line; add one saying how the operator knows it is done",
                            severity: .warning, rule: "no-expect"),
                FindingSpec("2️⃣", message: "step \"Look at it\" has an empty Expect: line; say how the operator knows it is done"),
            ])
    }

    func testExpectPresentIsClean() {
        XCTAssertLint(NoExpectRule(), """
            # Restart the service

            ## Restart it
            Where: droplet
            Expect: `active (running)`.

            ## Look at it
            Where: browser
            Expect:
            the page loads.
            """, findings: [])
    }
}
