import Foundation
import XCTest
@testable import RunbookRun

final class JSONWriterTests: XCTestCase {
    /// Every string is written as JSONEncoder writes it (`.withoutEscapingSlashes`), with or without something to escape.
    func testStringsAreQuotedAsJSONEncoderQuotesThem() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var samples = ["", "plain", "a/b", "quote \" and \\ backslash", "tab\there", "line\nbreak\r\n", "bell\u{07}", "nul\u{0}",
                       "unit\u{1F}", "é and 🎉", "\u{7F}", "{\"json\":[1,2]}"]
        for code in 0..<0x20 { samples.append("x" + String(UnicodeScalar(UInt8(code))) + "y") }
        for sample in samples {
            let expected = String(decoding: try encoder.encode(sample), as: UTF8.self)
            XCTAssertEqual(JSONWriter.quoted(sample), expected, "for \(sample.debugDescription)")
        }
    }
}
