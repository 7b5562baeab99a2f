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
import RunbookRun
import RunbookSupport

/// The walk's sink in a shared state folder: each event goes to the log first, then a sync is asked
/// for on a thread of its own, so the prompt never waits for git or the network (SPEC 9).
///
/// Requests made while a sync runs are folded into one more sync after it. A sync that finds another
/// one holding the folder skips: the foreground sync at the pause or the end sends what is left.
public final class BackgroundSync: EventSink {
    private struct Inner {
        var wanted = false
        var running = false
        var stopped = false
    }

    private let sink: EventSink
    private let sync: TeamSync
    private let author: String
    private let host: String
    private let inner = Locked(Inner())

    public init(sink: EventSink, sync: TeamSync, author: String, host: String) {
        self.sink = sink
        self.sync = sync
        self.author = author
        self.host = host
    }

    public func append(_ record: EventRecord) throws(LogError) {
        try sink.append(record)
        request()
    }

    public func settle() throws(LogError) {
        try sink.settle()
    }

    /// Asks for a sync; starts the worker when none runs.
    public func request() {
        let start = inner.withLock { inner -> Bool in
            guard !inner.stopped else { return false }
            inner.wanted = true
            guard !inner.running else { return false }
            inner.running = true
            return true
        }
        guard start else { return }
        let sync = sync, author = author, host = host, inner = inner
        System.startThread {
            while inner.withLock({ inner -> Bool in
                guard inner.wanted, !inner.stopped else {
                    inner.running = false
                    return false
                }
                inner.wanted = false
                return true
            }) {
                _ = try? sync.sync(author: author, host: host, wait: false)
            }
        }
    }

    /// Stops asking, and waits (at most `seconds`) for a sync that is running to end.
    public func finish(waiting seconds: Double) {
        inner.withLock { $0.stopped = true }
        var waited = 0.0
        while inner.current.running && waited < seconds {
            usleep(20_000)
            waited += 0.02
        }
    }
}
