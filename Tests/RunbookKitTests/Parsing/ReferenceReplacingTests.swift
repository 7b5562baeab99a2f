import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// `Variable.substituting`: every `{{NAME}}`, and nothing else, in one pass.
final class ReferenceReplacingTests: XCTestCase {
    private func shell(_ text: String) -> String {
        Variable.substituting(text) { "${\($0)}" }
    }

    func testEveryReferenceAndNothingElse() {
        XCTAssertEqual(shell(#"test -n "{{ADMIN_TOKEN}}" && curl {{BASE_URL}}/x"#), #"test -n "${ADMIN_TOKEN}" && curl ${BASE_URL}/x"#)
        XCTAssertEqual(shell("{{{A}}} {{lower}} {{ B }} {{}} {{A_1}}{{B}}"), "{${A}} {{lower}} {{ B }} {{}} ${A_1}${B}")
        XCTAssertEqual(shell("line one {{A}}\nline two {{B"), "line one ${A}\nline two {{B")
        XCTAssertEqual(shell("no braces"), "no braces")
    }

    func testALongRunOfBracesIsOnePass() {
        // 200,000 `{` with no `}}`: linear, so this returns at once (a quadratic scan took minutes).
        let braces = String(repeating: "{", count: 200_000)
        XCTAssertEqual(shell(braces + "{{X}}"), braces + "${X}")
    }
}
