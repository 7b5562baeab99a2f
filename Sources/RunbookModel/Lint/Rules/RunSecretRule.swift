import RunbookSupport
/// A run block over ssh uses no secret: a value sent to another host travels on its command line.
public struct RunSecretRule: LintRule {
    public static let name = "run-secret"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        let secrets = Set(runbook.secretNames)
        return runbook.steps.flatMap { step -> [(SourceLocation, String)] in
            guard let block = step.runBlock, step.via != nil else { return [] }
            let lines = (block.location.line + 1)...(block.location.line + max(1, block.lines.count))
            return step.references.filter { secrets.contains($0.value) && lines.contains($0.location.line) }.map { reference in
                (reference.location,
                 "secret {{\(reference.value)}} in a run block over ssh; a secret never leaves this machine on a command line: do that part by hand, or run it here")
            }
        }
    }
}
