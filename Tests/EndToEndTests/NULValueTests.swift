import Foundation
import XCTest

/// A NUL in a value (issue 13 item 12): it once reached an sh check cut short, and the log kept it.
final class NULValueTests: XCTestCase {
    static let runbook = """
    # Nul

    A check that compares a value.

    ## Variables
    - `V`: a value.

    ## Compare {#compare}
    Where: bash on your laptop

    Expect: the check passes.

    ```sh check
    test "{{V}}" = a
    ```

    """

    func testATypedValueWithANULIsAskedAgainAndNeverRecordedNorCutShortIntoAPass() throws {
        let sandbox = try Sandbox()
        try sandbox.write("nul.md", Self.runbook)
        let walk = try sandbox.run(["start", "nul", "--run", "r"], input: "done\na\u{0}b\nquit\n")
        XCTAssertEqual(walk.status, 3, walk.all)
        XCTAssertTrue(walk.stdout.contains("That is not a value for V: it holds a NUL character"), walk.stdout)
        XCTAssertFalse(walk.stdout.contains("Check passed"), walk.stdout)
        XCTAssertFalse(try sandbox.logData("r").contains(0), "a NUL was recorded")
        XCTAssertFalse(try sandbox.logLines("r").joined().contains("\\u0000"), "a NUL was recorded")
        XCTAssertEqual(try sandbox.events("r"), ["runStarted", "runPaused"])
    }

    func testAValueWithAControlCharacterGivenWithVarIsRefused() throws {
        let sandbox = try Sandbox()
        try sandbox.write("nul.md", Self.runbook)
        // An argument cannot hold a NUL; an ESC it can.
        let walk = try sandbox.run(["start", "nul", "--run", "r", "--var", "V=a\u{1B}b"], input: "done\nquit\n")
        XCTAssertEqual(walk.status, 64, walk.all)
        XCTAssertTrue(walk.stderr.contains("it holds a control character (U+001B)"), walk.stderr)
    }
}
