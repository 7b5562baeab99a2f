import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// A console that reads from a script and keeps everything written.
///
/// A scripted `.interrupted` is Ctrl-C: read at a question or a paste, it stops the read; met when a
/// check starts, it stops the check (which then never runs). At the step's prompt Ctrl-C pauses the
/// run through the gate instead, so a script never holds it there.
final class ScriptedConsole: Console {
    var input: [ConsoleRead]
    var output = ""
    var warnings = ""
    var isInteractive: Bool
    var width: Int?
    /// How many lines were read without echo.
    var secretReads = 0

    init(_ input: [ConsoleRead], interactive: Bool = false, width: Int? = nil) {
        self.input = input
        isInteractive = interactive
        self.width = width
    }

    convenience init(_ lines: [String], interactive: Bool = false) {
        self.init(lines.map(ConsoleRead.line), interactive: interactive)
    }

    func write(_ text: String) { output += text }
    func warn(_ line: String) { warnings += line + "\n" }

    func readLine() -> String? {
        guard let next = input.first else { return nil }
        input.removeFirst()
        guard case .line(let line) = next else {
            XCTFail("the script holds \(next) where the step's prompt reads a line")
            return nil
        }
        return line
    }

    func readSecret() -> String? {
        secretReads += 1
        return readLine()
    }

    func readInterruptibly(secret: Bool) -> ConsoleRead {
        if secret { secretReads += 1 }
        guard let next = input.first else { return .ended }
        input.removeFirst()
        return next
    }

    func runInterruptibly(_ body: () -> CheckResult) -> CheckResult? {
        if input.first == .interrupted {
            input.removeFirst()
            return nil
        }
        return body()
    }

    /// Each wait's deadline, in order, and how the scripted waits end (`elapsed` once the list is used up).
    var waits: [Date] = []
    var waitEnds: [WaitEnd] = []

    func wait(until deadline: Date, countdown: (Int) -> String) -> WaitEnd {
        waits.append(deadline)
        return waitEnds.isEmpty ? .elapsed : waitEnds.removeFirst()
    }

    /// Everything the operator was shown, on either stream.
    var everything: String { output + warnings }
}

extension ConsoleRead: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .line(value) }
}

/// A run log in memory; can be told to fail like a full disk.
final class MemorySink: EventSink, @unchecked Sendable {
    static let failure = LogError.writeFailed(path: "/state/runs/r1.jsonl", reason: "No space left on device")
    private let lock = NSLock()
    private var stored: [EventRecord] = []
    /// Appends beyond this many fail.
    private var capacity = Int.max

    func fail(after count: Int) {
        lock.withLock { capacity = count }
    }

    var records: [EventRecord] { lock.withLock { stored } }

    var events: [RunEvent] { records.map(\.event) }

    /// Every field of every record, to look for a secret in what is kept.
    var dump: String { String(describing: records) }

    func append(_ record: EventRecord) throws(LogError) {
        lock.lock()
        defer { lock.unlock() }
        guard stored.count < capacity else { throw Self.failure }
        stored.append(record)
    }
}

/// Checks that answer from a list (the last answer repeats) and remember what they were asked.
final class FakeChecks: CheckRunner, @unchecked Sendable {
    /// One answer: a result as it is, or a server's response tested against the check's own expectations.
    enum Answer {
        case result(CheckResult)
        case response(Observed)
    }

    private let lock = NSLock()
    private var answers: [Answer]
    private var httpRequests: [HTTPRequest] = []
    private var displayedRequests: [HTTPRequest] = []
    private var shellRuns: [(script: String, environment: [String: String])] = []

    init(_ answers: [CheckResult] = [.pass()]) {
        self.answers = answers.map(Answer.result)
    }

    init(answers: [Answer]) {
        self.answers = answers
    }

    var requests: [HTTPRequest] { lock.withLock { httpRequests } }
    /// The same requests as the walker shows them: secrets as `{{NAME}}`.
    var displayed: [HTTPRequest] { lock.withLock { displayedRequests } }
    var scripts: [(script: String, environment: [String: String])] { lock.withLock { shellRuns } }
    var callCount: Int { lock.withLock { httpRequests.count + shellRuns.count } }

    private func answer(_ expectations: [Expectation]) -> CheckResult {
        switch answers.count > 1 ? answers.removeFirst() : answers[0] {
        case .result(let result): result
        case .response(let observed): Expectation.evaluate(expectations, against: observed)
        }
    }

    func http(_ request: HTTPRequest, display: HTTPRequest, expectations: [Expectation], timeout: Double) -> CheckResult {
        lock.withLock {
            httpRequests.append(request)
            displayedRequests.append(display)
            return answer(expectations)
        }
    }

    func shell(_ script: String, environment: [String: String], timeout: Double) -> CheckResult {
        lock.withLock {
            shellRuns.append((script, environment))
            return answer([])
        }
    }
}

/// Compares a whole output with the expected text; on failure, shows the lines that differ and the
/// whole output as a literal to paste once it is read and found right.
func assertTranscript(_ actual: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    guard actual != expected else { return }
    let got = actual.components(separatedBy: "\n"), wanted = expected.components(separatedBy: "\n")
    var diff: [String] = []
    for index in 0..<max(got.count, wanted.count) {
        let left = index < wanted.count ? wanted[index] : nil, right = index < got.count ? got[index] : nil
        guard left != right else { continue }
        if let left { diff.append("\(index + 1) - \(left)") }
        if let right { diff.append("\(index + 1) + \(right)") }
        if diff.count > 12 { diff.append("…"); break }
    }
    XCTFail("the transcript differs (- expected, + got):\n\(diff.joined(separator: "\n"))\n<<<GOT\n\(actual)>>>END",
            file: file, line: line)
}
