import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// The command line as tables: arguments in, an `Invocation` or a usage error out.
private func plain(_ command: any RunbookCommand) -> Invocation { Invocation(command: command) }

private func with(_ options: GlobalOptions, _ command: any RunbookCommand) -> Invocation {
    Invocation(options: options, command: command)
}

private func assign(_ name: String, _ value: String) -> VariableAssignment {
    VariableAssignment(name: name, value: value)
}

final class InvocationParseTests: XCTestCase {
    func testCommandsAndFlags() {
        let table: [(arguments: [String], expected: Invocation, line: UInt)] = [
            // list
            (["list"], plain(ListCommand(json: false)), #line),
            (["list", "--json"], plain(ListCommand(json: true)), #line),
            // show
            (["show", "smt-jwt"], plain(ShowCommand(runbook: "smt-jwt", format: .text)), #line),
            (["show", "runbooks/smt-jwt.md", "--json"], plain(ShowCommand(runbook: "runbooks/smt-jwt.md", format: .json)), #line),
            (["show", "--json", "smt-jwt"], plain(ShowCommand(runbook: "smt-jwt", format: .json)), #line),
            (["show", "smt-jwt", "--format", "mermaid"], plain(ShowCommand(runbook: "smt-jwt", format: .mermaid)), #line),
            (["report", "r1", "--format=mermaid"], plain(ReportCommand(run: "r1", format: .mermaid)), #line),
            // lint
            (["lint"], plain(LintCommand(paths: [], strict: false, json: false)), #line),
            (["lint", "a.md", "ops/b.md"], plain(LintCommand(paths: ["a.md", "ops/b.md"], strict: false, json: false)), #line),
            (["lint", "--strict", "a.md", "--json"], plain(LintCommand(paths: ["a.md"], strict: true, json: true)), #line),
            (["lint", "--", "-odd.md"], plain(LintCommand(paths: ["-odd.md"], strict: false, json: false)), #line),
            // start
            (["start", "smt-jwt"], plain(StartCommand(runbook: "smt-jwt", run: nil, variables: [])), #line),
            (["start", "smt-jwt", "--run", "smt-1"], plain(StartCommand(runbook: "smt-jwt", run: "smt-1", variables: [])), #line),
            (["start", "--run", "Night_2.b-3", "smt-jwt"],
             plain(StartCommand(runbook: "smt-jwt", run: "Night_2.b-3", variables: [])), #line),
            (["start", "smt-jwt", "--var", "BASE_URL=https://x.test/a?b=c", "--var", "_N2="],
             plain(StartCommand(runbook: "smt-jwt", run: nil,
                          variables: [assign("BASE_URL", "https://x.test/a?b=c"), assign("_N2", "")])), #line),
            (["start", "smt-jwt", "--var", "A=1", "--var", "A=2"],
             plain(StartCommand(runbook: "smt-jwt", run: nil, variables: [assign("A", "1"), assign("A", "2")])), #line),
            (["start", "smt-jwt", "--check-timeout", "30"],
             plain(StartCommand(runbook: "smt-jwt", checkTimeout: 30)), #line),
            // resume
            (["resume"], plain(ResumeCommand(run: nil, variables: [])), #line),
            (["resume", "smt-1"], plain(ResumeCommand(run: "smt-1", variables: [])), #line),
            (["resume", "smt-1", "--var", "BASE_URL=http://10.0.0.2"],
             plain(ResumeCommand(run: "smt-1", variables: [VariableAssignment(name: "BASE_URL", value: "http://10.0.0.2")])), #line),
            (["resume", "smt-1", "--check-timeout", "2.5"], plain(ResumeCommand(run: "smt-1", checkTimeout: 2.5)), #line),
            // status
            (["status"], plain(StatusCommand(run: nil, json: false)), #line),
            (["status", "smt-1", "--json"], plain(StatusCommand(run: "smt-1", json: true)), #line),
            (["status", "--json"], plain(StatusCommand(run: nil, json: true)), #line),
            // runs
            (["runs"], plain(RunsCommand(all: false, json: false)), #line),
            (["runs", "--all"], plain(RunsCommand(all: true, json: false)), #line),
            (["runs", "--json", "--all"], plain(RunsCommand(all: true, json: true)), #line),
            // report
            (["report", "smt-1"], plain(ReportCommand(run: "smt-1", format: .markdown)), #line),
            (["report"], plain(ReportCommand(run: nil, format: .markdown)), #line),
            (["report", "smt-1", "--format", "json"], plain(ReportCommand(run: "smt-1", format: .json)), #line),
            (["report", "smt-1", "--format", "markdown"], plain(ReportCommand(run: "smt-1", format: .markdown)), #line),
            // abandon
            (["abandon", "smt-1", "--reason", "wrong droplet"], plain(AbandonCommand(run: "smt-1", reason: "wrong droplet")), #line),
            (["abandon", "--reason", "  padded  ", "smt-1"], plain(AbandonCommand(run: "smt-1", reason: "padded")), #line),
            // verify, new
            (["verify", "smt-1"], plain(VerifyCommand(run: "smt-1")), #line),
            (["new", "smt-token-rotation"], plain(NewCommand(id: "smt-token-rotation")), #line),
            // help and version
            ([], plain(HelpCommand()), #line),
            (["help"], plain(HelpCommand()), #line),
            (["help", "start"], plain(HelpCommand(topic: "start")), #line),
            (["--help"], plain(HelpCommand()), #line),
            (["-h"], plain(HelpCommand()), #line),
            (["--version"], plain(VersionCommand()), #line),
            // shells and scripts
            (["completions", "bash"], plain(CompletionsCommand(shell: .bash)), #line),
            (["completions", "zsh"], plain(CompletionsCommand(shell: .zsh)), #line),
            (["completions", "fish"], plain(CompletionsCommand(shell: .fish)), #line),
            (["__complete", "runbooks"], plain(CompleteCommand(list: .runbooks)), #line),
            (["--dir", "ops", "__complete", "runs"], with(GlobalOptions(runbooksFolder: "ops"), CompleteCommand(list: .runs)), #line),
            (["__complete", "unfinished-runs", "--state-dir", "s"], with(GlobalOptions(stateFolder: "s"), CompleteCommand(list: .unfinishedRuns)), #line),
            (["__man"], plain(ManCommand()), #line),
            (["help", "completions"], plain(HelpCommand(topic: "completions")), #line),
            (["help", "__complete"], plain(HelpCommand(topic: "__complete")), #line),
        ]
        for (arguments, expected, line) in table {
            XCTAssertEqual(try Invocation.parse(arguments), expected, "\(arguments)", line: line)
        }
    }

    func testFlagEqualsValueForm() {
        let table: [(arguments: [String], expected: Invocation, line: UInt)] = [
            (["start", "smt-jwt", "--run=smt-1"], plain(StartCommand(runbook: "smt-jwt", run: "smt-1", variables: [])), #line),
            (["start", "smt-jwt", "--var=BASE_URL=https://x.test/?a=b"],
             plain(StartCommand(runbook: "smt-jwt", run: nil, variables: [assign("BASE_URL", "https://x.test/?a=b")])), #line),
            (["report", "smt-1", "--format=json"], plain(ReportCommand(run: "smt-1", format: .json)), #line),
            (["abandon", "smt-1", "--reason=done elsewhere"], plain(AbandonCommand(run: "smt-1", reason: "done elsewhere")), #line),
            (["resume", "--check-timeout=60"], plain(ResumeCommand(checkTimeout: 60)), #line),
            (["--dir=ops/runbooks", "list"], with(GlobalOptions(runbooksFolder: "ops/runbooks"), ListCommand(json: false)), #line),
            (["--state-dir=/tmp/s", "runs"], with(GlobalOptions(stateFolder: "/tmp/s"), RunsCommand(all: false, json: false)), #line),
        ]
        for (arguments, expected, line) in table {
            XCTAssertEqual(try Invocation.parse(arguments), expected, "\(arguments)", line: line)
        }
    }

    func testGlobalFlagsBeforeAndAfterTheCommand() {
        let all = GlobalOptions(runbooksFolder: "rb", stateFolder: "st", noColor: true)
        let table: [(arguments: [String], expected: Invocation, line: UInt)] = [
            (["--dir", "rb", "--state-dir", "st", "--no-color", "list"], with(all, ListCommand(json: false)), #line),
            (["list", "--dir", "rb", "--state-dir", "st", "--no-color"], with(all, ListCommand(json: false)), #line),
            (["--no-color", "status", "--state-dir", "st", "smt-1", "--dir", "rb"],
             with(all, StatusCommand(run: "smt-1", json: false)), #line),
            (["--dir", "rb", "start", "smt-jwt", "--no-color", "--state-dir=st", "--run", "x"],
             with(all, StartCommand(runbook: "smt-jwt", run: "x", variables: [])), #line),
            (["--no-color"], with(GlobalOptions(noColor: true), HelpCommand()), #line),
            (["--dir", "rb", "--dir", "other", "list"], with(GlobalOptions(runbooksFolder: "other"), ListCommand(json: false)), #line),
        ]
        for (arguments, expected, line) in table {
            XCTAssertEqual(try Invocation.parse(arguments), expected, "\(arguments)", line: line)
        }
    }

    func testHelpAndVersionAnywhere() {
        let table: [(arguments: [String], expected: Invocation, line: UInt)] = [
            (["list", "--help"], plain(HelpCommand(topic: "list")), #line),
            (["start", "smt-jwt", "--help"], plain(HelpCommand(topic: "start")), #line),
            (["abandon", "-h"], plain(HelpCommand(topic: "abandon")), #line),
            // --help wins over what would be an error later on the line.
            (["report", "--help", "--format", "xml"], plain(HelpCommand(topic: "report")), #line),
            (["--help", "list"], plain(HelpCommand()), #line),
            (["--dir", "rb", "runs", "--help"], with(GlobalOptions(runbooksFolder: "rb"), HelpCommand(topic: "runs")), #line),
            (["list", "--version"], plain(VersionCommand()), #line),
        ]
        for (arguments, expected, line) in table {
            XCTAssertEqual(try Invocation.parse(arguments), expected, "\(arguments)", line: line)
        }
    }

    func testUsageErrors() {
        let table: [(arguments: [String], message: String, command: String?, line: UInt)] = [
            (["lst"], "unknown command `lst`. Did you mean `list`?", nil, #line),
            (["strat", "x"], "Did you mean `start`?", nil, #line),
            (["frobnicate"], "unknown command `frobnicate`.", nil, #line),
            (["list", "--jsn"], "unknown option --jsn for `list`. Did you mean --json?", "list", #line),
            (["runs", "--al"], "Did you mean --all?", "runs", #line),
            (["start", "x", "--rn", "y"], "unknown option --rn for `start`. Did you mean --run?", "start", #line),
            (["--no-colour", "list"], "unknown option --no-colour. Did you mean --no-color?", nil, #line),
            (["list", "--var", "A=1"], "unknown option --var for `list`.", "list", #line),
            (["start", "x", "--var", "lower=1"], "--var takes NAME=VALUE with NAME in [A-Z_][A-Z0-9_]*, not `lower`", "start", #line),
            (["start", "x", "--var", "NOEQUALS"], "--var takes NAME=VALUE, and the value given has no `=`", "start", #line),
            (["start", "x", "--var", "=value"], "NAME in [A-Z_][A-Z0-9_]*, not ``", "start", #line),
            (["start", "x", "--var"], "--var needs a value", "start", #line),
            (["start", "x", "--run", "bad name"],
             "`bad name` is not a run name: use letters, digits, `.`, `_` and `-`, starting with a letter or digit", "start", #line),
            (["start", "x", "--run", ".hidden"], "`.hidden` is not a run name", "start", #line),
            (["start", "x", "--run", "a/b"], "`a/b` is not a run name", "start", #line),
            (["start", "x", "--run", "a", "--run", "b"], "--run is given more than once", "start", #line),
            (["start"], "`start` needs RUNBOOK", "start", #line),
            (["start", "x", "--check-timeout", "0"], "--check-timeout takes a number of seconds from 1 to 3600, not `0`", "start", #line),
            (["start", "x", "--check-timeout", "soon"], "not `soon`", "start", #line),
            (["start", "x", "--check-timeout", "1e-300"], "from 1 to 3600, not `1e-300`", "start", #line),
            (["start", "x", "--check-timeout", "0.5"], "from 1 to 3600, not `0.5`", "start", #line),
            (["resume", "--check-timeout", "3600.5"], "from 1 to 3600, not `3600.5`", "resume", #line),
            (["resume", "--check-timeout", "nan"], "from 1 to 3600, not `nan`", "resume", #line),
            (["resume", "../etc"], "`../etc` is not a run name", "resume", #line),
            (["status", "a b"], "`a b` is not a run name", "status", #line),
            (["report", "smt-1", "--format", "xml"], "--format takes markdown, json or mermaid, not `xml`", "report", #line),
            (["show", "x", "--format", "html"], "--format takes text, json or mermaid, not `html`", "show", #line),
            (["show", "x", "--json", "--format", "mermaid"], "--json means --format json: give one of them", "show", #line),
            (["report", "smt-1", "--format=xml"], "not `xml`", "report", #line),
            (["abandon", "smt-1"], "`abandon` needs --reason TEXT: say why the run ends unfinished", "abandon", #line),
            (["abandon", "smt-1", "--reason", "   "], "`abandon` needs --reason TEXT", "abandon", #line),
            (["abandon", "smt-1", "--reason"], "--reason needs a value", "abandon", #line),
            (["abandon", "--reason", "x"], "`abandon` needs RUN", "abandon", #line),
            (["list", "extra"], "unexpected argument `extra` for `list`", "list", #line),
            (["runs", "all"], "unexpected argument `all` for `runs`", "runs", #line),
            (["show", "a", "b"], "unexpected argument `b` for `show`", "show", #line),
            (["verify", "r1", "r2"], "unexpected argument `r2` for `verify`", "verify", #line),
            (["resume", "r1", "r2"], "unexpected argument `r2` for `resume`", "resume", #line),
            (["help", "list", "more"], "unexpected argument `more` for `help`", "help", #line),
            (["verify"], "`verify` needs RUN", "verify", #line),
            (["new", "Bad_ID"], "`Bad_ID` is not a runbook id", "new", #line),
            (["new"], "`new` needs ID", "new", #line),
            (["help", "lst"], "no help for unknown command `lst`. Did you mean `list`?", nil, #line),
            (["list", "--json=yes"], "--json takes no value", "list", #line),
            (["--no-color=1", "list"], "--no-color takes no value", nil, #line),
            (["--dir"], "--dir needs a value", nil, #line),
            (["completions"], "`completions` needs SHELL (bash, zsh or fish)", "completions", #line),
            (["completions", "tcsh"], "completions takes bash, zsh or fish, not `tcsh`", "completions", #line),
            (["completions", "bash", "zsh"], "unexpected argument `zsh` for `completions`", "completions", #line),
            (["__complete"], "`__complete` needs a list (runbooks, runs or unfinished-runs)", "__complete", #line),
            (["__complete", "files"], "__complete lists runbooks, runs or unfinished-runs, not `files`", nil, #line),
            (["__man", "x"], "unexpected argument `x` for `__man`", "__man", #line),
            (["completion"], "unknown command `completion`. Did you mean `completions`?", nil, #line),
            (["__compete"], "unknown command `__compete`.", nil, #line),
            (["list", "--state-dir"], "--state-dir needs a value", "list", #line),
            (["--state-dir", "", "status"], "--state-dir needs a folder, not an empty value", nil, #line),
            (["status", "--state-dir="], "--state-dir needs a folder, not an empty value", "status", #line),
            (["--dir=", "list"], "--dir needs a folder, not an empty value", nil, #line),
        ]
        for (arguments, message, command, line) in table {
            XCTAssertThrowsError(try Invocation.parse(arguments), "\(arguments)", line: line) { error in
                guard let usage = error as? UsageError else { return XCTFail("\(arguments): \(error)", line: line) }
                XCTAssertTrue(usage.message.contains(message), "\(arguments): `\(usage.message)` lacks `\(message)`", line: line)
                XCTAssertEqual(usage.command, command, "\(arguments)", line: line)
                XCTAssertEqual(usage.description, usage.message, line: line)
                XCTAssertFalse(usage.message.contains("\n"), line: line)
            }
        }
    }

    /// Issue 13 item 11: `--var 'admin_token=MyS3cretValue'` named the value in the usage error.
    func testAMistypedVarNamesOnlyTheName() {
        for given in ["admin_token=MyS3cretValue", "MyS3cretValue", "=MyS3cretValue", "a b=MyS3cretValue"] {
            XCTAssertThrowsError(try Invocation.parse(["start", "x", "--var", given])) { error in
                XCTAssertFalse("\(error)".contains("MyS3cretValue"), "\(given): \(error)")
            }
        }
    }

    func testRunNames() {
        let table: [(name: String, valid: Bool, line: UInt)] = [
            ("smt-jwt-20270115-080000", true, #line),
            ("A", true, #line),
            ("9.b_c-D", true, #line),
            ("", false, #line),
            ("-x", false, #line),
            ("_x", false, #line),
            (".x", false, #line),
            ("a b", false, #line),
            ("a/b", false, #line),
            ("é", false, #line),
            (String(repeating: "a", count: 200), true, #line),
            (String(repeating: "a", count: 201), false, #line),
        ]
        for (name, valid, line) in table {
            XCTAssertEqual(RunState.isValidRunName(name), valid, "`\(name)`", line: line)
        }
    }

    func testHelpTextCoversEveryCommand() {
        for command in HelpText.commands where command.name != "help" {
            XCTAssertTrue(HelpText.usage(of: command).hasPrefix("Usage: runbook \(command.name) \(command.synopsis)\n\n"), command.name)
            XCTAssertTrue(HelpText.overview.contains("\n  \(command.name) \(command.synopsis)"), command.name)
            XCTAssertTrue(HelpText.overview.contains(command.summary), command.name)
        }
        XCTAssertEqual(HelpText.usage(of: HelpCommand.configuration), HelpText.overview)
    }

    func testEveryCommandParsesAndTakesOnlyItsOwnFlags() throws {
        // A command missing from the table would not parse; a flag of another command is refused.
        let minimal: [String: [String]] = ["show": ["x"], "start": ["x"], "report": ["r"], "abandon": ["r", "--reason", "why"],
                                           "verify": ["r"], "new": ["x"], "completions": ["bash"], "__complete": ["runbooks"],
                                           "join": ["/srv/git/runs.git"], "watch": ["r"]]
        let names = CommandTable.all.map { $0.configuration.name }
        XCTAssertEqual(names, ["list", "show", "lint", "start", "resume", "status", "runs", "report", "abandon", "verify", "join",
                               "sync", "watch", "new", "completions", "help", "__complete", "__man"])
        for command in CommandTable.all {
            let configuration = command.configuration
            let invocation = try Invocation.parse([configuration.name] + (minimal[configuration.name] ?? []))
            XCTAssertTrue(type(of: invocation.command) == command, configuration.name)
            XCTAssertThrowsError(try Invocation.parse([configuration.name] + (minimal[configuration.name] ?? []) + ["--no-such-flag"]))
            for flag in configuration.flags {
                XCTAssertTrue(configuration.synopsis.contains(flag.name), "\(configuration.name): \(flag.name) is not in its synopsis")
            }
        }
        // Hidden commands have their own usage, and are in neither the overview nor the suggestions.
        for command in CommandTable.all.map({ $0.configuration }) where command.isHidden {
            XCTAssertTrue(HelpText.usage(of: command).hasPrefix("Usage: runbook \(command.name)"), command.name)
            XCTAssertFalse(HelpText.overview.contains(command.name), command.name)
            XCTAssertFalse(Invocation.commands.contains(command.name), command.name)
        }
    }

    // MARK: Prompt words

    func testPromptCommands() {
        let table: [(line: String, expected: PromptCommand, at: UInt)] = [
            ("done", .done, #line),
            (" DONE ", .done, #line),
            ("Done\t", .done, #line),
            ("skip", .skip(reason: ""), #line),
            ("skip   ", .skip(reason: ""), #line),
            ("skip reason text", .skip(reason: "reason text"), #line),
            ("Skip Reason", .skip(reason: "Reason"), #line),
            ("  SKIP   already done by Sam  ", .skip(reason: "already done by Sam"), #line),
            ("skip Keep The CASE", .skip(reason: "Keep The CASE"), #line),
            ("back", .back, #line),
            ("BACK", .back, #line),
            ("note x y", .note(text: "x y"), #line),
            ("note", .note(text: ""), #line),
            ("Note  the proxy  was down ", .note(text: "the proxy  was down"), #line),
            ("check", .check, #line),
            ("quit", .quit, #line),
            ("help", .help, #line),
            ("?", .help, #line),
            ("donee", .unknown("donee"), #line),
            ("", .unknown(""), #line),
            ("   ", .unknown(""), #line),
            ("done now", .unknown("done now"), #line),
            ("back 2", .unknown("back 2"), #line),
            ("quit please", .unknown("quit please"), #line),
            ("? me", .unknown("? me"), #line),
            ("skipped", .unknown("skipped"), #line),
            ("notes x", .unknown("notes x"), #line),
            ("  y  ", .unknown("y"), #line),
        ]
        for (line, expected, at) in table {
            XCTAssertEqual(PromptCommand(line), expected, "`\(line)`", line: at)
        }
    }
}
