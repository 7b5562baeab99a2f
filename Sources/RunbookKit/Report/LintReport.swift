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
}
