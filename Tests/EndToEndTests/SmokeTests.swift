import XCTest

final class SmokeTests: XCTestCase {
    func testVersionRunsTheBuiltBinary() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.hasPrefix("runbook "), result.stdout)
    }

    func testAWholeWalkFromAPipe() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let result = try sandbox.run(["start", "three", "--run", "r1"], input: "done\ndone\ndone\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Run r1 complete: 3 done, 0 skipped"), result.stdout)
        let verify = try sandbox.run(["verify", "r1"])
        XCTAssertEqual(verify.status, 0, verify.stderr)
    }
}
