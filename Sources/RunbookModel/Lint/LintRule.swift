import RunbookSupport
/// A house rule checked on one runbook at a time.
///
/// Each rule lives in its own file under `Rules/` with its messages beside it.
public protocol LintRule: Sendable {
    /// The name printed in brackets, e.g. `where`.
    static var name: String { get }
    static var severity: Diagnostic.Severity { get }
    /// The problems of one runbook: where each is, and what to do about it.
    func check(_ runbook: Runbook) -> [(SourceLocation, String)]
}

/// A house rule that needs every runbook of the folder at once (e.g. unique ids).
///
/// It reads a runbook's id, path and title, and its steps' ids, titles, locations, options and
/// `Next:` lines only: that is what `lint` keeps of each file (`Runbook.catalogView`).
public protocol CatalogLintRule: Sendable {
    static var name: String { get }
    static var severity: Diagnostic.Severity { get }
    /// The problems across runbooks: which runbook, where, and what to do.
    func check(_ runbooks: [Runbook]) -> [(Runbook, SourceLocation, String)]
}
