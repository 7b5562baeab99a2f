import XCTest
@testable import RunbookKit
@testable import RunbookSupport

/// Secrets masked in a command's output as it streams, even split across pieces.
final class StreamMaskTests: XCTestCase {
    func shown(_ pieces: [String], secrets: [String]) -> String {
        var mask = StreamMask(secrets: secrets)
        var bytes: [UInt8] = []
        for piece in pieces { bytes += mask.pass(Array(piece.utf8)) }
        bytes += mask.finish()
        return String(decoding: bytes, as: UTF8.self)
    }

    func testASecretIsMaskedWholeOrSplitAcrossPieces() {
        XCTAssertEqual(shown(["token: s3cret-value\n"], secrets: ["s3cret-value"]), "token: ••••\n")
        XCTAssertEqual(shown(["token: s3c", "ret-va", "lue\n"], secrets: ["s3cret-value"]), "token: ••••\n")
        XCTAssertEqual(shown(["a s3cret-valu"], secrets: ["s3cret-value"]), "a ••••")
        XCTAssertEqual(shown(["Password: "], secrets: ["s3cret-value"]), "Password: ")
        XCTAssertEqual(shown(["s3x"], secrets: ["s3cret-value"]), "s3x")
        XCTAssertEqual(shown(["plain"], secrets: []), "plain")
    }

    func testAPromptThatIsNotTheStartOfASecretIsShownAtOnce() {
        var mask = StreamMask(secrets: ["s3cret-value"])
        XCTAssertEqual(mask.pass(Array("Password: ".utf8)), Array("Password: ".utf8))
        XCTAssertEqual(mask.pass(Array("xs3".utf8)), Array("x".utf8))
    }
}
