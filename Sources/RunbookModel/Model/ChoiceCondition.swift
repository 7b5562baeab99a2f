/// The check verdict an option of `Choose:` fits: `(if the check passes)` or `(if the check fails)`.
///
/// On a decision step with a check, the check then informs the choice instead of blocking it.
public enum ChoiceCondition: String, Hashable, Sendable {
    case passes, fails

    /// The words as a runbook writes them, e.g. `(if the check passes)`.
    public var written: String { "(if the check \(rawValue))" }

    /// The condition `text` ends with, and the text before it; nil when it ends with none.
    ///
    /// Case is ignored, so `(If the check passes)` reads too.
    public static func split(_ text: Substring) -> (rest: Substring, condition: ChoiceCondition)? {
        for condition in [ChoiceCondition.passes, .fails] {
            let words = condition.written
            guard text.utf8.count >= words.utf8.count else { continue }
            let tail = text.suffix(words.count)
            if tail.lowercased() == words { return (text.dropLast(words.count), condition) }
        }
        return nil
    }
}
