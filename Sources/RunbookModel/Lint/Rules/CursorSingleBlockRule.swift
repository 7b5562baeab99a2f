import RunbookSupport
/// A step run in Cursor holds exactly one action block: the Cursor Agent Block to paste.
public struct CursorSingleBlockRule: LintRule {
    public static let name = "cursor-single-block"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    /// Searched in the place folded to lower case byte by byte: no other letter lowercases to one of "cursor".
    private static let cursor = ByteSearch(Array("cursor".utf8))

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        runbook.steps.filter { Self.cursor.firstOffset(in: $0.place.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }) != nil }.compactMap { step in
            switch step.actions.count {
            case 0:
                (step.location, "step \"\(step.title)\" runs in Cursor but has no action block; add the single Cursor Agent Block to paste")
            case 1:
                nil
            default:
                (step.actions[1].location, "step \"\(step.title)\" runs in Cursor, so its Cursor Agent Block must be single; merge the blocks into one or split the step")
            }
        }
    }
}
