import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The walk on a small real terminal (tmux, 80x24): the place at every prompt of the shipped incident
/// tree, and Ctrl-C like a shell (SPEC 6).
final class WalkTerminalTests: XCTestCase {
    private var server: LocalHTTPServer?

    override func setUpWithError() throws {
        guard TmuxSession.available else { throw XCTSkip("\(TmuxSession.tmux) is missing") }
    }

    override func tearDown() {
        server?.stop()
        super.tearDown()
    }

    /// A prompt or a question: `PLACE · step N> ` or `PLACE · step N · WHAT> ` (capture-pane trims the last space).
    static var promptLine: Regex<(Substring, Substring, Substring, Substring?)> { #/^(.+) · step (\d+)( · [A-Za-z_]+)?> ?/# }

    /// Each step's Where, in runbook order: every H2 outside code but the reserved sections is a step.
    static func places(_ runbook: String) -> [String] {
        var places: [String] = [], inCode = false, inStep = false
        for line in runbook.components(separatedBy: "\n") {
            if line.hasPrefix("```") { inCode.toggle() }
            guard !inCode else { continue }
            if line.hasPrefix("## ") {
                inStep = !["## Guardrails", "## Variables"].contains(line.trimmingCharacters(in: .whitespaces))
                if inStep { places.append("") }
            } else if inStep, line.hasPrefix("Where: "), places.last == "" {
                places[places.count - 1] = String(line.dropFirst("Where: ".count))
            }
        }
        return places
    }

    /// The rows of a screen, without trailing spaces.
    static func rows(_ screen: String) -> [String] {
        screen.components(separatedBy: "\n").map { String($0.reversed().drop { $0 == " " }.reversed()) }
    }

    /// The last non-empty row of a screen, without trailing spaces.
    static func lastRow(_ screen: String) -> String { rows(screen).last { !$0.isEmpty } ?? "" }

    /// How many prompt rows a screen holds.
    static func promptCount(_ screen: String) -> Int {
        screen.components(separatedBy: "\n").count { $0.firstMatch(of: promptLine) != nil }
    }

    // MARK: - The place at every prompt

    func testTheVisibleScreenShowsThePlaceAtEveryPromptOfTheIncidentTree() throws { try walkIncident("incident-smt-auth") }
    func testTheVisibleScreenShowsThePlaceAtEveryPromptOfTheIncidentTreesRetryLoop() throws { try walkIncident("incident-smt-auth.401") }
    func testTheVisibleScreenShowsThePlaceAtEveryPromptOfTheIncidentTreesHandover() throws { try walkIncident("incident-smt-auth.refused") }
    func testTheVisibleScreenShowsThePlaceAtEveryPromptOfTheIncidentTreesTimeout() throws {
        try walkIncident("timeout", inputs: ["note caller: droplet", "done", HTTPCheckTests.adminToken, "ok", "in", "done", Self.settings,
                                             "timeout", "note wrote to SMT support", "done", "done", "done", "NO REGRESSION FOUND\nend", "done"])
    }
    func testTheVisibleScreenShowsThePlaceAtEveryPromptOfTheIncidentTreesEscalated401() throws {
        try walkIncident("escalated", inputs: ["done", HTTPCheckTests.adminToken, "ok", "in", "done", Self.settings, "401",
                                               "note still 401; the owner takes it", "escalated", "done", "skip hits found", "done"])
    }
    /// The stub answers 200: the step takes `changed`; the revert's wait polls it, and Enter ends the wait.
    func testTheVisibleScreenShowsThePlaceAtEveryPromptOfTheIncidentTreesRevertAndWait() throws {
        try walkIncident("reverting", stubStatus: 200, minimumPrompts: 5,
                         inputs: ["done", HTTPCheckTests.adminToken, "note stub answered 200", "changed", "reverting", "",
                                  "skip stub still 200 after the redeploy", "done", "NO REGRESSION FOUND\nend", "done"])
    }
    func testTheVisibleScreenShowsThePlaceAtEveryPromptOfTheIncidentTreesChangedStubSearch() throws {
        try walkIncident("search", stubStatus: 200, minimumPrompts: 5,
                         inputs: ["done", HTTPCheckTests.adminToken, "changed", "search", "done", "NO REGRESSION FOUND\nend", "done"])
    }

    private static let settings = "SMT_API_BASE_URL=https://services.smartmetertexas.net\nSMT_USERNAME=INTELLIWATTAPI\nend"

    /// Walks a branch of the shipped incident tree at 80x24 with the transcript's input (or `inputs`); at
    /// each prompt, the row the operator types on (the last one on the visible screen) begins with the
    /// step's Where. A wait's countdown is a stop too: the next input (Enter) ends it.
    private func walkIncident(_ branch: String, stubStatus: Int = 501, minimumPrompts: Int = 10, inputs: [String]? = nil,
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let stub = try LocalHTTPServer(routes: [HTTPCheckTests.path: .json(stubStatus, HTTPCheckTests.stubBody)])
        server = stub
        let sandbox = try Sandbox()
        let text = try String(contentsOf: Sandbox.shippedRunbooks.appendingPathComponent("incident-smt-auth.md"), encoding: .utf8)
        try sandbox.write("incident-smt-auth.md", text)
        // The prompt's place as SPEC 6 says: the Where up to a parenthesis (none here is longer than 40 characters).
        let places = Self.places(text).map { String($0.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(places.count, 14, "\(places)", file: file, line: line)
        let run = "tty-\(UUID().uuidString.prefix(8).lowercased())"
        let session = try TmuxSession(command: sandbox.terminalCommand(
            ["start", "incident-smt-auth", "--run", run, "--var", "BASE_URL=\(stub.baseURL)"]), width: 80, height: 24)
        defer { session.close() }

        var promptsSeen = 0, checked = 0
        for input in try inputs ?? XCTUnwrap(TranscriptTests.inputs[branch]) {
            // Wait for the next prompt, for a paste to be asked for, or for a wait's countdown.
            let seen = session.wait { screen in
                let last = Self.lastRow(screen)
                return last.hasSuffix("only: end") || last.hasSuffix("stops waiting)")
                    || (Self.promptCount(screen) > promptsSeen && last.firstMatch(of: Self.promptLine) != nil)
            }
            guard seen.ok else { return XCTFail("no prompt before `\(input)`:\n\(seen.screen)", file: file, line: line) }
            let visible = session.visibleScreen()
            let row = Self.lastRow(visible)
            if let match = row.firstMatch(of: Self.promptLine) {
                promptsSeen = Self.promptCount(seen.screen)
                let number = try XCTUnwrap(Int(match.2), file: file, line: line)
                XCTAssertTrue((1...places.count).contains(number), row, file: file, line: line)
                XCTAssertEqual(String(match.1), places[number - 1], "the prompt of step \(number) does not begin with its place:\n\(visible)",
                               file: file, line: line)
                XCTAssertLessThanOrEqual(Self.rows(visible).count { !$0.isEmpty }, 24, "not the visible screen", file: file, line: line)
                checked += 1
            }
            for typed in input.components(separatedBy: "\n") { session.type(typed) }
        }
        XCTAssertEqual(session.exitStatus(), 0, session.screen(), file: file, line: line)
        XCTAssertTrue(session.screen().contains("Run \(run) complete"), session.screen(), file: file, line: line)
        XCTAssertGreaterThanOrEqual(checked, minimumPrompts, file: file, line: line)
        XCTAssertFalse(session.screen().contains(HTTPCheckTests.adminToken), "the token was shown", file: file, line: line)
    }

    // MARK: - Ctrl-C like a shell

    func testCtrlCDuringASlowCheckReturnsToThePromptAndLeavesNoChild() throws {
        let sandbox = try Sandbox()
        let pidFile = sandbox.root.appendingPathComponent("check.pid").path
        try sandbox.write("slow.md", """
        # Slow

        A check that hangs.

        ## Wait for it {#wait}
        Where: bash on your laptop (any folder)

        Expect: the check passes.

        ```sh check
        echo $$ > \(pidFile); sleep 30
        ```

        """)
        let prompt = "bash on your laptop · step 1>"
        let session = try TmuxSession(command: sandbox.terminalCommand(["start", "slow", "--run", "c1"]), width: 80, height: 24)
        defer { session.close() }
        XCTAssertTrue(session.wait(for: prompt).ok, session.screen())
        session.type("done")
        var group: pid_t?
        let started = session.wait { _ in
            group = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            return group.map { ProcessGroupTests.living(inGroup: $0).count >= 2 } ?? false
        }
        XCTAssertTrue(started.ok, "the check never started:\n\(started.screen)")
        let checkGroup = try XCTUnwrap(group)

        session.key("C-c")
        let back = session.wait { $0.count(of: prompt) >= 2 }
        XCTAssertTrue(back.ok, back.screen)
        // One line (wrapped at a word to 80 columns) says what stopped, after the terminal's ^C; then the step's prompt again.
        let rows = Self.rows(back.screen)
        let typed = try XCTUnwrap(rows.firstIndex(of: prompt + " done"), back.screen)
        XCTAssertEqual(Array(rows[typed...].prefix(6)), [
            prompt + " done", "Checking: running the sh check …", "^C",
            "Check stopped (Ctrl-C); nothing was recorded. Back at the step: done or check", "runs it again.", prompt,
        ], back.screen)
        XCTAssertEqual(ProcessGroupTests.living(inGroup: checkGroup), [], "the check's sleep outlived Ctrl-C")

        session.type("quit")
        XCTAssertEqual(session.exitStatus(), 3, session.screen())
        XCTAssertEqual(try sandbox.events("c1"), ["runStarted", "runPaused"], "a stopped check is no verdict")
    }

    func testCtrlCAtASecretQuestionReturnsToThePromptWithEchoOnThenCtrlCAtThePromptPauses() throws {
        let sandbox = try Sandbox()
        try sandbox.write("secret.md", TerminalTests.secretRunbook)
        let session = try TmuxSession(command: sandbox.terminalCommand(["start", "secret", "--run", "q1"]), width: 80, height: 24)
        defer { session.close() }
        let question = "your laptop shell · step 1 · TOKEN>", prompt = "your laptop shell · step 1>"
        XCTAssertTrue(session.wait(for: question).ok, session.screen())

        session.key("C-c")
        var seen = session.wait { Self.lastRow($0) == prompt }
        XCTAssertTrue(seen.ok, seen.screen)
        XCTAssertTrue(seen.screen.contains("Question stopped (Ctrl-C); TOKEN was not set. Back at the step.\n" + prompt), seen.screen)
        // Echo is on again: a word typed at the prompt shows as it is typed.
        TmuxSession.tmux(["-L", session.socket, "send-keys", "-t", session.name, "-l", "hello"])
        seen = session.wait { Self.lastRow($0) == prompt + " hello" }
        XCTAssertTrue(seen.ok, "the typed word was not echoed:\n\(seen.screen)")
        session.key("Enter")
        seen = session.wait { Self.lastRow($0) == prompt && $0.contains("`hello` is not a prompt word") }
        XCTAssertTrue(seen.ok, seen.screen)

        // Ctrl-C at the prompt pauses the run.
        session.key("C-c")
        XCTAssertEqual(session.exitStatus(), 130, session.screen())
        XCTAssertTrue(session.screen().contains("runbook resume q1"), session.screen())
        XCTAssertEqual(try sandbox.events("q1"), ["runStarted", "runPaused"])
        XCTAssertEqual(try sandbox.loggedEvents("q1").last?["reason"] as? String, "interrupted")
    }
}
