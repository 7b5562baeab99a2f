/// A line typed at the walk's prompt.
public enum PromptCommand: Hashable, Sendable {
    case done
    /// `skip REASON`; an empty reason is refused by the walker.
    case skip(reason: String)
    case back
    case note(text: String)
    case check
    case quit
    case help
    /// Anything else: completes nothing.
    case unknown(String)

    /// Reads a prompt line: trimmed, the word in any case, the rest kept as typed.
    public init(_ line: String) {
        let trimmed = line.trimmed
        let word = trimmed.prefix { !$0.isWhitespace }.lowercased()
        let rest = trimmed.dropFirst(word.count).description.trimmed
        switch word {
        case "done" where rest.isEmpty: self = .done
        case "skip": self = .skip(reason: rest)
        case "back" where rest.isEmpty: self = .back
        case "note": self = .note(text: rest)
        case "check" where rest.isEmpty: self = .check
        case "quit" where rest.isEmpty: self = .quit
        case "help" where rest.isEmpty, "?" where rest.isEmpty: self = .help
        default: self = .unknown(trimmed)
        }
    }

    public static let reminder = "Type done when the step is done, or: skip REASON, back, note TEXT, check, quit, help."

    public static let helpText = """
      done         the step is done (its check runs first, when it has one)
      skip REASON  skip the step; the reason is kept in the run
      back         reopen the step before this one
      note TEXT    attach a note to this step
      check        run this step's check without completing it
      quit         save and leave; `runbook resume` picks up here
      help         this list
    """
}
