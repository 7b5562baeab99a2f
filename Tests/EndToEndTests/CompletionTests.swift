import Foundation
import XCTest

/// `runbook completions bash|zsh|fish` run by the shells themselves against the built binary,
/// and the hidden lists they ask for (`runbook __complete …`).
final class CompletionTests: XCTestCase {
    /// Runbooks `alpha` and `ops/beta`; runs `r-done` (completed) and `r-open` (paused), and `bravo`
    /// in a second folder.
    private func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.write("alpha.md", Fixture.threeSteps)
        try sandbox.write("ops/beta.md", Fixture.threeSteps)
        try sandbox.write("README.md", "# Not a runbook\n")
        let done = try sandbox.run(["start", "alpha", "--run", "r-done"], input: "done\ndone\ndone\n")
        XCTAssertEqual(done.status, 0, done.stderr)
        let open = try sandbox.run(["start", "beta", "--run", "r-open"], input: "quit\n")
        XCTAssertEqual(open.status, 3, open.stderr)
        let other = sandbox.root.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data(Fixture.threeSteps.utf8).write(to: other.appendingPathComponent("bravo.md"))
        return sandbox
    }

    /// Runs `script` in `shell` in the sandbox folder with `arguments` after it; returns standard output.
    private func shell(_ shell: String, _ arguments: [String], in sandbox: Sandbox) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shell)
        process.arguments = arguments
        process.currentDirectoryURL = sandbox.root
        process.environment = sandbox.environment()
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, problems)
        XCTAssertEqual(problems, "", "\(shell) \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }

    private func script(_ name: String, in sandbox: Sandbox) throws -> String {
        let result = try sandbox.run(["completions", name])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let path = sandbox.root.appendingPathComponent("completion.\(name)").path
        try Data(result.stdout.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func available(_ path: String) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw XCTSkip("\(path) is not installed here; the bash test covers the same lists")
        }
    }

    // MARK: - bash

    func testBashCompletesCommandsFlagsRunbookIdsAndRunNames() throws {
        try available("/bin/bash")
        let sandbox = try sandbox()
        let path = try script("bash", in: sandbox)
        /// COMPREPLY for a command line whose last word is being completed.
        func complete(_ words: String..., file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
            let program = """
                source "$0"
                COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
                _runbook
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            let output = try shell("/bin/bash", ["-c", program, path, Sandbox.binary.path] + words, in: sandbox)
            return output.split(separator: "\n").map(String.init).sorted()
        }
        XCTAssertEqual(try complete("st"), ["start", "status"])
        XCTAssertEqual(try complete(""), ["abandon", "completions", "help", "join", "lint", "list", "new", "report", "resume",
                                          "runs", "show", "start", "status", "sync", "verify", "watch"], "hidden commands are not offered")
        XCTAssertEqual(try complete("start", ""), ["alpha", "beta"])
        XCTAssertEqual(try complete("show", "a"), ["alpha"])
        XCTAssertEqual(try complete("start", "alpha", ""), [], "start takes one runbook")
        XCTAssertEqual(try complete("start", "alpha", "--"),
                       ["--check-timeout", "--dir", "--help", "--no-color", "--run", "--state-dir", "--var"])
        XCTAssertEqual(try complete("--dir", "other", "start", ""), ["bravo"], "the folder given is the one listed")
        XCTAssertEqual(try complete("resume", ""), ["r-open"], "resume offers unfinished runs")
        XCTAssertEqual(try complete("report", ""), ["r-done", "r-open"])
        XCTAssertEqual(try complete("report", "r-done", "--format", ""), ["json", "markdown", "mermaid"])
        XCTAssertEqual(try complete("show", "smt-jwt-status", "--format", ""), ["json", "mermaid", "text"])
        XCTAssertEqual(try complete("verify", "r-d"), ["r-done"])
        XCTAssertEqual(try complete("completions", ""), ["bash", "fish", "zsh"])
        XCTAssertEqual(try complete("--state-dir", "/nonexistent", "report", ""), [], "no runs there, and nothing on stderr")
        // lint takes ids and paths.
        XCTAssertEqual(try complete("lint", "al"), ["alpha"])
        XCTAssertEqual(try complete("lint", "run"), ["runbooks"])
    }

    /// Issue 13 item 2: `touch 'rb/$(touch${IFS}PWNED_ID).md' 'st/runs/$(touch${IFS}PWNED_RUN).jsonl'`, then Tab.
    func testBashNeverRunsExpandsOrSplitsAFileName() throws {
        try available("/bin/bash")
        let sandbox = try sandbox()
        let hostile = ["$(touch${IFS}PWNED_ID)", "a b", "*", "`touch PWNED_TICK`", "x;touch PWNED_SEMI"]
        for name in hostile {
            try sandbox.write(name + ".md", Fixture.threeSteps)
            let log = sandbox.state.appendingPathComponent("runs/\(name.replacingOccurrences(of: "_ID", with: "_RUN")).jsonl")
            try Data("{}\n".utf8).write(to: log)
        }
        let path = try script("bash", in: sandbox)
        let program = """
            source "$0"
            COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
            _runbook
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        for words in [["show", ""], ["start", ""], ["report", ""], ["verify", ""], ["resume", ""], ["status", ""], ["lint", "alp"]] {
            let output = try shell("/bin/bash", ["-c", program, path, Sandbox.binary.path, "--dir", sandbox.runbooks.path] + words, in: sandbox)
            let offered = output.split(separator: "\n").map(String.init).sorted()
            let expected: [String: [String]] = ["show": ["alpha", "beta"], "start": ["alpha", "beta"], "report": ["r-done", "r-open"],
                                                "verify": ["r-done", "r-open"], "resume": ["r-open"], "status": ["r-open"],
                                                "lint": ["alpha"]]
            XCTAssertEqual(offered, expected[words[0]], "\(words)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: sandbox.root.path).filter { $0.hasPrefix("PWNED") }
        XCTAssertEqual(left, [], "a file name ran as code")
        // The lists zsh and fish read hold only valid names too.
        XCTAssertEqual(try sandbox.run(["__complete", "runbooks"]).stdout, "alpha\nbeta\n")
        XCTAssertEqual(Set(try sandbox.run(["__complete", "runs"]).outputLines), ["r-done", "r-open"])
    }

    // MARK: - zsh and fish, where installed

    func testZshCompletesTheSameLists() throws {
        try available("/usr/bin/zsh")
        let sandbox = try sandbox()
        let path = try script("zsh", in: sandbox)
        // Outside a completion widget, compadd and friends are stand-ins that print what they are given.
        func complete(_ words: String...) throws -> [String] {
            let program = """
                compdef() { :; }
                compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; [[ $1 == -- ]] && shift; print -rl -- $@; }
                _describe() { local -a c; c=(${(P)2}); print -rl -- ${c%%:*}; }
                _files() { print -r -- "<files $*>"; }
                source "$0"
                words=("$@"); CURRENT=$#
                _runbook
                """
            let output = try shell("/usr/bin/zsh", ["-f", "-c", program, path, Sandbox.binary.path] + words, in: sandbox)
            return output.split(separator: "\n").map(String.init).sorted()
        }
        XCTAssertEqual(try complete(""), ["abandon", "completions", "help", "join", "lint", "list", "new", "report", "resume",
                                          "runs", "show", "start", "status", "sync", "verify", "watch"])
        XCTAssertEqual(try complete("start", ""), ["alpha", "beta"])
        XCTAssertEqual(try complete("--dir", "other", "show", ""), ["bravo"])
        XCTAssertEqual(try complete("abandon", ""), ["r-open"])
        XCTAssertEqual(try complete("verify", ""), ["r-done", "r-open"])
        XCTAssertEqual(try complete("runs", "--"), ["--all", "--dir", "--help", "--json", "--no-color", "--state-dir"])
        XCTAssertEqual(try complete("lint", ""), ["<files -g *.md>", "alpha", "beta"])
    }

    func testFishCompletesTheSameLists() throws {
        try available("/usr/bin/fish")
        let sandbox = try sandbox()
        let path = try script("fish", in: sandbox)
        // fish completes a command line itself with `complete -C`; runbook must be on PATH by that name.
        let bin = sandbox.root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("runbook"), withDestinationURL: Sandbox.binary)
        func complete(_ line: String) throws -> [String] {
            let program = "set -gx PATH $argv[1] $PATH; source $argv[2]; complete -C$argv[3]"
            let output = try shell("/usr/bin/fish", ["--no-config", "-c", program, bin.path, path, line], in: sandbox)
            return output.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }.sorted()
        }
        XCTAssertEqual(try complete("runbook st"), ["start", "status"])
        XCTAssertEqual(try complete("runbook start "), ["alpha", "beta"])
        XCTAssertEqual(try complete("runbook --dir other start "), ["bravo"])
        XCTAssertEqual(try complete("runbook status "), ["r-open"])
        XCTAssertEqual(try complete("runbook report "), ["r-done", "r-open"])
        XCTAssertEqual(try complete("runbook report r-done --format "), ["json", "markdown", "mermaid"])
    }

    // MARK: - The lists

    func testTheHiddenListsArePlainAndQuiet() throws {
        let sandbox = try sandbox()
        let runbooks = try sandbox.run(["__complete", "runbooks"])
        XCTAssertEqual(runbooks.stdout, "alpha\nbeta\n")
        let unfinished = try sandbox.run(["__complete", "unfinished-runs"])
        XCTAssertEqual(unfinished.stdout, "r-open\n")
        // Newest first: r-open was written last.
        let runs = try sandbox.run(["__complete", "runs"])
        XCTAssertEqual(runs.stdout, "r-open\nr-done\n")
        for list in ["runbooks", "runs", "unfinished-runs"] {
            let nowhere = try sandbox.run(["--dir", "/nonexistent", "--state-dir", "/nonexistent", "__complete", list])
            XCTAssertEqual(nowhere.status, 0, list)
            XCTAssertEqual(nowhere.stdout + nowhere.stderr, "", list)
        }
        let bad = try sandbox.run(["__complete", "files"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
    }
}
