@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// Runbook text with emoji markers (`1️⃣`, `2️⃣`, …) where findings are expected.
///
/// The markers are removed from the text, and each records the 1-based line and
/// column of the character that followed it, in the style of swift-format's rule tests.
struct MarkedText {
    static let markerCharacters: Set<Character> = ["0️⃣", "1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"]

    let text: String
    let markers: [String: SourceLocation]

    init(_ marked: String) {
        var text = ""
        var markers: [String: SourceLocation] = [:]
        var line = 1
        var column = 1
        for character in marked {
            if Self.markerCharacters.contains(character) {
                precondition(markers[String(character)] == nil, "marker \(character) used twice")
                markers[String(character)] = SourceLocation(line: line, column: column)
                continue
            }
            text.append(character)
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        self.text = text
        self.markers = markers
    }
}
