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
        // The preamble introduces the run, before the guardrails and the first step.
        let intro = try XCTUnwrap(result.stdout.range(of: "A test runbook with three steps."))
        let rails = try XCTUnwrap(result.stdout.range(of: "Guardrails: never do these."))
        let first = try XCTUnwrap(result.stdout.range(of: "Step 1 of 3"))
        XCTAssertTrue(intro.lowerBound < rails.lowerBound && rails.lowerBound < first.lowerBound, result.stdout)
        let verify = try sandbox.run(["verify", "r1"])
        XCTAssertEqual(verify.status, 0, verify.stderr)
    }
}
