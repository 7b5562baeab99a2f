import RunbookSupport
/// One step at a time: a step holds one action, written at most once per language (`powershell` and
/// `bash` as alternatives for the same action).
public struct OneActionRule: LintRule {
    public static let name = "one-action"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        runbook.steps.filter { $0.actions.count > 1 }.compactMap { step in
            var seen: [String: Int] = [:]
            for block in step.actions {
                let language = block.language?.lowercased() ?? ""
                seen[language, default: 0] += 1
                guard seen[language] == 2 else { continue }
                let count = step.actions.filter { ($0.language?.lowercased() ?? "") == language }.count
                let named = language.isEmpty ? "action blocks without a language" : "`\(language)` action blocks"
                return (block.location, "step \"\(step.title)\" has \(count) \(named); one step at a time: split it into "
                        + "steps with one block each (blocks in different languages, e.g. powershell and bash, are alternatives)")
            }
            return nil
        }
    }
}
