/// A whole command line: the options and the command.
public struct Invocation: Sendable, Equatable {
    public var options: GlobalOptions
    public var command: any RunbookCommand

    public init(options: GlobalOptions = GlobalOptions(), command: any RunbookCommand) {
        self.options = options
        self.command = command
    }

    public static func == (lhs: Invocation, rhs: Invocation) -> Bool {
        lhs.options == rhs.options && AnyHashable(lhs.command) == AnyHashable(rhs.command)
    }
}
