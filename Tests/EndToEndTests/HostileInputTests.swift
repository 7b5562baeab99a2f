import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The defects that thousands of hostile inputs found (issue 7), each kept found, through the built binary.
final class HostileInputTests: XCTestCase {
    // MARK: A quadratic scan

    func testALineOfBracesUnderTheSizeLimitIsLintedShownAndStartedPromptly() throws {
        // The issue's reproducer at a megabyte: quadratic scans took minutes. The default timeout of
        // `run` (30 s, a hundred times what it takes now) turns a hang into a failure.
        let sandbox = try Sandbox()
        try sandbox.write("brace.md", "# T\n\n## S {#s}\nWhere: here\n\n" + String(repeating: "{", count: 1_000_000) + "\n\nExpect: ok\n")
        let lint = try sandbox.run(["lint"])
        XCTAssertEqual(lint.status, 0, lint.stdout)
        XCTAssertEqual(lint.stdout, "1 runbook: no problems.\n")
        let show = try sandbox.run(["show", "brace"])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains(String(repeating: "{", count: 1_000_000)))
        let start = try sandbox.run(["start", "brace", "--run", "b1"], input: "done\n")
        XCTAssertEqual(start.status, 0, start.stderr)
        XCTAssertTrue(start.stdout.contains("Run b1 complete"), String(start.stdout.suffix(300)))
    }

    // MARK: A catastrophic Format: pattern

    func testANestedQuantifierFormatNeitherHangsLintNorStart() throws {
        // Issue 13 item 3: `(a+)+b` on 29 `a`s and a `c` made lint say "no problems" after minutes
        // and start never end. Both answer within the timeout now (a backtracking engine takes hours).
        let sandbox = try Sandbox()
        let value = String(repeating: "a", count: 29) + "c"
        try sandbox.write("hang.md", "# Hang\n\n## Variables\n- `NAME`: a name. Format: `(a+)+b` Default: `\(value)`\n\n"
                          + "## Use it {#use}\nWhere: here\n\nEcho {{NAME}}.\n\nExpect: ok\n")
        let lint = try sandbox.run(["lint"], timeout: 10)
        XCTAssertEqual(lint.status, 1, lint.stdout)
        XCTAssertTrue(lint.stdout.contains("does not match `(a+)+b`; fix one of them [variable-format]"), lint.stdout)
        try sandbox.write("hang.md", "# Hang\n\n## Variables\n- `NAME`: a name. Format: `(a+)+b`\n\n"
                          + "## Use it {#use}\nWhere: here\n\nEcho {{NAME}}.\n\nExpect: ok\n")
        let start = try sandbox.run(["start", "hang", "--run", "h1", "--var", "NAME=\(value)"], input: "\(value)\nquit\n", timeout: 10)
        XCTAssertTrue((start.stdout + start.stderr).contains("does not match `(a+)+b`"), start.stdout + start.stderr)
    }

    // MARK: An interrupted start

    func testALogLeftEmptyByAKilledStartIsNoRunAndItsNameCanBeUsedAgain() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        // What `kill -9` in a start's first milliseconds left before: an empty log, or a first line cut short.
        try FileManager.default.createDirectory(at: sandbox.state.appendingPathComponent("runs"), withIntermediateDirectories: true)
        try Data().write(to: sandbox.log("x"))
        try Data(#"{"at":"2026-"#.utf8).write(to: sandbox.log("y"))

        for arguments in [["runs", "--all"], ["runs"], ["status"]] {
            let listed = try sandbox.run(arguments)
            XCTAssertEqual(listed.status, 0, "\(arguments): \(listed.stderr)")
            XCTAssertEqual(listed.stderr, "", "\(arguments)")
            XCTAssertFalse(listed.stdout.contains("x  "), listed.stdout)
        }
        for arguments in [["status", "x"], ["report", "x"], ["verify", "x"], ["resume", "x"], ["abandon", "x", "--reason", "r"]] {
            let refused = try sandbox.run(arguments)
            XCTAssertEqual(refused.status, 1, "\(arguments)")
            assertOneErrorLine(refused, containing: ["no run named x", "holds no complete event", "runbook start RUNBOOK --run x"])
            XCTAssertEqual(try sandbox.logData("x").count, 0, "\(arguments) wrote to the log")
        }
        for run in ["x", "y"] {
            let started = try sandbox.run(["start", "three", "--run", run], input: "done\ndone\ndone\n")
            XCTAssertEqual(started.status, 0, started.stderr)
            XCTAssertEqual(try sandbox.events(run).first, "runStarted")
            XCTAssertEqual(try sandbox.run(["verify", run]).status, 0)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: sandbox.state.appendingPathComponent("runs").path)
                        .filter { !$0.hasSuffix(".lock") }.sorted(), ["x.jsonl", "y.jsonl"])
    }

    func testAStartStoppedAtItsFirstQuestionHasItsFirstEventOnDisk() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        // Input ends at once: the run is paused, and its log begins with runStarted; no hidden file is left.
        let paused = try sandbox.run(["start", "three", "--run", "r1"])
        XCTAssertEqual(paused.status, 3, paused.stderr)
        XCTAssertEqual(try sandbox.events("r1").first, "runStarted")
        let files = try FileManager.default.contentsOfDirectory(atPath: sandbox.state.appendingPathComponent("runs").path)
        XCTAssertEqual(files.sorted(), ["r1.jsonl", "r1.lock"])
    }

    // MARK: A tampered log

    /// A run paused after its first step, then its log edited by hand in three ways.
    private func tamperedRuns(_ sandbox: Sandbox) throws -> [(run: String, problem: String)] {
        try sandbox.write("three.md", Fixture.threeSteps)
        var tampered: [(String, String)] = []
        for (run, edit, problem) in [
            ("changed", { (lines: inout [String]) in lines[1] = lines[1].replacingOccurrences(of: "127.0.0.1:9", with: "127.0.0.1:8") },
             "line 2 was changed: line 3 records another hash for it"),
            ("inserted", { (lines: inout [String]) in lines.insert(lines[1], at: 2) }, "line 3 is numbered 2: a line was inserted before it"),
            ("removed", { (lines: inout [String]) in lines.remove(at: 1) }, "line 2 is numbered 3: 1 line(s) were removed before it"),
        ] as [(String, (inout [String]) -> Void, String)] {
            let paused = try sandbox.run(["start", "three", "--run", run], input: "done\n")
            XCTAssertEqual(paused.status, 3, paused.stderr)
            var lines = try sandbox.logLines(run)
            edit(&lines)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: sandbox.log(run))
            tampered.append((run, problem))
        }
        return tampered
    }

    func testATamperedLogIsReadOnlyForResumeAndAbandon() throws {
        let sandbox = try Sandbox()
        for (run, problem) in try tamperedRuns(sandbox) {
            let verify = try sandbox.run(["verify", run])
            XCTAssertEqual(verify.status, 1)
            assertOneErrorLine(verify, containing: [problem])
            let before = try sandbox.logData(run)
            for arguments in [["resume", run], ["abandon", run, "--reason", "cleanup"]] {
                let refused = try sandbox.run(arguments, input: "done\ndone\n")
                XCTAssertEqual(refused.status, 1, "\(arguments): \(refused.stdout)")
                assertOneErrorLine(refused, containing: [sandbox.log(run).path, problem, "read-only"])
                XCTAssertEqual(refused.stdout, "", "\(arguments)")
                XCTAssertEqual(try sandbox.logData(run), before, "\(arguments) changed a tampered log")
            }
        }
    }

    func testStatusAndReportSayATamperedLogIsBrokenOnTheirFirstLine() throws {
        let sandbox = try Sandbox()
        for (run, problem) in try tamperedRuns(sandbox) {
            for arguments in [["status", run], ["report", run]] {
                let shown = try sandbox.run(arguments)
                XCTAssertEqual(shown.status, 1, "\(arguments)")
                let first = shown.outputLines.first ?? ""
                XCTAssertTrue(first.hasPrefix("BROKEN LOG: \(sandbox.log(run).path): \(problem)"), "\(arguments): \(first)")
            }
            for arguments in [["status", run, "--json"], ["report", run, "--format", "json"]] {
                let shown = try sandbox.run(arguments)
                XCTAssertEqual(shown.status, 1, "\(arguments)")
                assertOneErrorLine(shown, containing: [problem])
                XCTAssertNotNil(try json(shown.stdout), "\(arguments)")
            }
        }
        // Listings report them as errors, not as runs to resume.
        let runs = try sandbox.run(["runs", "--all"])
        XCTAssertEqual(runs.status, 1)
        XCTAssertEqual(runs.errorLines.count, 3, runs.stderr)
        XCTAssertTrue(runs.errorLines.allSatisfy { $0.contains("read-only") }, runs.stderr)
        let resume = try sandbox.run(["resume"])
        XCTAssertEqual(resume.status, 1)
        XCTAssertTrue(resume.stderr.contains("no unfinished run to resume"), resume.stderr)
    }

    // MARK: Forged values

    /// SHA-256 of `text` in hex, from coreutils: this target has no hash of its own.
    private func sha256(_ text: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }

    /// Writes `lines` as `run`'s log with every `prev` recomputed: a forger who can write the file can do this.
    private func forge(_ sandbox: Sandbox, _ run: String, _ lines: [String]) throws {
        var previous = String(repeating: "0", count: 64)
        var text = ""
        for line in lines {
            var fixed = line
            if let range = fixed.range(of: #""prev":"[0-9a-f]{64}""#, options: .regularExpression) {
                fixed.replaceSubrange(range, with: #""prev":"\#(previous)""#)
            }
            previous = try sha256(fixed)
            text += fixed + "\n"
        }
        try Data(text.utf8).write(to: sandbox.log(run))
    }

    func testVerifyRefusesForgedValuesWithTheChainRecomputed() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "r1"], input: "done\n").status, 3)
        let lines = try sandbox.logLines("r1")
        for (index, from, to, reason) in [
            (2, #""v":1"#, #""v":1.0"#, "`v` is the format version, a whole number from 1, not 1.0"),
            (2, #""v":1"#, #""v":0"#, "`v` is the format version, a whole number from 1, not 0"),
            (2, #""at":"[^"]*""#, #""at":"2026-02-30T99:00""#, "`at` is not a UTC time"),
            (0, #""run":"r1""#, #""run":"r2""#, "`run` is r2, but this is the log of r1"),
        ] {
            var forged = lines
            let range = try XCTUnwrap(forged[index].range(of: from, options: .regularExpression))
            forged[index].replaceSubrange(range, with: to)
            try forge(sandbox, "r1", forged)
            let verify = try sandbox.run(["verify", "r1"])
            XCTAssertEqual(verify.status, 1, "\(to): \(verify.stdout)")
            assertOneErrorLine(verify, containing: ["r1.jsonl:\(index + 1): ", reason])
            let before = try sandbox.logData("r1")
            XCTAssertEqual(try sandbox.run(["resume", "r1"], input: "done\n").status, 1)
            XCTAssertEqual(try sandbox.logData("r1"), before)
        }
        // The helper itself makes a chain that verifies: the refusals above are for the values.
        try forge(sandbox, "r1", lines)
        XCTAssertEqual(try sandbox.run(["verify", "r1"]).status, 0)
    }

    func testAValueRecordedForASecretVariableIsNeverPrinted() throws {
        let sandbox = try Sandbox()
        let plain = Fixture.threeSteps.replacingOccurrences(of: "- `BASE_URL`: the base URL. Default: `http://127.0.0.1:9`",
                                                            with: "- `BASE_URL`: the base URL.\n- `TOKEN`: the token.")
            .replacingOccurrences(of: "echo two", with: "echo {{TOKEN}}")
        try sandbox.write("three.md", plain)
        let started = try sandbox.run(["start", "three", "--run", "r1", "--var", "BASE_URL=http://x", "--var", "TOKEN=3f9c-not-yet-secret"],
                                      input: "done\n")
        XCTAssertEqual(started.status, 3, started.stderr)
        XCTAssertTrue(sandbox.text(sandbox.log("r1")).contains("3f9c-not-yet-secret"), "the value was recorded while TOKEN was not secret")

        // The runbook now declares TOKEN secret: what was recorded before is never printed again.
        try sandbox.write("three.md", plain.replacingOccurrences(of: "- `TOKEN`: the token.", with: "- `TOKEN` (secret): the token."))
        for arguments in [["report", "r1"], ["report", "r1", "--format", "json"], ["status", "r1", "--json"], ["runs", "--json"],
                          ["status", "--json"]] {
            let shown = try sandbox.run(arguments)
            XCTAssertEqual(shown.status, 0, "\(arguments): \(shown.stderr)")
            XCTAssertFalse(shown.all.contains("3f9c"), "\(arguments) printed the secret:\n\(shown.stdout)")
        }
        XCTAssertTrue(try sandbox.run(["report", "r1"]).stdout.contains("TOKEN = ••••"))

        // A resume records the secret names; a forged variableRecorded for one is then illegal.
        XCTAssertEqual(try sandbox.run(["resume", "r1"], env: ["TOKEN": "s3cr3t"]).status, 3)
        var lines = try sandbox.logLines("r1")
        XCTAssertTrue(lines.contains { $0.contains(#""event":"runResumed""#) && $0.contains(#""secrets":["TOKEN"]"#) }, lines.joined(separator: "\n"))
        lines.append(lines[2].replacingOccurrences(of: #""seq":3"#, with: #""seq":\#(lines.count + 1)"#)
            .replacingOccurrences(of: "3f9c-not-yet-secret", with: "forged"))
        try forge(sandbox, "r1", lines)
        let verify = try sandbox.run(["verify", "r1"])
        XCTAssertEqual(verify.status, 1)
        assertOneErrorLine(verify, containing: ["r1.jsonl:\(lines.count): ", "TOKEN is a secret variable"])
        let report = try sandbox.run(["report", "r1"])
        XCTAssertEqual(report.status, 1)
        XCTAssertFalse(report.all.contains("forged"), report.all)
    }

    // MARK: The state folder

    /// Every file and folder below `root`, relative to it.
    private func tree(_ root: URL) -> Set<String> {
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var found = Set<String>()
        while let path = enumerator?.nextObject() as? String { found.insert(path) }
        return found
    }

    func testAnEmptyStateFolderOptionIsAUsageErrorAndNothingIsWrittenAtTheRoot() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        for arguments in [["--state-dir", "", "start", "three", "--run", "se"], ["--state-dir=", "status"], ["status", "--state-dir", ""]] {
            let refused = try sandbox.run(arguments, input: "done\n")
            XCTAssertEqual(refused.status, 64, "\(arguments): \(refused.all)")
            assertOneErrorLine(refused, containing: ["--state-dir needs a folder, not an empty value"])
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/runs/se.jsonl"))
    }

    func testAnUnsetOrMissingHomeIsNeverCreatedAndARelativeXDGStateHomeIsIgnored() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let before = tree(sandbox.root)
        let missingHome = sandbox.root.appendingPathComponent("no-such-home").path
        for (env, message) in [
            (["RUNBOOK_STATE_DIR": "", "HOME": ""], "no state folder: $HOME is not set"),
            (["RUNBOOK_STATE_DIR": "", "HOME": missingHome], "does not exist, and \(missingHome), where it would be created, is not a folder"),
            (["RUNBOOK_STATE_DIR": "", "HOME": "relative"], "$HOME (relative) is not an absolute path"),
        ] {
            for arguments in [["start", "three", "--run", "r1"], ["status"], ["runs", "--all"], ["resume"]] {
                let refused = try sandbox.run(arguments, input: "done\n", env: env)
                XCTAssertEqual(refused.status, 64, "\(arguments) \(env): \(refused.all)")
                assertOneErrorLine(refused, containing: [message, "--state-dir DIR"])
            }
            // Commands that need no runs still work.
            XCTAssertEqual(try sandbox.run(["list"], env: env).status, 0)
            XCTAssertEqual(try sandbox.run(["lint"], env: env).status, 0)
        }
        XCTAssertEqual(tree(sandbox.root), before, "something was written")
        XCTAssertFalse(FileManager.default.fileExists(atPath: missingHome))

        // A relative XDG_STATE_HOME is ignored: the default under $HOME is used.
        let started = try sandbox.run(["start", "three", "--run", "r1"], input: "done\ndone\ndone\n",
                                      env: ["RUNBOOK_STATE_DIR": "", "XDG_STATE_HOME": "xdg"])
        XCTAssertEqual(started.status, 0, started.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.root.appendingPathComponent("xdg").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: sandbox.root.appendingPathComponent(".local/state/runbook/runs/r1.jsonl").path))
    }

    func testAStateFolderThatIsAFileIsAnError() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let file = sandbox.root.appendingPathComponent("state-file")
        try Data("not a folder\n".utf8).write(to: file)
        for arguments in [["status"], ["runs", "--all"], ["start", "three"], ["report", "r1"], ["verify", "r1"]] {
            let refused = try sandbox.run(["--state-dir", file.path] + arguments, input: "done\n")
            XCTAssertEqual(refused.status, 64, "\(arguments): \(refused.all)")
            assertOneErrorLine(refused, containing: ["the state folder \(file.path) is not a folder"])
            XCTAssertEqual(refused.stdout, "")
        }
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "not a folder\n")
        // A state folder whose parent is missing is not created either, nor its parents.
        let deep = sandbox.root.appendingPathComponent("a/b/state").path
        XCTAssertEqual(try sandbox.run(["--state-dir", deep, "start", "three"], input: "done\n").status, 64)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.root.appendingPathComponent("a").path))
    }

    // MARK: Files that never end

    func testAFIFONamedLikeARunbookIsReportedNeverOpened() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        let fifo = sandbox.runbooks.appendingPathComponent("pipe.md").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let message = "runbooks/pipe.md: not a regular file (a FIFO, socket or device)"
        let list = try sandbox.run(["list"], timeout: 20)
        XCTAssertEqual(list.status, 1)
        assertOneErrorLine(list, containing: [message])
        XCTAssertTrue(list.stdout.contains("three"), list.stdout)
        let lint = try sandbox.run(["lint"], timeout: 20)
        XCTAssertEqual(lint.status, 1)
        XCTAssertTrue(lint.stdout.contains("runbooks/pipe.md:1:1: error: not a regular file (a FIFO, socket or device); "
                                           + "a runbook is a regular .md file [file]"), lint.stdout)
        for arguments in [["lint", fifo], ["show", fifo], ["start", fifo]] {
            let refused = try sandbox.run(arguments, timeout: 20)
            XCTAssertEqual(refused.status, 1, "\(arguments)")
            XCTAssertTrue(refused.all.contains("not a regular file"), "\(arguments): \(refused.all)")
        }
    }

    func testASymlinkLoopListsEachRunbookOnce() throws {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        try FileManager.default.createSymbolicLink(atPath: sandbox.runbooks.appendingPathComponent("loop").path, withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: sandbox.runbooks.appendingPathComponent("self").path, withDestinationPath: ".")
        let list = try sandbox.run(["list"], timeout: 20)
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertEqual(list.outputLines.filter { $0.hasPrefix("three") }.count, 1, list.stdout)
        let lint = try sandbox.run(["lint"], timeout: 20)
        XCTAssertEqual(lint.status, 0, lint.stdout)
        XCTAssertEqual(lint.stdout, "1 runbook: no problems.\n")
    }

    func testLintOfTheWholeFilesystemStopsAtABound() throws {
        let sandbox = try Sandbox()
        let lint = try sandbox.run(["lint", "/"], timeout: 60)
        XCTAssertEqual(lint.status, 1)
        assertOneErrorLine(lint, containing: ["/: more than 10000 files and folders", "Pass --dir (or lint) the folder that holds the runbooks"])
        let list = try sandbox.run(["--dir", "/", "list"], timeout: 60)
        XCTAssertEqual(list.status, 1)
        assertOneErrorLine(list, containing: ["/: more than 10000 files and folders"])
    }

    // MARK: Control characters

    func testControlCharactersFromFilesAndArgumentsAreShownEscaped() throws {
        let sandbox = try Sandbox()
        try sandbox.write("cr.md", "# T\n\n## S\rX {#s}\nWhere: here\n")
        let lint = try sandbox.run(["lint"])
        XCTAssertTrue(lint.stdout.contains(#"runbooks/cr.md:3:1: warning: step "S\rX" has no Expect: line"#), lint.stdout)
        let json = try sandbox.run(["lint", "--json"])
        XCTAssertTrue(json.stdout.contains(#"step \"S\rX\" has no Expect"#), json.stdout)

        for arguments in [["start", "cr", "--run", "a\u{1B}[31mb\nc"], ["status", "x\ry"], ["show", "no\u{1B}]0;pwned\u{07}"],
                          ["frobnicate\n"], ["list", "--js\ron"]] {
            let refused = try sandbox.run(arguments)
            XCTAssertNotEqual(refused.status, 0, "\(arguments)")
            XCTAssertEqual(refused.errorLines.count, 1, "\(arguments): \(refused.stderr)")
            XCTAssertFalse(refused.all.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(arguments): raw control character")
        }
        let named = try sandbox.run(["start", "cr", "--run", "a\u{1B}[31mb\nc"])
        XCTAssertTrue(named.stderr.contains(#"`a\u{1B}[31mb\nc` is not a run name"#), named.stderr)
    }
}
