import Testing
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// "Did you mean" and durations, as Swift Testing tables.
@Suite struct SuggestionTests {
    @Test(arguments: [
        ("lst", "list"),
        ("stat", "start"),
        ("reprot", "report"),
        ("verfy", "verify"),
        ("LIST", "list"),
    ])
    func suggestsTheClosestCommand(typed: String, expected: String) {
        #expect(Suggestion.closest(to: typed, in: Invocation.commands) == expected)
    }

    @Test(arguments: ["deploy", "x", "kubernetes"])
    func suggestsNothingForAFarWord(typed: String) {
        #expect(Suggestion.closest(to: typed, in: Invocation.commands) == nil)
    }

    @Test func distanceCountsEdits() {
        #expect(Suggestion.distance("", "abc") == 3)
        #expect(Suggestion.distance("kitten", "sitting") == 3)
        #expect(Suggestion.distance("same", "same") == 0)
    }

    @Test(arguments: [
        (0.0, "0 s"), (42.4, "42 s"), (59.6, "1 min 0 s"), (185, "3 min 5 s"), (3720, "1 h 2 min"), (-5, "0 s"),
    ])
    func durationsReadForPeople(seconds: Double, expected: String) {
        #expect(Elapsed.describe(seconds) == expected)
    }
}
