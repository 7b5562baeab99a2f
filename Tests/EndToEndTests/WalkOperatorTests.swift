import Foundation
import XCTest

/// What the operator meets on a walk of the real binary through a pipe: decisions a check informs,
/// secrets never on screen or disk (not even in part), the place at every prompt.
final class WalkOperatorTests: XCTestCase {
    private var servers: [LocalHTTPServer] = []

    override func tearDown() {
        for server in servers { server.stop() }
        servers = []
        super.tearDown()
    }

    private func serve(_ status: Int, _ body: String) throws -> LocalHTTPServer {
        let server = try LocalHTTPServer(routes: [HTTPCheckTests.path: .json(status, body)])
        servers.append(server)
        return server
    }

    /// Every piece of 16 characters of `secret` found in `text`.
    private func pieces(of secret: String, in text: String) -> [String] {
        let characters = Array(secret)
        guard characters.count >= 16 else { return text.contains(secret) ? [secret] : [] }
        return (0...(characters.count - 16)).map { String(characters[$0..<($0 + 16)]) }.filter(text.contains)
    }

    /// Everything of the state folder, as text.
    private func stateText(_ sandbox: Sandbox) -> String {
        let files = FileManager.default.enumerator(atPath: sandbox.state.path)?.allObjects as? [String] ?? []
        return files.compactMap { try? String(contentsOfFile: sandbox.state.path + "/" + $0, encoding: .utf8) }.joined(separator: "\n")
    }

    func testTheStubStepTakesChangedWithoutASkipWhenTheStubAnswers200() throws {
        let sandbox = try Sandbox()
        try FileManager.default.removeItem(at: sandbox.runbooks)
        try FileManager.default.copyItem(at: Sandbox.shippedRunbooks, to: sandbox.runbooks)
        let stub = try serve(200, #"{"ok":true,"accessToken":"from-vercel"}"#)
        let walk = try sandbox.run(["start", "incident-smt-auth", "--run", "inc", "--var", "BASE_URL=\(stub.baseURL)"],
                                   input: "done\n\(HTTPCheckTests.adminToken)\nchanged\nquit\n")
        XCTAssertEqual(walk.status, 3, walk.all)
        let events = try sandbox.events("inc")
        XCTAssertEqual(events, ["runStarted", "variableRecorded", "stepCompleted", "checkFailed", "choiceMade", "runPaused"], walk.all)
        XCTAssertTrue(walk.stdout.contains("✔ Done: Check the admin stub still answers 501 → `changed`"), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("Note the changed stub"), walk.stdout)
        XCTAssertFalse(walk.all.contains(HTTPCheckTests.adminToken))
    }

    func testAnOptionThatDoesNotFitTheVerdictIsRefusedNamingThoseThatFit() throws {
        let sandbox = try Sandbox()
        try FileManager.default.removeItem(at: sandbox.runbooks)
        try FileManager.default.copyItem(at: Sandbox.shippedRunbooks, to: sandbox.runbooks)
        let stub = try serve(200, #"{"ok":true}"#)
        let walk = try sandbox.run(["start", "incident-smt-auth", "--run", "inc", "--var", "BASE_URL=\(stub.baseURL)"],
                                   input: "done\n\(HTTPCheckTests.adminToken)\nok\n2\nquit\n")
        XCTAssertEqual(walk.status, 3, walk.all)
        XCTAssertTrue(walk.stdout.contains("`ok` is for when the check passes; it failed: choose `changed`.\n"), walk.stdout)
        XCTAssertEqual(try sandbox.events("inc").filter { $0 == "choiceMade" }.count, 1)
    }

    func testANoteWithTheTokenAfterAResumeNeverReachesTheDisk() throws {
        let sandbox = try Sandbox()
        try FileManager.default.removeItem(at: sandbox.runbooks)
        try FileManager.default.copyItem(at: Sandbox.shippedRunbooks, to: sandbox.runbooks)
        let token = HTTPCheckTests.adminToken
        let first = try sandbox.run(["start", "smt-jwt-status", "--run", "r"], input: "quit\n", env: ["ADMIN_TOKEN": token])
        XCTAssertEqual(first.status, 3, first.all)
        // A new walk that does not know the token yet: a note and a skip reason that hold it.
        let resumed = try sandbox.run(["resume", "r"], input: "note tried with \(token) as the header\nskip token=\(token)\nin\nquit\n")
        XCTAssertEqual(resumed.status, 3, resumed.all)
        XCTAssertEqual(pieces(of: token, in: stateText(sandbox)), [], "a piece of the token was stored")
        XCTAssertTrue(stateText(sandbox).contains("tried with •••• as the header"))
        XCTAssertTrue(stateText(sandbox).contains("token=••••"))
    }

    func testANonSecretAnswerEqualToAKnownSecretIsRefused() throws {
        let sandbox = try Sandbox()
        try sandbox.write("pair.md", """
            # Pair

            A secret and a name.

            ## Variables
            - `TOKEN` (secret): a token.
            - `NAME`: a name.

            ## Use them {#use}
            Where: here

            ```sh check
            test -n "$TOKEN" && test -n "{{NAME}}"
            ```

            Expect: it passes.
            """)
        let walk = try sandbox.run(["start", "pair", "--run", "p"], input: "s3cret-value\ndana\ndone\n", env: ["TOKEN": "s3cret-value"])
        XCTAssertEqual(walk.status, 0, walk.all)
        XCTAssertTrue(walk.stdout.contains("That is not a value for NAME: it is the value of the secret TOKEN, which is never recorded. Type it again."),
                      walk.stdout)
        XCTAssertFalse(stateText(sandbox).contains("s3cret-value"))
        XCTAssertFalse(walk.all.contains("s3cret-value"))
    }

    /// A runbook whose text holds every letter, with a secret its check uses.
    static let alphabet = """
        # Quick brown fox

        The quick brown fox jumps over the lazy dog; exited, proxy, xyz.

        ## Variables
        - `TOKEN` (secret): the token, any text.

        ## Jump over the dog {#jump}
        Where: droplet intelliwatt-smt-proxy (SSH session as deploy)

        Pack my box with five dozen liquor jugs. Sphinx of black quartz, judge my vow.

        ```sh
        echo "the quick brown fox" | wc -c
        ```

        Expect: exit 0, then `20`.

        ```sh check
        test -n "$TOKEN"
        ```

        ## Waltz, bad nymph {#waltz}
        Where: PowerShell on your laptop

        Waltz, bad nymph, for quick jigs vex.

        Expect: the jigs vex.
        """

    func testAOneCharacterSecretForEveryLetterLeavesTheScreenAsItIs() throws {
        let sandbox = try Sandbox()
        try sandbox.write("fox.md", Self.alphabet)
        func screen(_ token: String, run: String) throws -> String {
            let walk = try sandbox.run(["start", "fox", "--run", run], input: "help\ncheck\nnote all fine\ndone\ndone\n",
                                       env: ["ADMIN_TOKEN": "", "TOKEN": token])
            XCTAssertEqual(walk.status, 0, walk.all)
            // Echoed operator lines aside (they may be masked), the screen is the program's and the runbook's own.
            return walk.stdout.replacingOccurrences(of: run, with: "RUN")
                .components(separatedBy: "\n").filter { !$0.contains("> ") }.joined(separator: "\n")
                .replacingOccurrences(of: #"\d+ (s|min \d+ s) elapsed"#, with: "N s elapsed", options: .regularExpression)
        }
        let plain = try screen("QQQQQQQQQQQQQQQQQQQQ", run: "base")
        for letter in "abcdefghijklmnopqrstuvwxyz" {
            XCTAssertEqual(try screen(String(letter), run: "r-\(letter)"), plain, "secret `\(letter)` changed the screen")
        }
    }

    func testAnEchoingServerLeavesNoPieceOfTheTokenOnScreenOrDisk() throws {
        let sandbox = try Sandbox()
        let token = HTTPCheckTests.adminToken
        let stub = try serve(401, #"{"ok":false,"error":"bad token \#(token)","token":"\#(token)"}"#)
        try sandbox.write("echo.md", """
            # Echo

            The server echoes the token.

            ## Variables
            - `BASE_URL`: where. Default: `http://127.0.0.1`
            - `ADMIN_TOKEN` (secret): the token.

            ## Call it {#call}
            Where: PowerShell on your laptop

            Expect: a 501.

            ```http check
            GET {{BASE_URL}}/api/admin/smt/token
            x-admin-token: {{ADMIN_TOKEN}}

            expect json token == "something else"
            ```
            """)
        let walk = try sandbox.run(["start", "echo", "--run", "e", "--var", "BASE_URL=\(stub.baseURL)"], input: "done\n",
                                   env: ["ADMIN_TOKEN": token])
        XCTAssertEqual(walk.status, 1, walk.all)
        XCTAssertTrue(walk.stdout.contains(#"✘ Check failed: expected token == "something else", got "••••""#), walk.stdout)
        XCTAssertTrue(walk.stdout.contains(#"-H "x-admin-token: $ADMIN_TOKEN""#), walk.stdout)
        XCTAssertTrue(walk.stdout.contains("401 means the server refused the credentials: set ADMIN_TOKEN"), walk.stdout)
        XCTAssertEqual(pieces(of: token, in: walk.all), [])
        XCTAssertEqual(pieces(of: token, in: stateText(sandbox)), [])
    }

    func testALongShLineHoldingTheTokenLeavesNoPieceOfItOnScreenOrDisk() throws {
        let sandbox = try Sandbox()
        let token = HTTPCheckTests.adminToken
        try sandbox.write("long.md", """
            # Long

            An sh check prints the token in a long line.

            ## Variables
            - `ADMIN_TOKEN` (secret): the token.

            ## Print it {#print}
            Where: here

            Expect: it fails.

            ```sh check
            printf 'prefix %s and again %s and once more %s\\n' "$ADMIN_TOKEN" "$ADMIN_TOKEN" "$ADMIN_TOKEN"; exit 1
            ```
            """)
        let walk = try sandbox.run(["start", "long", "--run", "l"], input: "done\n", env: ["ADMIN_TOKEN": token])
        XCTAssertEqual(walk.status, 1, walk.all)
        XCTAssertTrue(walk.stdout.contains("✘ Check failed: the sh check exited 1: prefix •••• and again •••• and once more ••••"), walk.stdout)
        XCTAssertEqual(pieces(of: token, in: walk.all), [])
        XCTAssertEqual(pieces(of: token, in: stateText(sandbox)), [])
        XCTAssertTrue(stateText(sandbox).contains(#""reason":"the sh check exited 1""#), stateText(sandbox))
    }
}

/// A variable the run recorded as secret stays secret for that run, whatever the runbook says later.
final class SecretForTheRunTests: XCTestCase {
    static func runbook(secret: Bool) -> String {
        """
        # Login

        Logs in.

        ## Variables
        - `PASS`\(secret ? " (secret)" : ""): the password.

        ## Greet {#greet}
        Where: here

        Say hello.

        Expect: hello.

        ## Log in {#login}
        Where: here

        Expect: in.

        ```sh check
        test -n "$PASS"
        ```
        """
    }

    func testASecretMarkRemovedMidRunKeepsTheValueSecretAndTheWalkGoesOn() throws {
        let sandbox = try Sandbox()
        try sandbox.write("login.md", Self.runbook(secret: true))
        let first = try sandbox.run(["start", "login", "--run", "r"], input: "done\nquit\n")
        XCTAssertEqual(first.status, 3, first.all)
        try sandbox.write("login.md", Self.runbook(secret: false))
        let resumed = try sandbox.run(["resume", "r"], input: "hunter2-pass\ndone\n")
        XCTAssertEqual(resumed.status, 0, resumed.all)
        XCTAssertFalse(resumed.all.contains("internal error"), resumed.all)
        XCTAssertTrue(resumed.stdout.contains("It is typed without echo and kept in memory only."), resumed.stdout)
        XCTAssertFalse(try String(contentsOf: sandbox.log("r"), encoding: .utf8).contains("hunter2-pass"))
        XCTAssertFalse(resumed.all.contains("hunter2-pass"))
    }
}

/// The reproducers of backward jumps, as the issues give them (issue 13 item 1, issue 17).
final class BackwardJumpReproducerTests: XCTestCase {
    func testAResumeAfterARetryJumpLandsOnTheStepItJumpedTo() throws {
        let sandbox = try Sandbox()
        try sandbox.write("loop.md", "# Loop\n\nA loop.\n\n## A {#a}\nWhere: here\n\nNext: #c\nExpect: ok.\n\n## B {#b}\nWhere: here\n\nExpect: ok.\n\n## C {#c}\nWhere: here\n\nExpect: ok.\n\n## D {#d}\nWhere: here\n\nChoose: again?\n- `retry`: redo B → #b\n- `fin`: finish → #end\n\nExpect: ok.\n")
        let first = try sandbox.run(["start", "loop", "--run", "r"], input: "done\ndone\nretry\nquit\n")
        XCTAssertEqual(first.status, 3, first.all)
        XCTAssertTrue(first.all.contains("Paused at step 2 (B)"), first.all)
        let resumed = try sandbox.run(["resume", "r"], input: "quit\n")
        XCTAssertEqual(resumed.status, 3, resumed.all)
        XCTAssertTrue(resumed.stdout.contains("WHERE: here\nB\n"), resumed.stdout)
        XCTAssertTrue(resumed.stdout.contains("here · step 2> quit"), resumed.stdout)
    }

    func testASharedCloseOutPlacedEarlyLeavesTheStepsWalkedOnTheWayDone() throws {
        let sandbox = try Sandbox()
        try sandbox.write("shared.md", "# Shared\n\nShared end.\n\n## Look {#a}\nWhere: here\n\nLook.\n\nExpect: you know.\n\nChoose: how?\n- `ok`: fine → #fixed\n- `bad`: broken → #b\n\n## Fixed {#fixed}\nWhere: here\n\nClose.\n\nExpect: closed.\n\nNext: #end\n\n## One {#b}\nWhere: here\n\nFix one.\n\nExpect: one.\n\n## Two {#c}\nWhere: here\n\nFix two.\n\nExpect: two.\n\nNext: #fixed\n")
        let walk = try sandbox.run(["start", "shared", "--run", "s"], input: "done\nbad\ndone\ndone\ndone\n")
        XCTAssertEqual(walk.status, 0, walk.all)
        XCTAssertTrue(walk.stdout.contains("Run s complete: 4 done, 0 skipped"), walk.stdout)
        XCTAssertEqual(try sandbox.stepStatuses("s"), ["done", "done", "done", "done"])
    }
}
