import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// Masking on whole walks of a shipped runbook: the program's words and the runbook's text are never
/// touched, and no piece of a secret that came back from outside reaches the screen or the log.
final class WalkCoreMaskingTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func shipped(_ id: String) throws -> (source: String, runbook: Runbook) {
        let path = root.appendingPathComponent("runbooks/\(id).md").path
        let source = try String(contentsOfFile: path, encoding: .utf8)
        return (source, RunbookParser.parse(source: source, id: id, path: "runbooks/\(id).md"))
    }

    /// A 64-character token, as the shipped runbooks' Format asks.
    static let token = "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZYXWVUTSRQPONMLKJIHGFEDCBA42"

    /// What the token test's script prints, pasted with the prompt lines around it.
    static let pasted: [ConsoleRead] = [
        "deploy@intelliwatt-smt-proxy:~$ /home/deploy/smt_token_test.sh",
        #"{"statusCode":200,"accessToken":"eyJhbGciOiJIUzI1NiJ9.e30.sig","tokenType":"Bearer","expiresIn":3600,"#,
        #""issuedAt":"2026-12-02T05:00:00Z","expiresAt":"2026-12-02T06:00:00Z"}"#,
        "deploy@intelliwatt-smt-proxy:~$", "end",
    ]

    struct Walked {
        var screen: String
        var log: String
        var outcome: WalkOutcome
    }

    func walk(_ runbook: Runbook, _ input: [ConsoleRead], checks: CheckRunner, environment: [String: String],
              interactive: Bool = true, width: Int? = nil) throws -> Walked {
        let console = ScriptedConsole(input, interactive: interactive, width: width)
        let sink = MemorySink()
        let person = WalkerTests.person
        let state = try RunState(starting: person.record(.runStarted(RunStart(run: "r1", runbook: runbook))))
        let walker = Walker(runbook: runbook, state: state, sink: sink, console: console, style: Style(enabled: false),
                            person: person, checks: checks, environment: environment)
        let outcome = walker.walk()
        XCTAssertEqual(console.input, [], "the whole script was read")
        return Walked(screen: console.everything, log: sink.dump, outcome: outcome)
    }

    /// Every piece of `secret` this long that shows in `text`.
    func pieces(of secret: String, length: Int = 16, in text: String) -> [String] {
        let characters = Array(secret)
        return (0...(characters.count - length)).map { String(characters[$0..<($0 + length)]) }.filter(text.contains)
    }

    // MARK: A one-character secret

    func testAOneCharacterSecretLeavesTheScreenAsItIsForEveryLetter() throws {
        // The shipped Format (64 characters) would refuse a one-character value: it is taken off, nothing else.
        let (source, _) = try Self.shipped("smt-jwt-status")
        XCTAssertTrue(source.contains(" Format: 64 characters"))
        let runbook = RunbookParser.parse(source: source.replacingOccurrences(of: " Format: 64 characters", with: ""),
                                          id: "smt-jwt-status", path: "runbooks/smt-jwt-status.md")
        // On a terminal nothing typed is written back: the screen is the program's and the runbook's words only.
        let input: [ConsoleRead] = ["in", "ok"] + Self.pasted + ["done", "ok"]
        let plain = try walk(runbook, input, checks: FakeChecks([.pass("status 501")]), environment: ["ADMIN_TOKEN": "§"], width: 80)
        XCTAssertEqual(plain.outcome, .completed)
        XCTAssertTrue(plain.screen.contains("droplet intelliwatt-smt-proxy · step 2> "), plain.screen)
        XCTAssertTrue(plain.screen.contains("✔ Check passed (passed: json statusCode == 200"), plain.screen)
        for letter in "abcdefghijklmnopqrstuvwxyz" {
            let masked = try walk(runbook, input, checks: FakeChecks([.pass("status 501")]),
                                  environment: ["ADMIN_TOKEN": String(letter)], width: 80)
            XCTAssertEqual(masked.outcome, .completed)
            assertTranscript(masked.screen, plain.screen)
            XCTAssertEqual(masked.log, plain.log, "with ADMIN_TOKEN=\(letter)")
        }
    }

    func testAOneCharacterSecretMasksOnlyTheEchoedOperatorLinesFromAPipe() throws {
        let (source, _) = try Self.shipped("smt-jwt-status")
        let runbook = RunbookParser.parse(source: source.replacingOccurrences(of: " Format: 64 characters", with: ""),
                                          id: "smt-jwt-status", path: "runbooks/smt-jwt-status.md")
        let input: [ConsoleRead] = ["done", "in", "note seen", "ok"] + Self.pasted + ["done", "ok"]
        let plain = try walk(runbook, input, checks: FakeChecks([.pass("status 501")]), environment: ["ADMIN_TOKEN": "§"],
                             interactive: false)
        let masked = try walk(runbook, input, checks: FakeChecks([.pass("status 501")]), environment: ["ADMIN_TOKEN": "e"],
                              interactive: false)
        XCTAssertEqual(masked.outcome, .completed)
        let echoed = { (line: String) in line.contains(" · step ") && line.contains("> ") }
        XCTAssertEqual(masked.screen.split(separator: "\n").filter { !echoed(String($0)) },
                       plain.screen.split(separator: "\n").filter { !echoed(String($0)) })
        XCTAssertTrue(masked.screen.contains("PowerShell on your laptop · step 1> don••••\n"), masked.screen)
        XCTAssertTrue(masked.screen.contains("droplet intelliwatt-smt-proxy · step 2> not•••• s••••••••n\n"), masked.screen)
        XCTAssertTrue(masked.log.contains("s••••••••n"))
    }

    // MARK: A long secret that comes back from outside

    func testAServerThatEchoesTheTokenLeavesNoPieceOfItOnScreenOrInTheLog() throws {
        let runbook = try Self.shipped("smt-jwt-status").runbook
        func stub(host: String) -> FakeChecks.Answer {
            .response(Observed(status: 501, body: #"{"ok":false,"instructions":{"dropletHost":"\#(host)"}}"#))
        }
        let answers: [FakeChecks.Answer] = [
            stub(host: Self.token),
            stub(host: "header x-admin-token was " + Self.token + " and it is wrong"),
            stub(host: String(repeating: "x", count: 40) + Self.token),
            stub(host: Self.token + Self.token),
        ]
        let input: [ConsoleRead] = ["in", "ok"] + Self.pasted + ["done", "check", "check", "check", "check", "quit"]
        let walked = try walk(runbook, input, checks: FakeChecks(answers: answers), environment: ["ADMIN_TOKEN": Self.token])
        XCTAssertEqual(walked.outcome, .paused)
        XCTAssertEqual(pieces(of: Self.token, in: walked.screen), [])
        XCTAssertEqual(pieces(of: Self.token, in: walked.log), [])
        XCTAssertEqual(pieces(of: Self.token, length: 5, in: walked.log), [])
        // Masked first, then cut: the whole token is one mask, and a cut never leaves a prefix of it.
        assertTranscript(walked.screen.split(separator: "\n").filter { $0.hasPrefix("✘") }.joined(separator: "\n"), """
            ✘ Check failed: expected instructions.dropletHost == "intelliwatt-smt-proxy", got "••••"
            ✘ Check failed: expected instructions.dropletHost == "intelliwatt-smt-proxy", got "header x-admin-token was •••• and it is wrong"
            ✘ Check failed: expected instructions.dropletHost == "intelliwatt-smt-proxy", got "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx••••"
            ✘ Check failed: expected instructions.dropletHost == "intelliwatt-smt-proxy", got "••••••••"
            """)
    }

    func testAnShCheckPrintingALongLineWithTheTokenLeavesNoPieceOfIt() throws {
        // The screen shows the last line an sh check wrote, masked, then cut to 200 characters.
        let lines = [
            #"printf '%0150d' 0; echo " token={{ADMIN_TOKEN}} was refused by the hook""#,
            #"printf '%0190d' 0; printf '%s\n' "$ADMIN_TOKEN""#,
            // Only the last 4 KiB of a line are kept: the token's last characters begin them.
            #"printf '%s' "{{ADMIN_TOKEN}}"; printf '%04090d\n' 0"#,
        ]
        var failures: [String] = []
        for line in lines {
            let runbook = RunbookParser.parse(source: """
                # Deploy

                ## Variables
                - `ADMIN_TOKEN` (secret): the admin token. Format: 64 characters

                ## Call the deploy hook {#hook}
                Where: droplet intelliwatt-smt-proxy

                ```sh check
                \(line)
                exit 3
                ```
                """, id: "deploy", path: "runbooks/deploy.md")
            let walked = try walk(runbook, ["check", "quit"], checks: LiveCheckRunner(), environment: ["ADMIN_TOKEN": Self.token])
            XCTAssertEqual(walked.outcome, .paused)
            XCTAssertEqual(pieces(of: Self.token, in: walked.screen), [], line)
            XCTAssertEqual(pieces(of: Self.token, length: 5, in: walked.log), [], line)
            XCTAssertTrue(walked.log.contains(#"checkFailed(step: "hook", reason: "the sh check exited 3")"#), walked.log)
            failures += walked.screen.split(separator: "\n").filter { $0.hasPrefix("✘") }.map(String.init)
        }
        let zeros = { (count: Int) in String(repeating: "0", count: count) }
        assertTranscript(failures.joined(separator: "\n"), """
            ✘ Check failed: the sh check exited 3: \(zeros(150)) token=•••• was refused by the hook
            ✘ Check failed: the sh check exited 3: \(zeros(190))••••
            ✘ Check failed: the sh check exited 3: ••••\(zeros(196))…
            """)
    }
}
