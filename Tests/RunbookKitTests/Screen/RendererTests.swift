import XCTest
@testable import RunbookKit
@testable import RunbookSupport

/// The renderer alone masks: operator and outside pieces are masked, then escaped, then cut; the
/// program's and the runbook's words are shown as they are; a terminal's lines wrap at words.
final class RendererTests: XCTestCase {
    static let secret = "S3CRET-abcdefghijklmnop"

    func renderer(_ secrets: String..., width: Int? = nil) -> Renderer {
        var renderer = Renderer(style: Style(enabled: false), width: width)
        for secret in secrets { renderer.add(secret: secret) }
        return renderer
    }

    // MARK: Masking

    func testMaskingComesBeforeCutting() {
        let text: Text = "got \(outside: "id=" + Self.secret + " and more", limit: 10)"
        XCTAssertEqual(renderer(Self.secret).plain(text), "got id=•••• an…")
        // Cut first, the piece would show 6 characters of the secret; masked first, none.
        XCTAssertEqual(renderer().plain(text), "got id=S3CRET-…")
    }

    func testAPieceOfASecretCutOffAtEitherEndOfAPieceIsMasked() {
        let head = String(Self.secret.prefix(12)), tail = String(Self.secret.suffix(9))
        XCTAssertEqual(renderer(Self.secret).plain("\(outside: "token=" + head)"), "token=••••")
        XCTAssertEqual(renderer(Self.secret).plain("\(outside: tail + " was sent")"), "•••• was sent")
        XCTAssertEqual(renderer(Self.secret).plain("\(typed: "note " + head)"), "note ••••")
        // Four characters are a piece; three could be anything.
        XCTAssertEqual(renderer(Self.secret).plain("\(outside: "id S3CR")"), "id ••••")
        XCTAssertEqual(renderer(Self.secret).plain("\(outside: "id S3C")"), "id S3C")
        // Only at a piece's ends: the same letters inside it are other text.
        XCTAssertEqual(renderer(Self.secret).plain("\(outside: "S3CRET- is a prefix, not the end")"), "S3CRET- is a prefix, not the end")
    }

    func testEveryKnownSecretIsMaskedTheLongestFirst() {
        let text: Text = "\(outside: "a=hunter2-long b=hunter2")"
        XCTAssertEqual(renderer("hunter2", "hunter2-long").plain(text), "a=•••• b=••••")
    }

    func testTheProgramsAndTheRunbooksWordsAreNeverMasked() {
        let text: Text = "Expect the \(runbook: "token test to exit 0") and \(typed: "the exit") \(outside: "exited 0")"
        XCTAssertEqual(renderer("e", "x").plain(text), "Expect the token test to exit 0 and th•••• ••••••••it ••••••••it••••d 0")
        XCTAssertEqual(renderer("e").line(Text("step", source: .program) + Text(" done", source: .runbook)), "step done")
    }

    // MARK: Escaping

    func testControlCharactersAreEscapedInForeignPiecesOnly() {
        let text: Text = "\(runbook: "tab\there") \(outside: "red\u{1B}[31m\r\nnext") \(typed: "bell\u{07}")"
        XCTAssertEqual(renderer().plain(text), "tab\there red\\u{1B}[31m\\r\\nnext bell\\u{7}")
    }

    func testAPieceWithALimitIsShownOnOneLine() {
        XCTAssertEqual(renderer().plain("got \(outside: "line one\nline two", limit: 60)"), "got line one line two")
    }

    // MARK: Wrapping

    func testALineWrapsAtWordsToTheWidth() {
        let line: Text = "Run the canonical live SMT auth test on the droplet, then type done."
        XCTAssertEqual(renderer(width: 30).line(line), """
            Run the canonical live SMT
            auth test on the droplet, then
            type done.
            """)
        XCTAssertEqual(renderer().line(line), line.description, "no width, no wrapping (a pipe)")
        XCTAssertEqual(renderer(width: 20).line(line), line.description, "too narrow to wrap usefully")
    }

    func testListItemsWrapUnderTheirText() {
        XCTAssertEqual(renderer(width: 30).line("  - `rm -rf`: the droplet holds the only copy of the certificates."), """
              - `rm -rf`: the droplet
                holds the only copy of the
                certificates.
            """)
        XCTAssertEqual(renderer(width: 30).line("  1. ok       200, the token works → step 5, Close out"), """
              1. ok       200, the token
                 works → step 5, Close out
            """)
    }

    func testACommandLineIsNeverWrapped() {
        let command = Text("curl -H \"x-admin-token: $ADMIN_TOKEN\" https://intelliwatt.com/api/admin/smt/token", source: .runbook, role: .code)
        XCTAssertEqual(renderer(width: 30).line(command), command.description)
    }

    func testWrappingCountsTheMaskNotTheSecret() {
        let line: Text = "note \(typed: Self.secret + " " + Self.secret + " twice, now rotated")"
        XCTAssertEqual(renderer(Self.secret, width: 24).line(line), """
            note •••• •••• twice,
            now rotated
            """)
    }
}
