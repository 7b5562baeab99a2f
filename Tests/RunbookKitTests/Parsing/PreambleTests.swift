import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

final class PreambleTests: XCTestCase {
    func testThePreambleKeepsItsParagraphsWithoutTagsOrExtraBlankLines() {
        let runbook = RunbookParser.parse(source: """
        # Title


        First paragraph,
        two lines.

        Tags: a, b


        ### House rules
        - one step at a time

        ## Only {#only}
        Where: laptop

        Expect: fine.
        """, id: "x")
        XCTAssertEqual(runbook.summary, "First paragraph, two lines.")
        XCTAssertEqual(runbook.tags, ["a", "b"])
        XCTAssertEqual(runbook.preamble, ["First paragraph,", "two lines.", "", "### House rules", "- one step at a time"])
        XCTAssertEqual(runbook.steps.map(\.prose), [[]])
    }

    func testARunbookWithoutPreambleHasNone() {
        let runbook = RunbookParser.parse(source: "# T\n\n## S\nWhere: here\n", id: "x")
        XCTAssertEqual(runbook.preamble, [])
        XCTAssertEqual(runbook.summary, "")
    }
}

final class HeadingTextTests: XCTestCase {
    func testClosingHashesAreDroppedOnlyAfterASpace() {
        let runbook = RunbookParser.parse(source: """
        # Title #

        ## Restart C# service
        Where: laptop

        ## Check it ##
        Where: laptop
        """, id: "x")
        XCTAssertEqual(runbook.title, "Title")
        XCTAssertEqual(runbook.steps.map(\.title), ["Restart C# service", "Check it"])
        XCTAssertEqual(runbook.steps.map(\.id), ["restart-c-service", "check-it"])
    }
}
