/// Options that apply to every command.
public struct GlobalOptions: Hashable, Sendable {
    public var runbooksFolder: String?
    public var stateFolder: String?
    public var noColor = false

    public init(runbooksFolder: String? = nil, stateFolder: String? = nil, noColor: Bool = false) {
        self.runbooksFolder = runbooksFolder
        self.stateFolder = stateFolder
        self.noColor = noColor
    }
}
