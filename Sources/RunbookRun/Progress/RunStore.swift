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
///
/// In a state folder that is a git work tree (`shared`, SPEC 9) each walking session writes a file of
/// its own, `STATE/runs/RUN/SESSION.jsonl`, and a run is its files joined by the hash chain
/// (`RunFiles`); two continuations of one event are a run and a fork `RUN~SUFFIX`. A run begun as one
/// file keeps it, and goes on in session files once the folder is shared.
public struct RunStore: Sendable {
    public var folder: String
    /// The state folder is a git work tree: every walk writes a session file of its own.
    public var shared: Bool

    public init(folder: String) {
        self.folder = folder
        shared = System.exists(folder + "/.git")
    }

    public var runsFolder: String { folder + "/runs" }

    public func logPath(of run: String) -> String { runsFolder + "/" + run + ".jsonl" }

    /// The folder of a run's session files.
    public func sessionFolder(of run: String) -> String { runsFolder + "/" + Self.base(of: run) }

    func lockPath(of run: String) -> String { runsFolder + "/" + run + ".lock" }

    /// The run a name belongs to: `RUN` for `RUN~SUFFIX`.
    public static func base(of run: String) -> String {
        run.firstIndex(of: "~").map { String(run[..<$0]) } ?? run
    }

    /// The files of run `base`: its single log first, then its session files by name.
    func paths(of base: String) -> [String] {
        var paths: [String] = []
        if System.exists(logPath(of: base)) && !Self.holdsNoEvent(logPath(of: base)) {
            paths.append(logPath(of: base))
        }
        let folder = runsFolder + "/" + base
        let sessions = (System.entries(ofFolder: folder) ?? [])
            .filter { $0.hasSuffix(".jsonl") && !$0.hasPrefix(".") }.sorted()
        return paths + sessions.map { folder + "/" + $0 }
    }

    /// True when the run has a log that holds at least one complete event.
    public func exists(_ run: String) -> Bool {
        !paths(of: Self.base(of: run)).isEmpty
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

    /// The names of every stored run (forks aside: `all` lists them), sorted.
    public func names() throws(LogError) -> [String] {
        guard System.exists(runsFolder) else { return [] }
        guard let entries = System.entries(ofFolder: runsFolder) else {
            throw .stateFolder(path: runsFolder, reason: "cannot list it")
        }
        var names = Set<String>()
        for entry in entries {
            if entry.hasSuffix(".jsonl") {
                names.insert(String(entry.dropLast(6)))
            } else if RunState.isValidRunName(entry), !entry.hasSuffix(".lock") {
                if System.isFolder(runsFolder + "/" + entry) == true { names.insert(entry) }
            }
        }
        return names.sorted()
    }

    /// The files of a run joined, or why there is no such run.
    func files(of run: String) throws(LogError) -> RunFiles {
        let base = Self.base(of: run)
        let paths = paths(of: base)
        if paths.isEmpty {
            if System.exists(logPath(of: base)) {
                if case .failure(.notRegular(let kind)) = RegularFile.read(logPath(of: base), limit: 0) {
                    throw .notRegular(path: logPath(of: base), kind: kind)
                }
                throw .unstarted(run: base, path: logPath(of: base))
            }
            let known = (try? names()) ?? []
            throw .noSuchRun(run: run, suggestion: Suggestion.closest(to: run, in: known))
        }
        return try RunFiles.read(run: base, folder: runsFolder + "/" + base, paths: paths)
    }

    /// The log of branch `name` of `files`: a fork knows its name and where it forked.
    func log(_ name: String, of files: RunFiles) throws(LogError) -> EventLog {
        guard let branch = files.branch(name) else {
            throw .noSuchRun(run: name, suggestion: Suggestion.closest(to: name, in: files.branches.map(\.name)))
        }
        var log = try files.log(of: branch)
        if let point = files.forkPoint(of: branch) { log.fork = (name, point.from, point.afterEvent) }
        return log
    }

    /// Reads a run's log without locking it.
    public func log(of run: String) throws(LogError) -> EventLog {
        try log(run, of: try files(of: run))
    }

    /// Reads a run's state without locking it.
    public func state(of run: String) throws(LogError) -> RunState {
        try log(of: run).state()
    }

    /// The unfinished runs of one runbook that can be read (what `start` names before it begins another).
    ///
    /// Only runs whose first line names `runbook` are read whole: the log's keys are sorted, so
    /// `runbook` stands before the step list, in the first few kilobytes. A single log whose last
    /// line ends the run is passed over unread. `start` asks this at every start: reading every log
    /// of the state folder, then every finished run of the runbook, made it grow with them.
    public func unfinishedRuns(of runbook: String) -> [RunState] {
        // ByteSearch, not `firstRange(of:)` on bytes: that one is Foundation's generic, and its first
        // use scanned every protocol conformance of the binary (a start with finished runs took 2.4x
        // the instructions of one without).
        let mark = ByteSearch(Array("\"runbook\":\"\(runbook)\"".utf8))
        return ((try? names()) ?? []).flatMap { name -> [RunState] in
            // A single log whose last line ends the run: two system calls' worth, not a whole listing.
            if Self.endsTheRun(lastLineOf: logPath(of: name)), System.isFolder(sessionFolder(of: name)) == nil { return [] }
            let paths = paths(of: name)
            let named = paths.contains { path in
                guard case .success(let head) = RegularFile.read(path, limit: 8192) else { return false }
                return mark.firstOffset(in: Array(head.prefix { $0 != UInt8(ascii: "\n") })) != nil
            }
            guard named, let files = try? files(of: name) else { return [] }
            return files.branches.compactMap { try? log($0.name, of: files).state() }.filter { $0.status == .active }
        }
    }

    /// Whether the last line of the log at `path` is an event that ends a run. A log whose last line
    /// is torn or unreadable is not: it is read whole, as before.
    static func endsTheRun(lastLineOf path: String) -> Bool {
        guard case .success(let tail) = RegularFile.tail(path, limit: 1024), tail.last == UInt8(ascii: "\n") else { return false }
        let start = tail.dropLast().lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let line = Array(tail[start..<(tail.count - 1)])
        return endings.contains { $0.firstOffset(in: line) != nil }
    }

    /// The events that end a run, as a log line writes them (a `"` inside a string value is escaped,
    /// so these bytes are only ever the line's own event).
    private static let endings = ["runCompleted", "runHandedOff", "runAbandoned"].map { ByteSearch(Array("\"event\":\"\($0)\"".utf8)) }

    /// Every run that can be read (forks included), and the errors of those that cannot.
    public func all() throws(LogError) -> (runs: [RunState], failures: [LogError]) {
        var runs: [RunState] = []
        var failures: [LogError] = []
        for name in try names() {
            do throws(LogError) {
                let files = try files(of: name)
                for branch in files.branches {
                    do throws(LogError) {
                        let log = try log(branch.name, of: files)
                        // A changed log is reported, not listed: nothing in it can be trusted or walked.
                        if let problem = log.chainProblem() { throw .brokenChain(path: log.path, run: branch.name, problem: problem) }
                        runs.append(try log.state())
                    } catch {
                        failures.append(error)
                    }
                }
            } catch .unstarted {
                continue
            } catch {
                failures.append(error)
            }
        }
        return (runs, failures)
    }

    /// Creates a new run's log, locked for walking: a session file in a shared state folder.
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
        do throws(LogError) {
            if shared {
                guard System.makeFolders(sessionFolder(of: run)) else {
                    throw LogError.stateFolder(path: sessionFolder(of: run), reason: "cannot create it")
                }
                return try LogWriter(path: newSessionPath(of: run), lock: lock, create: true, log: nil)
            }
            return try LogWriter(path: logPath(of: run), lock: lock, create: true, log: nil)
        } catch {
            // A refused create must not leave the run locked by this process.
            lock.release()
            throw error
        }
    }

    /// A new session file of `run`: `TIME-HOST-RANDOM.jsonl`, so no two walks ever write one file.
    func newSessionPath(of run: String) -> String {
        let stamp = String(System.utcStamp(Date()).prefix(19).filter { $0 != "-" && $0 != ":" }).replacingEvery("T", with: "-")
        let host = String(System.hostName().map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(30))
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return sessionFolder(of: run) + "/" + stamp + "-" + (host.isEmpty ? "host" : host) + "-" + random + ".jsonl"
    }

    /// Opens an existing run for walking: takes its lock, reads it under the lock, and cuts a torn tail.
    ///
    /// A run that is one file outside a shared folder is appended to; any other goes on in a new
    /// session file that continues the run's last event.
    /// Returns the writer, the log as read, the state it leads to, and how many torn bytes were cut off.
    public func open(_ run: String) throws(LogError) -> (writer: LogWriter, log: EventLog, state: RunState, cutBytes: Int) {
        // A run that is not there is named before any lock is taken.
        _ = try files(of: run)
        let lock = try RunLock(path: lockPath(of: run), run: run, folder: runsFolder)
        let log: EventLog
        let state: RunState
        let writer: LogWriter
        var cut = 0
        do throws(LogError) {
            // Read again under the lock: another walk may have ended meanwhile.
            let read = try self.files(of: run)
            log = try self.log(run, of: read)
            // Read-only: a log changed anywhere but a torn tail is never appended to.
            if let problem = log.chainProblem() { throw .brokenChain(path: log.path, run: run, problem: problem) }
            state = try log.state()
            guard let branch = read.branch(run) else { throw .noSuchRun(run: run, suggestion: nil) }
            let tip = read.tip(of: branch)
            if !shared && read.files.count == 1 && tip.path == logPath(of: run) {
                writer = try LogWriter(path: tip.path, lock: lock, create: false, log: log)
                if log.tornBytes > 0 { try writer.cutTornTail() }
                cut = log.tornBytes
            } else {
                if tip.tornBytes > 0 {
                    try Self.cut(tip.path, to: tip.intactLength)
                    cut = tip.tornBytes
                }
                guard System.makeFolders(sessionFolder(of: run)) else {
                    throw .stateFolder(path: sessionFolder(of: run), reason: "cannot create it")
                }
                writer = try LogWriter(path: newSessionPath(of: run), lock: lock, continuing: log)
            }
        } catch {
            // Until a writer owns the lock, a failure must release it: the run is not being walked.
            lock.release()
            throw error
        }
        return (writer, log, state, cut)
    }

    /// Cuts a torn last line off the file at `path` (bytes never acknowledged).
    static func cut(_ path: String, to length: Int) throws(LogError) {
        guard case .success(let fd) = RegularFile.open(path, flags: O_WRONLY) else {
            throw .writeFailed(path: path, reason: "cannot open it")
        }
        defer { System.close(fd) }
        guard ftruncate(fd, off_t(length)) == 0, fsync(fd) == 0 else {
            throw .writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    private func makeFolder() throws(LogError) {
        guard System.makeFolders(runsFolder) else { throw .stateFolder(path: runsFolder, reason: "cannot create it") }
    }
}
