import RunbookSupport
/// Two runbook files of one folder never share an id (the file name without `.md`).
public struct DuplicateIDRule: CatalogLintRule {
    public static let name = "duplicate-id"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbooks: [Runbook]) -> [(Runbook, SourceLocation, String)] {
        var first: [String: Runbook] = [:]
        var problems: [(Runbook, SourceLocation, String)] = []
        for runbook in runbooks {
            if let earlier = first[runbook.id] {
                problems.append((runbook, SourceLocation(line: 1, column: 1),
                                 "runbook id \"\(runbook.id)\" is also the id of \(earlier.path); rename one of the files so each id is unique"))
            } else {
                first[runbook.id] = runbook
            }
        }
        return problems
    }
}
