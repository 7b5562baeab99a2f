import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel

/// `RunbookParser.outline` (what `list` reads) gives the title, tags and steps the whole parse gives.
final class OutlineTests: XCTestCase {
    func testTheOutlineHoldsWhatTheWholeParseHoldsForList() throws {
        let source = """
        Text before the title.

        # Deploy the thing
        Tags: deploy, prod ,
        A summary.

        ```sh
        # Not a title
        ## Not a step
        ```

        ## Guardrails
        - `rm -rf`: never
        Tags: not-a-tag

        ## Variables
        - `NAME`: a name

        ## First step {#first}
        Where: laptop
        Tags: nor-this

        ~~~~
        ## Inside tildes
        ```
        ~~~~

        # A second title is prose
        ## Second step ##
           ## Third, indented
            ## Four spaces: not a heading
        ```
        ## In an unclosed fence
        """
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("outline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("deploy.md").path
        try source.write(toFile: path, atomically: true, encoding: .utf8)

        let whole = try RunbookParser.parse(contentsOf: path)
        let outline = try RunbookParser.outline(contentsOf: path)
        XCTAssertEqual(outline.title, "Deploy the thing")
        XCTAssertEqual(outline.tags, ["deploy", "prod"])
        XCTAssertEqual(outline.steps.map(\.id), ["first", "second-step", "third-indented"])
        XCTAssertEqual(outline.title, whole.title)
        XCTAssertEqual(outline.tags, whole.tags)
        XCTAssertEqual(outline.steps.map(\.id), whole.steps.map(\.id))
        XCTAssertEqual(outline.steps.map(\.title), whole.steps.map(\.title))
        XCTAssertEqual(outline.steps.map(\.location), whole.steps.map(\.location))
        XCTAssertEqual(RunbookViews.list([outline], unfinished: []), RunbookViews.list([whole], unfinished: []))
    }
}
