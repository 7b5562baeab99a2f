import RunbookSupport
/// Every code fence closes; an open one swallows the rest of the file.
public struct UnclosedFenceRule: LintRule {
    public static let name = "unclosed-fence"
    public static let severity = Diagnostic.Severity.error

    public init() {}

    public func check(_ runbook: Runbook) -> [(SourceLocation, String)] {
        runbook.unclosedFences.map { location in
            (location, "this code block never closes; end it with a fence line like its opening one (``` or ~~~)")
        }
    }
}
