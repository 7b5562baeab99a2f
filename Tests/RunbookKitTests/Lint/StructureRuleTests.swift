import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// The rules about the file as a whole: title, no-steps, unclosed-fence, file-name, list-item.
final class StructureRuleTests: XCTestCase {
    // MARK: title

    func testTitleMissing() {
        XCTAssertLint(TitleRule(), """
            1️⃣Some notes, but no title.

            ## Restart the service
            Where: droplet
            """, findings: [
                FindingSpec("1️⃣", message: "the runbook has no title; start the file with one H1 line, e.g. \"# Verify SMT JWT auth\"",
                            severity: .error, rule: "title"),
            ])
    }

    func testTitleMissingInEmptyRunbookIsAtFirstLine() {
        XCTAssertLint(TitleRule(), "1️⃣\n\n", findings: [FindingSpec("1️⃣", message: "has no title")])
    }

    func testTitleTwice() {
        XCTAssertLint(TitleRule(), """
            # Restart the service

            ## Stop it
            Where: droplet

            1️⃣# Restart the service, again

            2️⃣# And a third
            """, findings: [
                FindingSpec("1️⃣", message: "a second H1 heading; a runbook has one title: make this a step (##) or remove it"),
                FindingSpec("2️⃣", message: "a second H1 heading"),
            ])
    }

    func testTextBeforeTitle() {
        XCTAssertLint(TitleRule(), """

              1️⃣Draft: do not use yet.

            # Restart the service
            """, findings: [
                FindingSpec("1️⃣", message: "text before the title; make the H1 title the first line and move this text below it"),
            ])
    }

    func testStepBeforeTitle() {
        XCTAssertLint(TitleRule(), """
            1️⃣## Stop it
            Where: droplet

            # Restart the service
            """, findings: [FindingSpec("1️⃣", message: "text before the title")])
    }

    func testOneTitleIsClean() {
        XCTAssertLint(TitleRule(), """


            # Restart the service

            Prose with a # hash, and an H1 inside a code block:

            ```bash
            # not a heading
            ```

            ## Stop it
            Where: droplet
            """, findings: [])
    }

    // MARK: no-steps

    func testNoStepsAtTitle() {
        XCTAssertLint(NoStepsRule(), """
            1️⃣# Restart the service

            Only prose.

            ## Guardrails
            - `rm -rf`: never.

            ## Variables
            - `HOST`: the host.
            """, findings: [
                FindingSpec("1️⃣", message: "the runbook has no steps; add an H2 heading per step",
                            severity: .error, rule: "no-steps"),
            ])
    }

    func testNoStepsWithoutTitleAtFirstLine() {
        XCTAssertLint(NoStepsRule(), """
            1️⃣Only prose.
            """, findings: [FindingSpec("1️⃣", message: "has no steps")])
    }

    func testOneStepIsEnough() {
        XCTAssertLint(NoStepsRule(), """
            # Restart the service
            ## Stop it
            Where: droplet
            """, findings: [])
    }

    // MARK: unclosed-fence

    func testUnclosedFence() {
        XCTAssertLint(UnclosedFenceRule(), """
            # Restart the service

            ## Stop it
            Where: droplet

              1️⃣~~~bash
            systemctl stop app
            ```
            """, findings: [
                FindingSpec("1️⃣", message: "this code block never closes; end it with a fence line like its opening one (``` or ~~~)",
                            severity: .error, rule: "unclosed-fence"),
            ])
    }

    func testUnclosedFenceInPreamble() {
        XCTAssertLint(UnclosedFenceRule(), """
            # Restart the service

            1️⃣````
            ```
            """, findings: [FindingSpec("1️⃣", message: "never closes")])
    }

    func testClosedFencesAreClean() {
        XCTAssertLint(UnclosedFenceRule(), """
            # Restart the service

            ## Stop it
            ````markdown
            ```bash
            nested
            ```
            ````

            ~~~
            tilde
            ~~~~
            """, findings: [])
    }

    // MARK: file-name

    func testFileNameNotAnID() {
        XCTAssertLint(FileNameRule(), """
            1️⃣# Restart the service
            """, id: "Restart_Service", findings: [
                FindingSpec("1️⃣", message: "the id \"Restart_Service\" is not lowercase letters, digits and dashes; rename the file, e.g. restart-service.md",
                            severity: .error, rule: "file-name"),
            ])
    }

    func testFileNameStartingWithDash() {
        XCTAssertLint(FileNameRule(), "1️⃣# T\n", id: "-restart", findings: [FindingSpec("1️⃣", message: "rename the file")])
    }

    func testFileNameValid() {
        XCTAssertLint(FileNameRule(), "# T\n", id: "restart-service-2", findings: [])
        XCTAssertLint(FileNameRule(), "# T\n", id: "0day", findings: [])
    }

    // MARK: list-item

    func testListItemMalformed() {
        XCTAssertLint(ListItemRule(), """
            # Restart the service

            ## Guardrails
            1️⃣- never use the old endpoint
              2️⃣* ``: empty pattern

            ## Variables
            3️⃣- `base_url`: lowercase is not a variable name.
            4️⃣- HOST: no backticks.
            """, findings: [
                FindingSpec("1️⃣", message: "a guardrail item needs its forbidden pattern in backticks: - `PATTERN`: reason",
                            severity: .error, rule: "list-item"),
                FindingSpec("2️⃣", message: "a guardrail item needs its forbidden pattern in backticks"),
                FindingSpec("3️⃣", message: "a variable item is written - `NAME`: description, with NAME in [A-Z_][A-Z0-9_]*"),
                FindingSpec("4️⃣", message: "a variable item is written"),
            ])
    }

    func testListItemsWellFormed() {
        XCTAssertLint(ListItemRule(), """
            # Restart the service

            ## Guardrails
            - `rm -rf /`: never delete the root.
            + `DROP TABLE` — no schema changes
              from a runbook.

            ## Variables
            - `HOST`: the host.
            - `TOKEN` (secret): the token.
            """, findings: [])
    }
}
