import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// The rules across the runbooks of a folder: duplicate-id.
final class CatalogRuleTests: XCTestCase {
    private func runbook(_ path: String) -> Runbook {
        RunbookParser.parse(source: "# Title\n\n## Step\nWhere: laptop\n", id: SourceFile.id(ofPath: path), path: path)
    }

    func testDuplicateIDsAreReportedOnEachLaterFile() {
        let runbooks = ["runbooks/deploy.md", "runbooks/old/deploy.md", "runbooks/smt.md", "runbooks/x/y/deploy.md"]
            .map(runbook)
        let diagnostics = Linter(rules: [], catalogRules: [DuplicateIDRule()]).lint(runbooks)
        XCTAssertEqual(diagnostics, [
            Diagnostic(path: "runbooks/old/deploy.md", location: SourceLocation(line: 1, column: 1), severity: .error,
                       message: "runbook id \"deploy\" is also the id of runbooks/deploy.md; rename one of the files so each id is unique",
                       rule: "duplicate-id"),
            Diagnostic(path: "runbooks/x/y/deploy.md", location: SourceLocation(line: 1, column: 1), severity: .error,
                       message: "runbook id \"deploy\" is also the id of runbooks/deploy.md; rename one of the files so each id is unique",
                       rule: "duplicate-id"),
        ])
    }

    func testDistinctIDsAreClean() {
        let runbooks = ["runbooks/deploy.md", "runbooks/deploy-2.md", "runbooks/old/smt.md"].map(runbook)
        XCTAssertEqual(Linter(rules: [], catalogRules: [DuplicateIDRule()]).lint(runbooks), [])
    }
}
