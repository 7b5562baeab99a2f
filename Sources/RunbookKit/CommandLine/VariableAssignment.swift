/// `--var NAME=VALUE`.
public struct VariableAssignment: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
