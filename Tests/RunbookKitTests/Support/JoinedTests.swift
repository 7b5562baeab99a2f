import XCTest
@testable import RunbookSupport

final class JoinedTests: XCTestCase {
    /// Our `joined(separator:)` for arrays of strings gives what the standard library's gives (an
    /// array slice still takes the standard library's).
    func testJoinedGivesWhatTheStandardLibraryGives() {
        let pieces = ["", "a", "line of text", "é🎉", "\r\n", "a much longer piece of text than fits a small string", ""]
        for separator in ["", "\n", " · ", "é"] {
            for length in 0...pieces.count {
                for start in 0..<pieces.count {
                    let array = Array((pieces + pieces)[start..<(start + length)])
                    XCTAssertEqual(array.joined(separator: separator), array[...].joined(separator: separator), "\(array) \(separator)")
                }
            }
        }
        XCTAssertEqual(["a", "b"].joined(), "ab")
    }
}
