import RunbookModel
import RunbookRun
import RunbookSupport
import Foundation

/// The terminal (or pipe) a walk talks to; the executable provides it, tests script it.
public protocol Console: AnyObject {
    /// True when standard input is a terminal: a failed check then waits for a retry.
    var isInteractive: Bool { get }
    /// Writes to standard output as is.
    func write(_ text: String)
    /// Writes one line to standard error.
    func warn(_ line: String)
    /// The next line of input without its newline, or nil at end of input.
    func readLine() -> String?
    /// Like `readLine`, without echo on a terminal.
    func readSecret() -> String?
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
}

extension LogWriter: EventSink {}
