import RunbookModel
import RunbookRun
import RunbookSupport

/// Where a walk's variable values come from, first found wins: `--var` (and `set NAME`), the
/// environment, the run's record, the `Default:`; secrets in memory only.
public struct VariableResolver: Sendable {
    public let runbook: Runbook
    /// `--var` values, then values entered again with `set NAME`.
    var given: [String: String]
    let environment: [String: String]
    /// Secret values known to this walk: never recorded.
    public private(set) var secretValues: [String: String] = [:]
    /// Variables the run recorded as secret, whatever the runbook says now: once secret, always secret.
    let recordedSecret: Set<String>

    public init(runbook: Runbook, given: [String: String], environment: [String: String], recordedSecret: Set<String>) {
        self.runbook = runbook
        self.given = given
        self.environment = environment
        self.recordedSecret = recordedSecret
        for variable in runbook.variables where isSecret(variable) {
            for value in [given[variable.name], environment[variable.name]].compactMap({ $0 })
            where variable.problem(with: value) == nil && !value.contains("\0") {
                secretValues[variable.name] = value
                break
            }
        }
    }

    public func isSecret(_ variable: Variable) -> Bool {
        variable.isSecret || recordedSecret.contains(variable.name)
    }

    public func isSecret(named name: String) -> Bool {
        runbook.variable(named: name).map(isSecret) ?? recordedSecret.contains(name)
    }

    /// The secret variables whose value this walk does not know yet.
    public var unknownSecrets: [Variable] {
        runbook.variables.filter { isSecret($0) && secretValues[$0.name] == nil }
    }

    /// A variable the step needs before its prompt, and what for.
    public struct Need: Hashable, Sendable {
        public var variable: Variable
        public var purpose: String
    }

    /// The variables a step needs before its prompt: every one its check uses, and the non-secret ones
    /// its text and action block show.
    public func needs(of step: Step) -> [Need] {
        let shellNames = step.shellNames(declared: runbook.variables.map(\.name))
        let checkNames = (step.checks.first?.variableNames ?? []).union(shellNames)
        return (step.variableNames + shellNames.filter { !step.variableNames.contains($0) }).compactMap { name in
            guard let variable = runbook.variable(named: name) else { return nil }
            if checkNames.contains(name) { return Need(variable: variable, purpose: "This step's check needs") }
            if !isSecret(variable) { return Need(variable: variable, purpose: "This step needs") }
            return nil
        }
    }

    /// A value found without asking.
    public struct Found: Hashable, Sendable {
        public var variable: Variable
        public var value: String
    }

    /// What the step's variables resolve to without asking, those left to ask, and a line for each value
    /// set aside because it does not fit its format.
    public func resolve(_ step: Step, recorded: [String: String]) -> (found: [Found], missing: [Need], notes: [Text]) {
        var found: [Found] = []
        var missing: [Need] = []
        var notes: [Text] = []
        for need in needs(of: step) {
            let variable = need.variable, name = variable.name
            let secret = isSecret(variable)
            if secret, secretValues[name] != nil { continue }
            var sources = [(given[name], "--var"), (environment[name], "the environment")]
            if !secret { sources += [(recorded[name], "this run's record"), (variable.defaultValue, "its Default:")] }
            var value: String?
            for case let (candidate?, origin) in sources where !candidate.isEmpty {
                if let problem = problem(with: candidate, for: variable) {
                    let shown: Text = secret ? "" : " (`\(typed: candidate)`)"
                    notes.append("\(program: name) from \(program: origin)\(shown) does not fit: \(program: problem); not used.")
                    continue
                }
                value = candidate
                break
            }
            if let value { found.append(Found(variable: variable, value: value)) } else { missing.append(need) }
        }
        return (found, missing, notes)
    }

    /// Why `value` cannot be the variable's value, or nil: empty, a NUL, not of its format, or (for a
    /// non-secret) the value of a secret known to this walk, which would then be recorded in clear.
    public func problem(with value: String, for variable: Variable) -> String? {
        if value.contains("\0") { return "it holds a NUL character" }
        if let problem = variable.problem(with: value) {
            return "\(problem) (Format: \(variable.formatDescription ?? "any text"))"
        }
        if !isSecret(variable), let secret = secretValues.first(where: { $0.value == value }) {
            return "it is the value of the secret \(secret.key), which is never recorded"
        }
        return nil
    }

    /// Keeps a secret in memory; a non-secret `set NAME` value goes first in line from now on.
    public mutating func keep(_ value: String, for variable: Variable, given isGiven: Bool = false) {
        if isSecret(variable) {
            secretValues[variable.name] = value
        } else if isGiven {
            given[variable.name] = value
        }
    }

    /// Every value a check may use: recorded non-secret values and secrets held in memory.
    public func values(recorded: [String: String]) -> [String: String] {
        recorded.merging(secretValues) { _, secret in secret }
    }

    /// Text the operator typed that the log may keep, when a secret is not known to this walk yet:
    /// every word that fits such a secret's `Format:` is masked. Nil when a secret without a format is
    /// unknown: then nothing typed can be told apart from it, and it must be asked first.
    public func storable(_ text: String) -> String? {
        let unknown = unknownSecrets
        guard !unknown.isEmpty else { return text }
        let formats = unknown.compactMap { variable -> Variable? in
            if case .success? = variable.format { return variable }
            return nil
        }
        guard formats.count == unknown.count else { return nil }
        let separators: Set<Character> = [" ", "\t", "'", "\"", "=", ":", ",", ";", "(", ")", "<", ">", "`"]
        var result = ""
        var word = ""
        func flush() {
            if !word.isEmpty, formats.contains(where: { $0.problem(with: word) == nil }) { word = Renderer.mask }
            result += word
            word = ""
        }
        for character in text {
            if separators.contains(character) {
                flush()
                result.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return result
    }
}
