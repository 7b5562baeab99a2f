import RunbookModel
import RunbookRun
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A line read from the console.
public enum ConsoleRead: Hashable, Sendable {
    case line(String)
    /// End of input.
    case ended
    /// Ctrl-C stopped the read.
    case interrupted
}

/// The terminal (or pipe) a walk talks to; the executable provides it, tests script it.
public protocol Console: AnyObject {
    /// True when standard input is a terminal: a failed check then waits for a retry.
    var isInteractive: Bool { get }
    /// The terminal's width, to wrap text at; nil in a pipe.
    var width: Int? { get }
    /// Writes to standard output as is.
    func write(_ text: String)
    /// Writes one line to standard error.
    func warn(_ line: String)
    /// The next line at the step's prompt, without its newline, or nil at end of input; Ctrl-C there
    /// pauses the run.
    func readLine() -> String?
    /// Like `readLine`, without echo on a terminal.
    func readSecret() -> String?
    /// A line of an answer or a paste: Ctrl-C stops only the read.
    func readInterruptibly(secret: Bool) -> ConsoleRead
    /// Runs a check so that Ctrl-C stops it (and what it started) instead of the walk; nil when it did.
    func runInterruptibly(_ body: () -> CheckResult) -> CheckResult?
    /// Runs a run block's command so that Ctrl-C stops it (and its process group), never the walk. On a
    /// terminal it gets a pseudo-terminal of its own: its output streams, the operator's keys reach it.
    func runCommand(_ call: RunCall) -> RunOutcome

    /// Waits until `deadline` (`Wait:`): on a terminal one line, `countdown(seconds left)`, updated in place,
    /// and Enter or Ctrl-C ends the wait early; from a pipe nothing is read or written, Ctrl-C still ends it.
    func wait(until deadline: Date, countdown: (Int) -> String) -> WaitEnd
}

extension Console {
    public var width: Int? { nil }

    public func readInterruptibly(secret: Bool) -> ConsoleRead {
        (secret ? readSecret() : readLine()).map(ConsoleRead.line) ?? .ended
    }

    public func runInterruptibly(_ body: () -> CheckResult) -> CheckResult? { body() }

    /// Through pipes; the walk shows the output once the command ends.
    public func runCommand(_ call: RunCall) -> RunOutcome { call.runPiped() }

    /// Sleeps until `deadline`, nothing shown: a console that cannot do better.
    public func wait(until deadline: Date, countdown: (Int) -> String) -> WaitEnd {
        let left = deadline.timeIntervalSinceNow
        if left > 0 { usleep(UInt32(min(left, 86_400) * 1_000_000)) }
        return .elapsed
    }
}

/// Who walks, from where, and the clock.
public struct Operator: Sendable {
    public var name: String
    public var host: String
    public var timeZone: String
    public var now: @Sendable () -> Date

    public init(name: String, host: String, timeZone: String, now: @escaping @Sendable () -> Date) {
        self.name = name
        self.host = host
        self.timeZone = timeZone
        self.now = now
    }

    public func record(_ event: RunEvent) -> EventRecord {
        EventRecord(event, at: now(), timeZone: timeZone, operatorName: name, host: host)
    }
}

/// Where events go: the run's log, or a list in tests.
public protocol EventSink: AnyObject, Sendable {
    func append(_ record: EventRecord) throws(LogError)
    /// Waits until every event appended is on disk (a new run's first is flushed while its first screen is drawn).
    func settle() throws(LogError)
}

extension EventSink {
    public func settle() throws(LogError) {}
}

extension LogWriter: EventSink {}
