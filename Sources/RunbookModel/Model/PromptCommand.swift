import RunbookSupport
/// A line typed at the walk's prompt.
public enum PromptCommand: Hashable, Sendable {
    case done
    /// `skip REASON`; an empty reason is refused by the walker.
    case skip(reason: String)
    case back
    case note(text: String)
    case check
    /// `run`: runbook runs the step's run block for the operator.
    case run
    /// `set NAME`: enter a variable's value again (a secret without echo).
    case set(name: String)
    case quit
    case help
    /// `about` lists the runbook's context sections; `about NAME` (a title, id or number) shows one.
    case about(topic: String)
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
        case "run" where rest.isEmpty: self = .run
        case "set": self = .set(name: rest)
        case "quit" where rest.isEmpty: self = .quit
        case "help" where rest.isEmpty, "?" where rest.isEmpty: self = .help
        case "about": self = .about(topic: rest)
        default: self = .unknown(trimmed)
        }
    }

    /// True for every line the prompt reads as one of its words: a value typed at a question must not be one.
    public var isPromptWord: Bool {
        if case .unknown = self { return false }
        return true
    }

    /// The word itself: `done`, `skip`, …
    public var word: String {
        switch self {
        case .done: "done"
        case .skip: "skip"
        case .back: "back"
        case .note: "note"
        case .check: "check"
        case .run: "run"
        case .set: "set"
        case .quit: "quit"
        case .help: "help"
        case .about: "about"
        case .unknown(let text): text
        }
    }

    public static let reminder = "Type done when the step is done, or: skip REASON, back, note TEXT, check, set NAME, run, quit, help."

    public static let helpText = """
      done         the step is done (its check runs first, when it has one)
      N or KEY     on a decision step, finish it with option N or KEY at once
      skip REASON  skip the step; the reason is kept in the run
      back         reopen the last step finished on the path (a choice made there is undone)
      note TEXT    attach a note to this step
      check        run this step's check without completing it
      run          run this step's command for you (a step with a run block): shown first, output checked, never stored
      set NAME     enter a variable's value again (a secret without echo), e.g. a mistyped token
      quit         save and leave; `runbook resume` picks up here (Ctrl-C at the prompt too)
      about NAME   the runbook's background sections (Meaning, See also): list them, or show one
      help         this list
    """
}
