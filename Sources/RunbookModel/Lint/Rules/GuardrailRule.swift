import RunbookSupport
/// No action or check block contains a pattern the runbook's guardrails forbid.
///
/// A block whose info string holds `search` (`sh search`) may: it looks for the patterns, to find
/// a regression, and does not use them.
public struct GuardrailRule: LintRule {
    public static let name = "guardrail"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        guard !runbook.guardrails.isEmpty else { return [] }
        // All patterns at once, in one pass per line: a runbook with many guardrails and long
        // blocks stays linear. Each line reports the first place of each pattern it holds.
        var patterns = PatternSet(runbook.guardrails.map { FoldedText.fold($0.pattern) })
        var problems: [(SourceLocation, String)] = []
        for step in runbook.steps {
            for block in step.actions + step.checks where !block.isSearch {
                for (index, line) in block.lines.enumerated() {
                    let folded = FoldedText(line)
                    let found = patterns.firstOccurrences(in: folded.bytes)
                    guard !found.isEmpty else { continue }
                    let columns = folded.characterOffsets(of: found.map(\.start))
                    for ((pattern, _), column) in zip(found, columns).sorted(by: { $0.0.pattern < $1.0.pattern }) {
                        let location = SourceLocation(line: block.location.line + 1 + index,
                                                      column: block.location.column + column)
                        problems.append((location, message(runbook.guardrails[pattern], in: block)))
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
