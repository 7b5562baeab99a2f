import Foundation

/// No action or check block contains a pattern the runbook's guardrails forbid.
public struct GuardrailRule: LintRule {
    public static let name = "guardrail"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        var problems: [(SourceLocation, String)] = []
        for step in runbook.steps {
            for block in step.actions + step.checks
            where runbook.guardrails.contains(where: { $0.matches(block.text) }) {
                for (index, line) in block.lines.enumerated() {
                    for guardrail in runbook.guardrails where guardrail.matches(line) {
                        let position = line.range(of: guardrail.pattern, options: .caseInsensitive)
                            .map { line.distance(from: line.startIndex, to: $0.lowerBound) } ?? 0
                        let location = SourceLocation(line: block.location.line + 1 + index,
                                                      column: block.location.column + position)
                        problems.append((location, message(guardrail, in: block)))
                    }
                }
            }
        }
        return problems
    }

    private func message(_ guardrail: Guardrail, in block: CodeBlock) -> String {
        let reason = guardrail.reason.trimming(" .")
        let kind = block.kind == .check ? "check" : "action"
        return "forbidden pattern `\(guardrail.pattern)` in this \(kind) block"
            + (reason.isEmpty ? "" : " (guardrail: \(reason))") + "; remove it from the block"
    }
}
