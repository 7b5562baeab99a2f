import XCTest
@testable import RunbookKit
import RunbookSupport

/// `docs/runbook.1` is what `ManPage` makes from `HelpText`: the man page cannot drift from `help`.
final class ManPageTests: XCTestCase {
    static let file = URL(fileURLWithPath: #filePath)  // Tests/RunbookKitTests/CommandLine/ManPageTests.swift
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/runbook.1")

    func testTheManPageFileIsUpToDate() throws {
        let stored = try String(contentsOf: Self.file, encoding: .utf8)
        XCTAssertEqual(stored, ManPage.text, "docs/runbook.1 is out of date: run scripts/manpage, then commit it")
    }

    func testEveryCommandOptionAndExitStatusIsInIt() {
        let text = ManPage.text
        for command in HelpText.commands {
            XCTAssertTrue(text.contains(".TP\n\\fB\(command.name)\\fR"), command.name)
        }
        for command in CommandTable.all.map({ $0.configuration }) where command.isHidden {
            XCTAssertFalse(text.contains(".TP\n\\fB\(command.name)"), command.name)
        }
        for option in ["dir", "state\\-dir", "no\\-color", "check\\-timeout", "help", "version"] {
            XCTAssertTrue(text.contains("\\fB\\-\\-\(option)\\fR"), option)
        }
        for status in HelpText.exitStatuses {
            XCTAssertTrue(text.contains(".TP\n\\fB\(status.code)\\fR\n\(status.meaning)"), "\(status.code)")
        }
        XCTAssertTrue(text.contains(".TP\n\\fBskip\\fR \\fIREASON\\fR\nskip the step; the reason is kept in the run\n"))
        XCTAssertFalse(text.contains("__complete"), "hidden commands stay out of the man page")
    }

    func testManReadsItWithoutAWarning() throws {
        let groff = "/usr/bin/groff"
        guard FileManager.default.isExecutableFile(atPath: groff) else { throw XCTSkip("no groff here to render the page") }
        let outcome = try ChildProcess.run(groff, arguments: ["-man", "-Tutf8", "-ww", "-z", Self.file.path],
                                           environment: ["PATH": "/usr/bin:/bin"], outputLimit: 1 << 20, timeout: 30).get()
        XCTAssertEqual(outcome.status, 0)
        XCTAssertEqual(String(decoding: outcome.errors, as: UTF8.self), "", "groff warns about docs/runbook.1")
    }

    func testRoffEscapes() {
        XCTAssertEqual(ManPage.escape(#"a-b C:\x"#), #"a\-b C:\ex"#)
        XCTAssertEqual(ManPage.escape(".starts a request\n'so does this\nnot.this"), "\\&.starts a request\n\\&'so does this\nnot.this")
        XCTAssertEqual(ManPage.bolded("start RUNBOOK [--var NAME=VALUE]..."),
                       #"\fBstart\fR \fIRUNBOOK\fR [\fB\-\-var\fR \fINAME=VALUE\fR]..."#)
    }
}
