import Foundation
import XCTest

/// Compares a whole output with the text expected, naming the first line that differs.
func assertSameText(_ actual: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    guard actual != expected else { return }
    let want = expected.components(separatedBy: "\n"), got = actual.components(separatedBy: "\n")
    let first = (0..<min(want.count, got.count)).first { want[$0] != got[$0] } ?? min(want.count, got.count)
    let context = (max(0, first - 2)..<min(max(want.count, got.count), first + 3)).map { index in
        "\(index + 1)  want: \(index < want.count ? want[index] : "<end>")\n\(index + 1)  got:  \(index < got.count ? got[index] : "<end>")"
    }.joined(separator: "\n")
    XCTFail("the output differs at line \(first + 1):\n\(context)\n--- whole output ---\n\(actual)", file: file, line: line)
}

extension String {
    /// Elapsed times (`12 s elapsed`, `1 min 3 s elapsed`) as `0 s elapsed`, so a whole screen compares.
    var normalisingElapsed: String {
        replacingOccurrences(of: #"\d+ (s|min \d+ s) elapsed"#, with: "0 s elapsed", options: .regularExpression)
    }
}

/// The walk's prompts: the step's Where (up to a parenthesis), then the runbook's own step number.
enum Prompt {
    /// `PLACE · step N> `, where the walk waits for a prompt word.
    static func step(_ number: Int, _ place: String) -> String { "\(place) · step \(number)> " }

    /// `PLACE · step N · WHAT> `, where the walk asks a question at that step (a variable, `choice`).
    static func question(_ number: Int, _ place: String, _ what: String) -> String { "\(place) · step \(number) · \(what)> " }

    /// The three steps of `Fixture.threeSteps`.
    static func three(_ number: Int) -> String {
        step(number, number == 1 ? "PowerShell on your laptop" : "droplet intelliwatt-smt-proxy")
    }
}
