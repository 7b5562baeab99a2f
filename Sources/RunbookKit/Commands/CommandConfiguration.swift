/// What a command declares about itself: parsing, help, completion and the man page are made from it.
public struct CommandConfiguration: Sendable {
    /// A flag of the command, besides the global ones.
    public struct Flag: Sendable, Hashable {
        public var name: String
        public var takesValue: Bool
        /// The values a completion script offers for it (empty: any text).
        public var values: [String]

        public init(_ name: String, takesValue: Bool = false, values: [String] = []) {
            self.name = name
            self.takesValue = takesValue
            self.values = values
        }
    }

    /// What its positional arguments are, for the completion scripts.
    public enum Operands: Sendable, Hashable {
        case none
        /// One runbook id (or a path).
        case runbook
        /// Any number of runbook ids, files and folders.
        case runbooksOrFiles
        /// One run name, of any run.
        case run
        /// One run name, of an unfinished run.
        case unfinishedRun
        /// One command name.
        case command
        /// One shell name.
        case shell
    }

    public var name: String
    /// Its arguments and flags, after its name.
    public var synopsis: String
    /// What it does, in a few words: its line in the overview.
    public var summary: String
    /// What it does, in full, for `runbook help COMMAND` and the man page.
    public var details: String
    public var flags: [Flag]
    public var operands: Operands
    /// True when it reads or writes runs: the state folder must be usable before it begins.
    public var readsRuns: Bool
    /// For scripts: parsed, but in no help, no man page and no suggestion.
    public var isHidden: Bool

    public init(name: String, synopsis: String, summary: String = "", details: String, flags: [Flag] = [],
                operands: Operands = .none, readsRuns: Bool = false, isHidden: Bool = false) {
        self.name = name
        self.synopsis = synopsis
        self.summary = summary
        self.details = details
        self.flags = flags
        self.operands = operands
        self.readsRuns = readsRuns
        self.isHidden = isHidden
    }

    /// The flag named `name`, if it has one.
    public func flag(_ name: String) -> Flag? { flags.first { $0.name == name } }
}
