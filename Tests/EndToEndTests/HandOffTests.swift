import Foundation
import XCTest

/// A hand-off from one runbook to another through the built binary, by pipe (SPEC 11).
final class HandOffTests: XCTestCase {
    static let check = """
    # Check the service

    ## Variables
    - `HOST`: the host to look at.
    - `TOKEN` (secret): the API token.

    ## Look at the dashboard {#look}
    Where: laptop

    Open the dashboard of {{HOST}}.

    Choose: how is it?
    - `fine`: green → #end
    - `broken`: red: the incident runbook takes over → incident

    """

    static let incident = """
    # Incident

    ## Variables
    - `HOST`: the host in trouble.
    - `TOKEN` (secret): the API token.

    ## Restart the service {#restart}
    Where: {{HOST}}

    ```sh check
    test "$TOKEN" = s3cret-token
    ```

    Expect: restarted.

    """

    func testAHandOffStartsTheOtherRunWithTheSameValuesAndBothReportsLinkEachOther() throws {
        let sandbox = try Sandbox()
        _ = try sandbox.write("check.md", Self.check)
        _ = try sandbox.write("incident.md", Self.incident)
        XCTAssertEqual(try sandbox.run(["lint"]).status, 0)
        let result = try sandbox.run(["start", "check", "--run", "c1", "--var", "HOST=web-1"], input: "broken\ndone\n",
                                     env: ["TOKEN": "s3cret-token"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("The path hands off to the runbook incident: a run of it starts now, with this run's values."), result.stdout)
        let begun = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix("Run c1 handed off to run ") })
        let next = String(begun.dropFirst("Run c1 handed off to run ".count).prefix { $0 != ":" })
        XCTAssertTrue(next.hasPrefix("incident-"), next)
        XCTAssertTrue(result.stdout.contains("WHERE: web-1"), "the non-secret value came along: " + result.stdout)
        XCTAssertTrue(result.stdout.contains("✔ Check passed"), "the secret came along in memory: " + result.stdout)
        XCTAssertTrue(result.stdout.contains("Run \(next) complete: 1 done"), result.stdout)
        XCTAssertFalse(sandbox.text(sandbox.log("c1")).contains("s3cret-token"))
        XCTAssertFalse(sandbox.text(sandbox.log(next)).contains("s3cret-token"))

        let first = try XCTUnwrap(try json(try sandbox.run(["report", "c1", "--format", "json"]).stdout) as? [String: Any])
        XCTAssertEqual(first["status"] as? String, "handedOff")
        XCTAssertEqual(first["handedOffTo"] as? [String: String], ["runbook": "incident", "run": next])
        let second = try XCTUnwrap(try json(try sandbox.run(["report", next, "--format", "json"]).stdout) as? [String: Any])
        XCTAssertEqual(second["handedOffFrom"] as? String, "c1")
        XCTAssertEqual(second["variables"] as? [String: String], ["HOST": "web-1"])
        XCTAssertTrue(try sandbox.run(["report", "c1"]).stdout.contains("- Status: **handedOff** to run `\(next)` of `incident`"))
        XCTAssertTrue(try sandbox.run(["report", next]).stdout.contains("- Handed off from: run `c1`"))
        let runs = try sandbox.run(["runs", "--all"]).stdout
        XCTAssertTrue(runs.contains("c1  check  handed off to incident (run \(next))"), runs)
        XCTAssertTrue(runs.contains("\(next)  incident  completed, from run c1"), runs)
        XCTAssertEqual(try sandbox.run(["verify", "c1"]).status, 0)
        XCTAssertEqual(try sandbox.run(["verify", next]).status, 0)
        XCTAssertTrue(try sandbox.run(["resume", "c1"]).stderr.contains("run c1 was handed off to run \(next)"))
    }

    func testAHandOffToARunbookTheFolderLacksWaitsAtTheEndUntilItIsAdded() throws {
        let sandbox = try Sandbox()
        _ = try sandbox.write("check.md", Self.check)
        XCTAssertTrue(try sandbox.run(["lint"]).stdout.contains("hands off to incident, which is no runbook of the runbooks folder"))
        let result = try sandbox.run(["start", "check", "--run", "c2", "--var", "HOST=web-1"], input: "broken\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("could not hand off run c2 to incident"), result.stderr)
        XCTAssertTrue(result.stderr.contains("then `runbook resume c2` hands off again"), result.stderr)
        _ = try sandbox.write("incident.md", Self.incident)
        let resumed = try sandbox.run(["resume", "c2"], input: "done\n", env: ["TOKEN": "s3cret-token"])
        XCTAssertEqual(resumed.status, 0, resumed.stdout + resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("Run c2 handed off to run incident-"), resumed.stdout)
    }
}
