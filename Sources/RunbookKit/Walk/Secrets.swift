import RunbookModel
import RunbookRun
import RunbookSupport
/// Substitutes variables for display and hides secret values.
public struct Secrets: Sendable {
    public static let mask = "••••"
    /// Values of secret variables known in this process; never stored.
    public private(set) var values: [String] = []

    public init() {}

    public mutating func add(_ value: String) {
        if !value.isEmpty, !values.contains(value) { values.append(value) }
    }

    /// `text` with every known secret value replaced by `••••`.
    public func redact(_ text: String) -> String {
        values.sorted { $0.count > $1.count }.reduce(text) { $0.replacingEvery($1, with: Secrets.mask) }
    }

    /// `{{NAME}}` replaced by its value for non-secret variables that have one; secrets stay `{{NAME}}`.
    public static func display(_ text: String, values: [String: String], runbook: Runbook) -> String {
        // One pass over the text, a lookup per `{{NAME}}`: never a pass per variable.
        Variable.substituting(text) { name in runbook.variable(named: name)?.isSecret == true ? nil : values[name] }
    }
}

