import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// One diagnostic a rule test expects: at a marker, with a message (whole or a part of it).
struct FindingSpec {
    var marker: String
    var message: String
    var severity: Diagnostic.Severity?
    var rule: String?

    /// `severity` and `rule` default to those of the rule under test.
    init(_ marker: String, message: String, severity: Diagnostic.Severity? = nil, rule: String? = nil) {
        self.marker = marker
        self.message = message
        self.severity = severity
        self.rule = rule
    }
}

extension XCTestCase {
    /// Lints the marked runbook with `rules` only and asserts exactly `findings`, in order.
    func XCTAssertLint(
        _ rules: [any LintRule], _ marked: String, id: String = "test-runbook",
        findings: [FindingSpec], file: StaticString = #filePath, line: UInt = #line
    ) {
        let text = MarkedText(marked)
        let runbook = RunbookParser.parse(source: text.text, id: id, path: "\(id).md")
        let diagnostics = Linter(rules: rules, catalogRules: []).lint([runbook])
        let only = rules.count == 1 ? type(of: rules[0]) : nil
        assertDiagnostics(diagnostics, findings, markers: text.markers, defaultRule: only.map { ($0.name, $0.severity) },
                          file: file, line: line)
    }

    /// Lints one rule on the marked runbook and asserts exactly `findings`, in order.
    func XCTAssertLint<Rule: LintRule>(
        _ rule: Rule, _ marked: String, id: String = "test-runbook",
        findings: [FindingSpec], file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertLint([rule], marked, id: id, findings: findings, file: file, line: line)
    }

    func assertDiagnostics(
        _ diagnostics: [Diagnostic], _ findings: [FindingSpec], markers: [String: SourceLocation],
        defaultRule: (name: String, severity: Diagnostic.Severity)?, file: StaticString, line: UInt
    ) {
        let listing = diagnostics.map(\.description).joined(separator: "\n")
        XCTAssertEqual(diagnostics.count, findings.count, "diagnostics found:\n\(listing)", file: file, line: line)
        for (diagnostic, spec) in zip(diagnostics, findings) {
            guard let location = markers[spec.marker] else {
                XCTFail("marker \(spec.marker) is not in the runbook text", file: file, line: line)
                continue
            }
            XCTAssertEqual(diagnostic.location, location, "location of \(spec.marker): \(diagnostic)", file: file, line: line)
            XCTAssertTrue(diagnostic.message.contains(spec.message),
                          "message of \(spec.marker): \"\(diagnostic.message)\" lacks \"\(spec.message)\"", file: file, line: line)
            XCTAssertFalse(diagnostic.message.contains("\n"), "a message is one line: \(diagnostic)", file: file, line: line)
            XCTAssertFalse(diagnostic.message.first?.isUppercase ?? true, "a message starts lowercase: \(diagnostic)",
                           file: file, line: line)
            if let expected = spec.rule ?? defaultRule?.name {
                XCTAssertEqual(diagnostic.rule, expected, "rule of \(spec.marker)", file: file, line: line)
            }
            if let expected = spec.severity ?? defaultRule?.severity {
                XCTAssertEqual(diagnostic.severity, expected, "severity of \(spec.marker)", file: file, line: line)
            }
        }
    }
}
