import RunbookModel
import RunbookRun
import RunbookSupport
/// Lint findings as the JSON array of `lint --json`.
public enum LintReport {
    struct Item: Encodable {
        var path: String
        var line, column: Int
        var severity, message, rule: String
    }

    public static func json(_ diagnostics: [Diagnostic]) -> String {
        JSONText.encode(diagnostics.map {
            Item(path: $0.path, line: $0.location.line, column: $0.location.column, severity: $0.severity.rawValue,
                 message: $0.message, rule: $0.rule)
        })
    }

    /// Compiler-style lines, `PATH:LINE:COL: error|warning: MESSAGE [RULE]`, then a count.
    public static func text(_ diagnostics: [Diagnostic], files: Int, style: Style) -> String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        var lines = diagnostics.map { diagnostic in
            let label = diagnostic.severity == .error ? style.error("error") : style.warning("warning")
            return "\(diagnostic.path.escapingControlCharacters):\(diagnostic.location.line):\(diagnostic.location.column): "
                + "\(label): \(diagnostic.message.escapingControlCharacters) [\(diagnostic.rule)]"
        }
        let errors = diagnostics.count { $0.severity == .error }
        lines.append(diagnostics.isEmpty
            ? "\(plural(files, "runbook")): no problems."
            : "\(plural(files, "runbook")): \(plural(errors, "error")), \(plural(diagnostics.count - errors, "warning")).")
        return lines.joined(separator: "\n") + "\n"
    }
}
