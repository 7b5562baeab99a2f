import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `list`, `show`, `lint`, `new`, help and usage errors, and files that are no runbooks, through the built binary.
final class CatalogCommandTests: XCTestCase {
    static let alpha = """
    # Alpha

    The first runbook by id.

    Tags: a, b

    ## One
    Where: laptop

    Expect: ok.

    """

    static let zulu = """
    # Zulu

    The last runbook by id.

    ## One
    Where: laptop

    Expect: ok.

    ## Two
    Where: laptop

    Expect: ok.

    """

    /// Every part of the format, two steps in two places.
    static let full = """
    # Full example

    Everything a runbook can hold.

    Tags: smt, demo

    ## Guardrails
    - `/oauth/token`: SMT decommissioned OAuth2 flows.

    ## Variables
    - `BASE_URL`: the base URL. Default: `https://example.test`
    - `TOKEN` (secret): the admin token.

    ## Ask the API {#ask}
    Where: PowerShell on your laptop

    Call the endpoint.

    ```powershell
    curl {{BASE_URL}}/api -H "x-admin-token: {{TOKEN}}"
    ```

    Expect: a 501 answer.

    ```json output
    { "statusCode": 501 }
    ```

    ```http check
    GET {{BASE_URL}}/api/admin
    x-admin-token: {{TOKEN}}

    expect status 501
    expect json ok == false
    ```

    ## Look at the droplet {#droplet}
    Where: droplet intelliwatt-smt-proxy

    ```bash
    uptime
    ```

    Expect: the load average.

    """

    /// Four errors and one warning, at known places.
    static let bad = """
    # Bad one

    ## Variables
    - `UNUSED`: never used.

    ## First step
    Expect: something.

    ```bash
    echo {{NOPE}}
    ```

    ```bash
    echo two
    ```

    ## Second
    Where: laptop
    Where: droplet

    Expect: ok.

    """

    /// Valid, but a step without Expect: one warning.
    static let warnOnly = """
    # Warn

    Summary.

    ## Only
    Where: laptop

    ```bash
    echo hi
    ```

    """

    static let good = """
    # Good

    A good one.

    ## One
    Where: laptop

    Expect: ok.

    """

    // MARK: - list

    func testListPrintsOneLinePerRunbookSortedByIDAndSkipsReadmes() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        try sandbox.write("sub/zulu.md", Self.zulu)
        try sandbox.write("sub/alpha.md", Self.alpha)
        try sandbox.write("README.md", "# About these runbooks\n\nNot a runbook.\n")
        try sandbox.write("sub/README.md", "# Neither\n")

        let result = try sandbox.run(["list"])

        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(result.outputLines.map(\.squeezed), [
            "alpha Alpha 1 step [a, b]",
            "three Three steps 3 steps [test]",
            "zulu Zulu 2 steps",
        ])
        XCTAssertFalse(result.stdout.contains("README"), result.stdout)
    }

    func testListJSONIsAnArrayWithIDTitleStepsAndTags() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        try sandbox.write("sub/zulu.md", Self.zulu)
        try sandbox.write("sub/alpha.md", Self.alpha)
        try sandbox.write("README.md", "# About\n")

        let result = try sandbox.run(["list", "--json"])

        XCTAssertEqual(result.status, 0, result.stderr)
        let items = try XCTUnwrap(try json(result.stdout) as? [[String: Any]])
        XCTAssertEqual(items.map { $0["id"] as? String }, ["alpha", "three", "zulu"])
        XCTAssertEqual(items.map { $0["title"] as? String }, ["Alpha", "Three steps", "Zulu"])
        XCTAssertEqual(items.map { $0["steps"] as? Int }, [1, 3, 2])
        XCTAssertEqual(items.map { $0["tags"] as? [String] }, [["a", "b"], ["test"], []])
        XCTAssertEqual(items.map { $0["unfinishedRuns"] as? Bool }, [false, false, false])
    }

    func testListMarksARunbookWithAnUnfinishedRun() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        try sandbox.write("sub/alpha.md", Self.alpha)
        let started = try sandbox.run(["start", "three", "--run", "r1"], input: "quit\n")
        XCTAssertEqual(started.status, 3, started.stderr)

        let result = try sandbox.run(["list"])

        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.outputLines.map(\.squeezed), [
            "alpha Alpha 1 step [a, b]",
            "three * Three steps 3 steps [test]",
            "* has an unfinished run: runbook runs",
        ])
        let items = try XCTUnwrap(try json(try sandbox.run(["list", "--json"]).stdout) as? [[String: Any]])
        XCTAssertEqual(items.map { $0["unfinishedRuns"] as? Bool }, [false, true])
    }

    // MARK: - show

    func testShowPrintsTheWholeRunbookWithWhereBeforeEachAction() throws {
        let sandbox = try Sandbox()
        try sandbox.write("sub/full.md", Self.full)

        let result = try sandbox.run(["show", "full"])

        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let out = result.stdout
        let lines = result.outputLines
        XCTAssertEqual(lines.first, "Full example  (full, 2 steps)")
        XCTAssertTrue(out.contains("Everything a runbook can hold."), out)
        XCTAssertTrue(out.contains("Tags: smt, demo"), out)
        XCTAssertTrue(out.contains("Guardrails: never do these.\n  - /oauth/token: SMT decommissioned OAuth2 flows."), out)
        XCTAssertTrue(lines.contains("  BASE_URL: the base URL. Default: https://example.test"), out)
        XCTAssertTrue(lines.contains("  TOKEN (secret): the admin token."), out)

        // Each step numbered, Where first, then the action, Expect, the output sample and the check in one line.
        let order = ["Step 1 of 2", "WHERE: PowerShell on your laptop", "Ask the API", "Call the endpoint.",
                     "curl {{BASE_URL}}/api -H \"x-admin-token: {{TOKEN}}\"", "Expect: a 501 answer.",
                     "Output looks like:", "  { \"statusCode\": 501 }",
                     "Check: http GET {{BASE_URL}}/api/admin: status 501, json ok == false",
                     ">> Switch to: droplet intelliwatt-smt-proxy", "Step 2 of 2", "WHERE: droplet intelliwatt-smt-proxy",
                     "Look at the droplet", "uptime", "Expect: the load average."]
        var position = 0
        for expected in order {
            guard let found = lines[position...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == expected.trimmingCharacters(in: .whitespaces) }) else {
                XCTFail("`\(expected)` missing after line \(position):\n\(out)")
                return
            }
            position = found + 1
        }
        XCTAssertEqual(lines.filter { $0.hasPrefix("Check: ") }.count, 1, out)
        XCTAssertEqual(out.occurrences(of: "WHERE:"), 2, out)
    }

    func testShowTakesAPathToAFile() throws {
        let sandbox = try Sandbox()
        try sandbox.write("sub/full.md", Self.full)

        let byID = try sandbox.run(["show", "full"])
        let byPath = try sandbox.run(["show", "runbooks/sub/full.md"])

        XCTAssertEqual(byPath.status, 0, byPath.stderr)
        XCTAssertEqual(byPath.stdout, byID.stdout)
        XCTAssertTrue(byPath.stdout.hasPrefix("Full example  (full, 2 steps)"), byPath.stdout)
    }

    func testShowJSONParses() throws {
        let sandbox = try Sandbox()
        try sandbox.write("sub/full.md", Self.full)

        let result = try sandbox.run(["show", "full", "--json"])

        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try json(result.stdout) as? [String: Any])
        XCTAssertEqual(object["id"] as? String, "full")
        XCTAssertEqual(object["title"] as? String, "Full example")
        XCTAssertEqual(object["path"] as? String, "runbooks/sub/full.md")
        XCTAssertEqual(object["tags"] as? [String], ["smt", "demo"])
        let variables = try XCTUnwrap(object["variables"] as? [[String: Any]])
        XCTAssertEqual(variables.map { $0["name"] as? String }, ["BASE_URL", "TOKEN"])
        XCTAssertEqual(variables.map { $0["secret"] as? Bool }, [false, true])
        XCTAssertEqual(variables[0]["default"] as? String, "https://example.test")
        let steps = try XCTUnwrap(object["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.map { $0["id"] as? String }, ["ask", "droplet"])
        XCTAssertEqual(steps.map { $0["where"] as? String }, ["PowerShell on your laptop", "droplet intelliwatt-smt-proxy"])
        XCTAssertEqual(steps[0]["check"] as? String, "http GET {{BASE_URL}}/api/admin: status 501, json ok == false")
        XCTAssertEqual(steps[0]["expect"] as? String, "a 501 answer.")
    }

    func testShowOfAnUnknownIDFailsWithOneLineAndANearMiss() throws {
        let sandbox = try Sandbox()
        try sandbox.write("sub/full.md", Self.full)

        let near = try sandbox.run(["show", "ful"])
        XCTAssertEqual(near.status, 1)
        XCTAssertEqual(near.stdout, "")
        assertOneErrorLine(near, containing: ["no runbook `ful`", "did you mean `full`?"])

        let far = try sandbox.run(["show", "something-else-entirely"])
        XCTAssertEqual(far.status, 1)
        assertOneErrorLine(far, containing: ["no runbook `something-else-entirely`", "runbook list"])
        XCTAssertFalse(far.stderr.contains("did you mean"), far.stderr)
    }

    // MARK: - lint

    func testShippedRunbooksPassStrictLint() throws {
        let sandbox = try Sandbox()
        let shipped = try FileManager.default.contentsOfDirectory(at: Sandbox.shippedRunbooks, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }
        let runbookCount = shipped.filter { $0.lastPathComponent != "README.md" }.count
        XCTAssertGreaterThan(runbookCount, 0, "no runbooks in \(Sandbox.shippedRunbooks.path)")
        for file in shipped {
            try FileManager.default.copyItem(at: file, to: sandbox.runbooks.appendingPathComponent(file.lastPathComponent))
        }

        let result = try sandbox.run(["lint", "--strict"])

        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertEqual(result.stdout, "\(runbookCount) runbooks: no problems.\n")
        XCTAssertEqual(result.stderr, "")
    }

    func testLintErrorsArePrintedLikeACompilerSortedByLine() throws {
        let sandbox = try Sandbox()
        try sandbox.write("bad.md", Self.bad)

        let result = try sandbox.run(["lint"])

        XCTAssertEqual(result.status, 1)
        let diagnostics = Array(result.outputLines.dropLast())
        // PATH:LINE:COL: error|warning: MESSAGE [RULE]
        let pattern = try NSRegularExpression(pattern: #"^runbooks/bad\.md:(\d+):(\d+): (error|warning): (.+) \[([a-z-]+)\]$"#)
        var found: [(line: Int, column: Int, severity: String, rule: String)] = []
        for line in diagnostics {
            let range = NSRange(line.startIndex..., in: line)
            guard let match = pattern.firstMatch(in: line, range: range) else {
                XCTFail("not PATH:LINE:COL: severity: MESSAGE [RULE]: \(line)")
                continue
            }
            func group(_ index: Int) -> String { String(line[Range(match.range(at: index), in: line)!]) }
            found.append((Int(group(1)) ?? 0, Int(group(2)) ?? 0, group(3), group(5)))
        }
        XCTAssertEqual(found.map { "\($0.line):\($0.column) \($0.severity) \($0.rule)" }, [
            "4:1 warning unused-variable",
            "6:1 error where",
            "10:6 error undeclared-variable",
            "13:1 error one-action",
            "19:1 error where",
        ])
        XCTAssertEqual(found.map(\.line), found.map(\.line).sorted())
        XCTAssertEqual(result.outputLines.last, "1 runbook: 4 errors, 1 warning.")
        XCTAssertTrue(result.stdout.contains("variable {{NOPE}} is not declared"), result.stdout)
    }

    func testWarningsAloneFailOnlyWithStrict() throws {
        let sandbox = try Sandbox()
        try sandbox.write("warn.md", Self.warnOnly)

        let plain = try sandbox.run(["lint"])
        XCTAssertEqual(plain.status, 0, plain.stdout)
        XCTAssertEqual(plain.stdout, """
            runbooks/warn.md:5:1: warning: step "Only" has no Expect: line; add one saying how the operator knows it is done [no-expect]
            1 runbook: 0 errors, 1 warning.

            """)

        let strict = try sandbox.run(["lint", "--strict"])
        XCTAssertEqual(strict.status, 1, strict.stdout)
        XCTAssertEqual(strict.stdout, plain.stdout)
    }

    func testLintJSONIsAnArrayOfDiagnostics() throws {
        let sandbox = try Sandbox()
        try sandbox.write("bad.md", Self.bad)

        let result = try sandbox.run(["lint", "--json"])

        XCTAssertEqual(result.status, 1)
        let items = try XCTUnwrap(try json(result.stdout) as? [[String: Any]])
        XCTAssertEqual(items.count, 5)
        for item in items {
            XCTAssertEqual(Set(item.keys), ["path", "line", "column", "severity", "message", "rule"])
            XCTAssertEqual(item["path"] as? String, "runbooks/bad.md")
        }
        XCTAssertEqual(items.map { $0["line"] as? Int }, [4, 6, 10, 13, 19])
        XCTAssertEqual(items.map { $0["column"] as? Int }, [1, 1, 6, 1, 1])
        XCTAssertEqual(items.map { $0["severity"] as? String }, ["warning", "error", "error", "error", "error"])
        XCTAssertEqual(items.map { $0["rule"] as? String }, ["unused-variable", "where", "undeclared-variable", "one-action", "where"])
        XCTAssertTrue((items[2]["message"] as? String)?.contains("{{NOPE}}") == true)
    }

    func testTwoFilesWithTheSameIDInDifferentFolders() throws {
        let sandbox = try Sandbox()
        try sandbox.write("team-a/shared.md", Self.good)
        try sandbox.write("team-b/shared.md", Self.good)

        let result = try sandbox.run(["lint"])

        XCTAssertEqual(result.status, 1, result.stdout)
        let duplicates = result.outputLines.filter { $0.hasSuffix("[duplicate-id]") }
        XCTAssertEqual(duplicates.count, 1, result.stdout)
        XCTAssertTrue(duplicates.first?.hasPrefix("runbooks/team-b/shared.md:1:1: error: ") == true, result.stdout)
        XCTAssertTrue(duplicates.first?.contains("runbooks/team-a/shared.md") == true, result.stdout)
    }

    func testLintOfExplicitPathsChecksOnlyThose() throws {
        let sandbox = try Sandbox()
        try sandbox.write("bad.md", Self.bad)
        try sandbox.write("good.md", Self.good)
        try sandbox.write("sub/warn.md", Self.warnOnly)

        let result = try sandbox.run(["lint", "runbooks/good.md", "runbooks/sub/warn.md"])

        XCTAssertEqual(result.status, 0, result.stdout)
        XCTAssertFalse(result.stdout.contains("bad.md"), result.stdout)
        XCTAssertEqual(result.outputLines.count, 2, result.stdout)
        XCTAssertTrue(result.outputLines[0].hasPrefix("runbooks/sub/warn.md:5:1: warning:"), result.stdout)
        XCTAssertEqual(result.outputLines[1], "2 runbooks: 0 errors, 1 warning.")

        let folder = try sandbox.run(["lint", "runbooks/sub"])
        XCTAssertEqual(folder.status, 0, folder.stdout)
        XCTAssertEqual(folder.outputLines.last, "1 runbook: 0 errors, 1 warning.")
    }

    func testLintTakesARunbookIdAsShowAndStartDo() throws {
        let sandbox = try Sandbox()
        try sandbox.write("bad.md", Self.bad)
        try sandbox.write("sub/warn.md", Self.warnOnly)

        let result = try sandbox.run(["lint", "warn"])
        XCTAssertEqual(result.status, 0, result.stdout)
        XCTAssertTrue(result.outputLines[0].hasPrefix("runbooks/sub/warn.md:5:1: warning:"), result.stdout)
        XCTAssertEqual(result.outputLines.last, "1 runbook: 0 errors, 1 warning.")

        // An id that names no runbook is still reported as a file that is not there.
        let missing = try sandbox.run(["lint", "nope"])
        XCTAssertEqual(missing.status, 1, missing.stdout)
        XCTAssertTrue(missing.outputLines[0].hasPrefix("nope:1:1: error: "), missing.stdout)
    }

    // MARK: - new

    func testNewWritesASkeletonThatPassesStrictLint() throws {
        let sandbox = try Sandbox()

        let result = try sandbox.run(["new", "db-rotate"])

        XCTAssertEqual(result.status, 0, result.stderr)
        let file = sandbox.runbooks.appendingPathComponent("db-rotate.md")
        XCTAssertTrue(FileManager.default.fileExists(atPath: file.path))
        XCTAssertEqual(result.stdout, "Wrote runbooks/db-rotate.md. Fill it in, then check it: runbook lint --strict runbooks/db-rotate.md\n")
        XCTAssertTrue(sandbox.text(file).hasPrefix("# Db Rotate\n"), sandbox.text(file))

        let lint = try sandbox.run(["lint", "--strict", "runbooks/db-rotate.md"])
        XCTAssertEqual(lint.status, 0, lint.stdout)
        XCTAssertEqual(lint.stdout, "1 runbook: no problems.\n")
        let whole = try sandbox.run(["lint", "--strict"])
        XCTAssertEqual(whole.status, 0, whole.stdout)
    }

    func testNewRefusesAnExistingIDAndLeavesTheFileAlone() throws {
        let sandbox = try Sandbox()
        XCTAssertEqual(try sandbox.run(["new", "db-rotate"]).status, 0)
        let file = sandbox.runbooks.appendingPathComponent("db-rotate.md")
        try Data("# Edited by hand\n".utf8).write(to: file)

        let again = try sandbox.run(["new", "db-rotate"])

        XCTAssertEqual(again.status, 1)
        assertOneErrorLine(again, containing: ["runbooks/db-rotate.md already exists"])
        XCTAssertEqual(sandbox.text(file), "# Edited by hand\n")
    }

    func testNewRefusesAnIDInASubfolderToo() throws {
        let sandbox = try Sandbox()
        try sandbox.write("team/db-rotate.md", Self.good)

        let result = try sandbox.run(["new", "db-rotate"])

        XCTAssertEqual(result.status, 1)
        assertOneErrorLine(result, containing: ["runbooks/team/db-rotate.md already exists"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.runbooks.appendingPathComponent("db-rotate.md").path))
    }

    func testNewWithABadIDIsAUsageError() throws {
        let sandbox = try Sandbox()

        let result = try sandbox.run(["new", "Bad_ID"])

        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.errorLines.first?.hasPrefix("runbook: error: `Bad_ID` is not a runbook id") == true, result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sandbox.runbooks.path), [])
    }

    // MARK: - help and usage errors

    /// A usage error: exit 64, nothing on stdout, one error line naming the problem (then at most a usage line).
    func assertUsageError(_ arguments: [String], _ parts: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let result = try sandbox.run(arguments)
        XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        XCTAssertEqual(result.errorLines.filter { $0.contains("error") }.count, 1, result.stderr, file: file, line: line)
        let first = result.errorLines.first ?? ""
        XCTAssertTrue(first.hasPrefix("runbook: error: "), first, file: file, line: line)
        for part in parts {
            XCTAssertTrue(first.contains(part), "`\(part)` missing from: \(first)", file: file, line: line)
        }
        XCTAssertEqual(result.errorLines.count, 1, result.stderr, file: file, line: line)
        XCTAssertTrue(first.contains("(usage: `runbook help"), first, file: file, line: line)
        assertNoCrash(result, file: file, line: line)
    }

    func testUnknownCommandSuggestsTheClosest() throws {
        try assertUsageError(["lsit"], ["unknown command `lsit`", "Did you mean `list`?"])
        try assertUsageError(["stat"], ["unknown command `stat`", "Did you mean `start`?"])
    }

    func testUnknownFlagSuggestsTheClosest() throws {
        try assertUsageError(["list", "--jsn"], ["unknown option --jsn", "Did you mean --json?"])
        try assertUsageError(["start", "three", "--rn", "r1"], ["unknown option --rn", "Did you mean --run?"])
    }

    func testMissingArgumentsAreNamed() throws {
        try assertUsageError(["show"], ["`show` needs RUNBOOK"])
        try assertUsageError(["start", "three", "--run"], ["--run needs a value"])
        try assertUsageError(["abandon", "r1"], ["needs --reason TEXT"])
    }

    func testBadValuesAreUsageErrors() throws {
        try assertUsageError(["report", "X", "--format", "xml"], ["--format takes markdown, json or mermaid, not `xml`"])
        try assertUsageError(["start", "three", "--var", "bad=1"], ["--var takes NAME=VALUE", "not `bad`"])
        try assertUsageError(["start", "three", "--check-timeout", "1e-300"], ["from 1 to 3600, not `1e-300`"])
        try assertUsageError(["list", "extra"], ["unexpected argument `extra`"])
    }

    /// Issue 13 item 11: the value of a mistyped `--var` may be a secret; only its name is repeated.
    func testAMistypedVarNeverEchoesItsValue() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(["start", "three", "--var", "admin_token=MyS3cretValue"])
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, "runbook: error: --var takes NAME=VALUE with NAME in [A-Z_][A-Z0-9_]*, not `admin_token` "
                       + "(usage: `runbook help start`)\n")
    }

    func testHelpExitsZero() throws {
        let sandbox = try Sandbox()
        for arguments in [["help"], ["--help"], []] {
            let result = try sandbox.run(arguments)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr, "")
            XCTAssertTrue(result.stdout.contains("Usage: runbook [--dir DIR] [--state-dir DIR] [--no-color] COMMAND"), result.stdout)
            for command in ["list", "show", "lint", "start", "resume", "status", "runs", "report", "abandon", "verify", "new"] {
                XCTAssertTrue(result.stdout.contains("\n  \(command) "), "\(command) missing from help")
            }
        }
        for arguments in [["help", "start"], ["start", "--help"]] {
            let result = try sandbox.run(arguments)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stdout.hasPrefix("Usage: runbook start RUNBOOK [--run NAME] [--var NAME=VALUE]..."), result.stdout)
        }
        let unknown = try sandbox.run(["help", "strat"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.errorLines.first?.contains("Did you mean `start`?") == true, unknown.stderr)
    }

    // MARK: - Files and folders that are no runbooks

    /// A bad file `runbooks/broken.md` beside a good one: `show`, `lint` and `list` each fail with exit 1, naming it.
    func assertRefused(_ bytes: [UInt8], because reason: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let sandbox = try Sandbox()
        try sandbox.write("good.md", Self.good)
        try sandbox.writeBytes("broken.md", bytes)
        let path = "runbooks/broken.md"

        for arguments in [["show", path], ["show", "broken"], ["start", "broken"]] {
            let shown = try sandbox.run(arguments)
            XCTAssertEqual(shown.status, 1, "\(arguments)", file: file, line: line)
            XCTAssertEqual(shown.stdout, "", file: file, line: line)
            assertOneErrorLine(shown, containing: ["\(path): \(reason)"], file: file, line: line)
            assertNoCrash(shown, file: file, line: line)
        }

        let linted = try sandbox.run(["lint", path])
        XCTAssertEqual(linted.status, 1, file: file, line: line)
        XCTAssertTrue(linted.stdout.hasPrefix("\(path):1:1: error: \(reason)"), linted.stdout, file: file, line: line)
        XCTAssertTrue(linted.outputLines.first?.hasSuffix("[file]") == true, linted.stdout, file: file, line: line)
        assertNoCrash(linted, file: file, line: line)

        let listed = try sandbox.run(["list"])
        XCTAssertEqual(listed.status, 1, file: file, line: line)
        XCTAssertEqual(listed.outputLines.map(\.squeezed), ["good Good 1 step"], file: file, line: line)
        assertOneErrorLine(listed, containing: ["\(path): \(reason)"], file: file, line: line)
        assertNoCrash(listed, file: file, line: line)
    }

    func testAnEmptyFile() throws {
        try assertRefused([], because: "the file is empty")
        try assertRefused(Array(" \n\n\t\n".utf8), because: "the file is empty")
    }

    func testABinaryFile() throws {
        try assertRefused(Array("# Title\n".utf8) + [0, 1, 2, 0] + Array("\n## Step\n".utf8), because: "a binary file, not Markdown")
    }

    func testAFileThatIsNotUTF8() throws {
        try assertRefused([0xff, 0xfe, 0x41], because: "not UTF-8 text")
    }

    func testAFileOverOneMegabyte() throws {
        let huge = Array("# Huge\n\n".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 1_100_000) + [10]
        try assertRefused(huge, because: "larger than 1 MB")
    }

    func testShowOfAFolder() throws {
        let sandbox = try Sandbox()
        try sandbox.write("sub/good.md", Self.good)

        let result = try sandbox.run(["show", "runbooks/sub"])

        XCTAssertEqual(result.status, 1)
        assertOneErrorLine(result, containing: ["runbooks/sub: is a folder, not a runbook file"])
        assertNoCrash(result)
    }

    func testDirThatDoesNotExist() throws {
        let sandbox = try Sandbox()
        try sandbox.write("good.md", Self.good)
        for arguments in [["list"], ["show", "good"], ["lint"], ["start", "good"]] {
            let result = try sandbox.run(["--dir", "nowhere"] + arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.all)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
            assertOneErrorLine(result, containing: ["nowhere: no such folder", "--dir"])
            assertNoCrash(result)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.root.appendingPathComponent("nowhere").path))
    }

    func testDirThatIsAFile() throws {
        let sandbox = try Sandbox()
        try sandbox.write("good.md", Self.good)
        for arguments in [["list"], ["show", "good"], ["lint"]] {
            let result = try sandbox.run(["--dir", "runbooks/good.md"] + arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.all)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
            assertOneErrorLine(result, containing: ["runbooks/good.md: is a file, not a folder"])
            assertNoCrash(result)
        }
    }

    func testAFolderAndAFileThatCannotBeRead() throws {
        if getuid() == 0 { throw XCTSkip("running as root: chmod 000 does not stop root from reading") }
        let sandbox = try Sandbox()
        try sandbox.write("good.md", Self.good)
        let locked = try sandbox.write("locked/other.md", Self.good).deletingLastPathComponent()
        let secret = try sandbox.write("secret.md", Self.good)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked.path)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: secret.path)
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path)
            try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secret.path)
        }

        let listed = try sandbox.run(["list"])
        XCTAssertEqual(listed.status, 1)
        XCTAssertEqual(listed.outputLines.map(\.squeezed), ["good Good 1 step"])
        XCTAssertTrue(listed.stderr.contains("runbooks/locked: the folder cannot be read"), listed.stderr)
        XCTAssertTrue(listed.stderr.contains("runbooks/secret.md: cannot be read"), listed.stderr)

        let shown = try sandbox.run(["show", "runbooks/secret.md"])
        XCTAssertEqual(shown.status, 1)
        assertOneErrorLine(shown, containing: ["runbooks/secret.md: cannot be read"])
        XCTAssertEqual(try sandbox.run(["show", "good"]).status, 0)

        let linted = try sandbox.run(["lint"])
        XCTAssertEqual(linted.status, 1)
        XCTAssertTrue(linted.stdout.contains("runbooks/locked:1:1: error: the folder cannot be read"), linted.stdout)
        XCTAssertTrue(linted.stdout.contains("runbooks/secret.md:1:1: error: cannot be read"), linted.stdout)

        let folder = try sandbox.run(["--dir", "runbooks/locked", "list"])
        XCTAssertEqual(folder.status, 1)
        assertOneErrorLine(folder, containing: ["runbooks/locked: the folder cannot be read"])
        for result in [listed, shown, linted, folder] { assertNoCrash(result) }
    }
}
