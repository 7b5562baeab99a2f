import RunbookSupport
/// Checks runbooks against the house rules, collecting every problem in one pass.
public struct Linter: Sendable {
    public var rules: [any LintRule]
    public var catalogRules: [any CatalogLintRule]

    public init(rules: [any LintRule] = Linter.standardRules, catalogRules: [any CatalogLintRule] = Linter.standardCatalogRules) {
        self.rules = rules
        self.catalogRules = catalogRules
    }

    /// Every problem of `runbooks`, sorted by file, line and column.
    public func lint(_ runbooks: [Runbook]) -> [Diagnostic] {
        Diagnostic.sorted(runbooks.flatMap(diagnostics(of:)) + catalogDiagnostics(of: runbooks))
    }

    /// What the rules for one runbook find in it, unsorted: one runbook's share of `lint`, which
    /// needs no other, so files can be linted on several threads.
    public func diagnostics(of runbook: Runbook) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for rule in rules {
            let kind = type(of: rule)
            for (location, message) in rule.check(runbook) {
                found.append(Diagnostic(path: runbook.path, location: location, severity: kind.severity,
                                        message: message, rule: kind.name))
            }
        }
        return found
    }

    /// What the rules over several runbooks (ids, hand-offs) find, unsorted.
    public func catalogDiagnostics(of runbooks: [Runbook]) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for rule in catalogRules {
            let kind = type(of: rule)
            for (runbook, location, message) in rule.check(runbooks) {
                found.append(Diagnostic(path: runbook.path, location: location, severity: kind.severity,
                                        message: message, rule: kind.name))
            }
        }
        return found
    }
}
