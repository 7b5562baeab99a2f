import Foundation
import XCTest

/// Small helpers for end-to-end tests: raw files, logs, JSON and the checks every outcome must pass.
extension Sandbox {
    /// Writes raw bytes to `runbooks/NAME` (NAME may hold subfolders) and returns its path.
    @discardableResult
    func writeBytes(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = runbooks.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url
    }

    /// The text of a file in the sandbox, or "" when it cannot be read.
    func text(_ url: URL) -> String {
        (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    /// The stored bytes of a run's log.
    func logData(_ run: String) throws -> Data {
        try Data(contentsOf: log(run))
    }

    /// The lines of a run's log, without their newlines.
    func logLines(_ run: String) throws -> [String] {
        String(decoding: try logData(run), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init).filter { !$0.isEmpty }
    }

    /// The `event` of every line of a run's log, in order.
    func events(_ run: String) throws -> [String] {
        try logLines(run).map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["event"] as? String ?? "?"
        }
    }

    /// The repository's shipped runbooks folder, found from this file's path.
    static var shippedRunbooks: URL {
        URL(fileURLWithPath: #filePath)  // Tests/EndToEndTests/Support/Sandbox+Helpers.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("runbooks")
    }
}

extension Outcome {
    /// The non-empty lines of standard error.
    var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// The non-empty lines of standard output.
    var outputLines: [String] { stdout.split(separator: "\n").map(String.init) }

    /// Everything the process printed.
    var all: String { stdout + stderr }
}

extension String {
    /// Every run of spaces collapsed to one and the ends trimmed: column padding out of the way.
    var squeezed: String {
        split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// The number of times `word` occurs.
    func occurrences(of word: String) -> Int {
        components(separatedBy: word).count - 1
    }
}

extension XCTestCase {
    /// No Swift runtime crash text anywhere in what the process printed.
    func assertNoCrash(_ outcome: Outcome, file: StaticString = #filePath, line: UInt = #line) {
        for marker in ["Fatal error", "Stack dump", "backtrace", "Illegal instruction", "Segmentation fault"] {
            XCTAssertFalse(outcome.all.localizedCaseInsensitiveContains(marker),
                           "crash text `\(marker)` in output:\n\(outcome.all)", file: file, line: line)
        }
        XCTAssertNotEqual(outcome.status, 132, "killed by SIGILL (a Swift trap)", file: file, line: line)
        XCTAssertNotEqual(outcome.status, 133, "killed by SIGTRAP (a Swift trap)", file: file, line: line)
    }

    /// Parses `text` as JSON, failing the test when it does not parse.
    func json(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            XCTFail("not JSON: \(error)\n\(text)", file: file, line: line)
            throw error
        }
    }

    /// Exactly one line on standard error, starting `runbook: error:` and holding every one of `parts`.
    func assertOneErrorLine(_ outcome: Outcome, containing parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(outcome.errorLines.count, 1, "want one stderr line, got:\n\(outcome.stderr)", file: file, line: line)
        let first = outcome.errorLines.first ?? ""
        XCTAssertTrue(first.hasPrefix("runbook: error: "), first, file: file, line: line)
        for part in parts {
            XCTAssertTrue(first.contains(part), "`\(part)` missing from: \(first)", file: file, line: line)
        }
    }
}
