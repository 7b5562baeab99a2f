import RunbookModel
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

/// The runs of a state folder: `STATE/runs/RUN.jsonl`, with `RUN.lock` beside each.
public struct RunStore: Sendable {
    public var folder: String

    public init(folder: String) {
        self.folder = folder
    }

    public var runsFolder: String { folder + "/runs" }

    public func logPath(of run: String) -> String { runsFolder + "/" + run + ".jsonl" }

    func lockPath(of run: String) -> String { runsFolder + "/" + run + ".lock" }

    /// True when the run has a log that holds at least one complete event.
    public func exists(_ run: String) -> Bool {
        FileManager.default.fileExists(atPath: logPath(of: run)) && !Self.holdsNoEvent(logPath(of: run))
    }

    /// True when the file at `path` exists and holds no complete line: a start stopped before its
    /// first event was on disk (only older versions leave one). Nothing in it was acknowledged, so
    /// it is no run: listings leave it out and a start under its name replaces it.
    ///
    /// Anything but a regular file is not such a start: reading it reports what it is.
    public static func holdsNoEvent(_ path: String) -> Bool {
        guard case .success(let fd) = RegularFile.open(path, flags: O_RDONLY) else { return false }
        defer { System.close(fd) }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { System.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return count == 0 }
            if chunk[..<count].contains(0x0A) { return false }
        }
    }

    /// The names of every stored run, sorted.
    public func names() throws(LogError) -> [String] {
        guard FileManager.default.fileExists(atPath: runsFolder) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: runsFolder)
                .filter { $0.hasSuffix(".jsonl") }
                .map { String($0.dropLast(6)) }
                .sorted()
        } catch {
            throw .stateFolder(path: runsFolder, reason: "cannot list it")
        }
    }

    /// Reads a run's log without locking it.
    public func log(of run: String) throws(LogError) -> EventLog {
        let path = logPath(of: run)
        guard FileManager.default.fileExists(atPath: path) else {
            let known = (try? names()) ?? []
            throw .noSuchRun(run: run, suggestion: Suggestion.closest(to: run, in: known))
        }
        if Self.holdsNoEvent(path) { throw .unstarted(run: run, path: path) }
        return try EventLog.read(path)
    }

    /// Reads a run's state without locking it.
    public func state(of run: String) throws(LogError) -> RunState {
        try log(of: run).state()
    }

    /// The runs of one runbook that can be read, unfinished or not.
    ///
    /// Only logs whose first line names `runbook` are read whole: the log's keys are sorted, so
    /// `runbook` stands before the step list, in the first few kilobytes. `start` asks this at every
    /// start, and reading every log of the state folder made it grow with the number of runs.
    public func runs(of runbook: String) -> [RunState] {
        let mark = Array("\"runbook\":\"\(runbook)\"".utf8)
        return ((try? names()) ?? []).compactMap { name in
            guard case .success(let head) = RegularFile.read(logPath(of: name), limit: 8192) else { return nil }
            let firstLine = head.prefix { $0 != UInt8(ascii: "\n") }
            guard firstLine.firstRange(of: mark) != nil else { return nil }
            return try? state(of: name)
        }
    }

    /// Every run that can be read, and the errors of those that cannot.
    public func all() throws(LogError) -> (runs: [RunState], failures: [LogError]) {
        var runs: [RunState] = []
        var failures: [LogError] = []
        for name in try names() {
            do throws(LogError) {
                let log = try log(of: name)
                // A changed log is reported, not listed: nothing in it can be trusted or walked.
                if let problem = log.chainProblem() { throw .brokenChain(path: log.path, run: name, problem: problem) }
                runs.append(try log.state())
            } catch .unstarted {
                continue
            } catch {
                failures.append(error)
            }
        }
        return (runs, failures)
    }

    /// Creates a new run's log, locked for walking.
    public func create(_ run: String) throws(LogError) -> LogWriter {
        try makeFolder()
        let lock = try RunLock(path: lockPath(of: run), run: run, folder: runsFolder)
        // Under the lock, so no other start can create it meanwhile.
        if case .failure(.notRegular(let kind)) = RegularFile.read(logPath(of: run), limit: 0) {
            lock.release()
            throw .notRegular(path: logPath(of: run), kind: kind)
        }
        if exists(run) {
            lock.release()
            throw .runExists(run: run)
        }
        do {
            return try LogWriter(path: logPath(of: run), lock: lock, create: true, log: nil)
        } catch {
            // A refused create must not leave the run locked by this process.
            lock.release()
            throw error
        }
    }

    /// Opens an existing run for walking: takes its lock, reads it under the lock, and cuts a torn tail.
    ///
    /// Returns the writer, the log as read, the state it leads to, and how many torn bytes were cut off.
    public func open(_ run: String) throws(LogError) -> (writer: LogWriter, log: EventLog, state: RunState, cutBytes: Int) {
        let path = logPath(of: run)
        guard FileManager.default.fileExists(atPath: path) else {
            throw .noSuchRun(run: run, suggestion: Suggestion.closest(to: run, in: (try? names()) ?? []))
        }
        if Self.holdsNoEvent(path) { throw .unstarted(run: run, path: path) }
        let lock = try RunLock(path: lockPath(of: run), run: run, folder: runsFolder)
        let log: EventLog
        let state: RunState
        let writer: LogWriter
        do throws(LogError) {
            log = try EventLog.read(path)
            // Read-only: a log changed anywhere but a torn tail is never appended to.
            if let problem = log.chainProblem() { throw .brokenChain(path: path, run: run, problem: problem) }
            state = try log.state()
            writer = try LogWriter(path: path, lock: lock, create: false, log: log)
        } catch {
            // Until a writer owns the lock, a failure must release it: the run is not being walked.
            lock.release()
            throw error
        }
        if log.tornBytes > 0 { try writer.cutTornTail() }
        return (writer, log, state, log.tornBytes)
    }

    private func makeFolder() throws(LogError) {
        guard System.makeFolders(runsFolder) else { throw .stateFolder(path: runsFolder, reason: "cannot create it") }
    }
}
