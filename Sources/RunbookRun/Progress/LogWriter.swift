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

/// Appends events to a run's log while holding the run's lock.
///
/// Each event is one `write` of one whole line followed by `fsync`, so a crash
/// loses at most the line being written. Safe to call from a signal handler's
/// thread: appends are serialised.
///
/// A new run's log appears only with its first event: that line is written to a hidden
/// file beside it, flushed, then linked under the run's name (for `start`, linked at once and
/// flushed while the first screen is drawn: `appendSettlingLater`). A start killed before that
/// leaves no log at all, never an empty one that names a run nothing was recorded for.
public final class LogWriter: @unchecked Sendable {
    public let path: String
    private let lock: RunLock
    private let descriptor: Int32
    private let mutex = Lock()
    private var nextSeq: Int
    private var prev: String
    private var length: Int
    private var closed = false
    /// The descriptor is closed and the lock released (`close`).
    private var released = false
    /// For a new run, until its first event is on disk: the hidden file that holds it.
    private var pending: String?
    /// The first event's flush, under way while the first screen is drawn (`appendSettlingLater`).
    private var settling: Background<LogError?>?

    /// The hidden file a new run's first event is written to, before it takes the run's name.
    static func pendingPath(of path: String) -> String {
        let folder = Path.folder(path)
        return (folder.isEmpty ? "" : folder + "/") + "." + Path.fileName(path) + ".new"
    }

    /// Opens the log at `path`, or with `create`, gets ready to create it; `lock` protects it.
    convenience init(path: String, lock: RunLock, create: Bool, log: EventLog?) throws(LogError) {
        try self.init(path: path, lock: lock, create: create, nextSeq: (log?.lines.count ?? 0) + 1,
                      prev: log?.lastHash ?? LogLine.origin, length: log?.intactLength ?? 0)
    }

    /// Gets ready to create a session file at `path` that continues `log` (SPEC 9): its first line
    /// follows the log's last, by number and by hash.
    convenience init(path: String, lock: RunLock, continuing log: EventLog) throws(LogError) {
        try self.init(path: path, lock: lock, create: true, nextSeq: log.lines.count + 1, prev: log.lastHash, length: 0)
    }

    init(path: String, lock: RunLock, create: Bool, nextSeq: Int, prev: String, length: Int) throws(LogError) {
        // The lock is held: nobody else writes the hidden file, and one left by a killed start is junk
        // (truncated, never followed if it is a link).
        let target = create ? Self.pendingPath(of: path) : path
        let fd: Int32
        switch RegularFile.open(target, flags: create ? (O_WRONLY | O_CREAT | O_TRUNC) : O_WRONLY) {
        case .success(let opened): fd = opened
        case .failure(.notRegular(let kind)): throw .notRegular(path: target, kind: kind)
        case .failure(.failed(let reason)): throw .writeFailed(path: path, reason: reason)
        case .failure(.missing): throw .writeFailed(path: path, reason: "No such file or directory")
        }
        self.path = path
        self.lock = lock
        descriptor = fd
        pending = create ? target : nil
        self.nextSeq = nextSeq
        self.prev = prev
        self.length = length
    }

    /// Cuts off a torn last line (bytes never acknowledged) so the log stays a clean chain.
    func cutTornTail() throws(LogError) {
        guard ftruncate(descriptor, off_t(length)) == 0, fsync(descriptor) == 0 else {
            throw .writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Appends one event and flushes it to disk before returning.
    public func append(_ record: EventRecord) throws(LogError) {
        try append(record, settleLater: false)
    }

    /// Appends a new run's first event, gives the log its name, and flushes both on a thread of its
    /// own, so the first screen is drawn meanwhile: two `fsync`s were a third of a start.
    /// `settle()` waits for it; every later append and `close` do so first. The walk settles before
    /// it reads an answer: nothing the operator does is taken before the run is on disk.
    public func appendSettlingLater(_ record: EventRecord) throws(LogError) {
        try append(record, settleLater: true)
    }

    /// Waits until every event appended is on disk; throws what went wrong with the last one.
    public func settle() throws(LogError) {
        mutex.lock()
        defer { mutex.unlock() }
        try settleHoldingTheMutex()
    }

    private func settleHoldingTheMutex() throws(LogError) {
        guard let settling else { return }
        self.settling = nil
        if let error = settling.wait() {
            // The run's first event never reached the disk: no later event may follow it.
            closed = true
            throw error
        }
    }

    private func append(_ record: EventRecord, settleLater: Bool) throws(LogError) {
        mutex.lock()
        defer { mutex.unlock() }
        try settleHoldingTheMutex()
        guard !closed else { throw .writeFailed(path: path, reason: "the log is closed") }
        let text = LogLine(record, seq: nextSeq, prev: prev).encoded()
        let bytes = Array((text + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                pwrite(descriptor, buffer.baseAddress! + written, bytes.count - written, off_t(length + written))
            }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                // Leave no half line behind: the log must stay a clean chain.
                _ = ftruncate(descriptor, off_t(length))
                throw .writeFailed(path: path, reason: reason)
            }
            written += result
        }
        if settleLater, let pending {
            // Named at once, flushed on a thread of its own: a process killed from here on leaves the
            // run with its first event (the kernel has both); a power loss before the flush leaves at
            // worst a log without a complete event, which is no run (`RunStore.holdsNoEvent`).
            try publish(pending)
            self.pending = nil
            settling = Background { [self, length] in
                guard fsync(descriptor) == 0 else {
                    let reason = String(cString: strerror(errno))
                    // Not on disk: no run. A log without a complete event is none, and its name is free again.
                    _ = ftruncate(descriptor, off_t(length))
                    return .writeFailed(path: path, reason: reason)
                }
                System.syncFolder(of: path)
                return nil
            }
        } else {
            guard fsync(descriptor) == 0 else {
                let reason = String(cString: strerror(errno))
                _ = ftruncate(descriptor, off_t(length))
                throw .writeFailed(path: path, reason: reason)
            }
            if let pending {
                try publish(pending)
                System.syncFolder(of: path)
                self.pending = nil
            }
        }
        length += bytes.count
        nextSeq += 1
        prev = SHA256.hex(Array(text.utf8))
    }

    /// Gives the hidden file holding a new run's first event the run's name.
    ///
    /// A log already there that holds no complete event (left by a start killed before its first
    /// write, by an older version) was never a run: it is replaced. Any other log is never touched.
    private func publish(_ pending: String) throws(LogError) {
        if link(pending, path) == 0 {
            unlink(pending)
        } else {
            // A log in the way, or a file system without hard links. Under the run's lock nobody else
            // creates this log, so a rename is safe unless a log with an event is there.
            let taken = access(path, F_OK) == 0 && !RunStore.holdsNoEvent(path)
            guard !taken, rename(pending, path) == 0 else {
                let reason = String(cString: strerror(errno))
                _ = ftruncate(descriptor, 0)
                unlink(pending)
                let run = Path.withoutExtension(Path.fileName(path))
                if taken { throw .runExists(run: run) }
                throw .writeFailed(path: path, reason: reason)
            }
        }
    }

    /// Closes the log and releases the run's lock.
    public func close() {
        mutex.lock()
        defer { mutex.unlock() }
        // A first event still being flushed is waited for: the run then exists, or it never did.
        _ = settling?.wait()
        settling = nil
        guard !released else { return }
        closed = true
        released = true
        // A new run that recorded nothing leaves nothing.
        if let pending { unlink(pending) }
        System.close(descriptor)
        lock.release()
    }

    deinit { close() }
}

/// The exclusive lock held on a run while it is walked: `flock` on `RUN.lock`, which names its holder.
final class RunLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock at once, or throws naming the process that holds it.
    ///
    /// The lock is taken before anything is written: a lock that cannot be opened (a read-only or
    /// unwritable state folder, something planted in its place) means nothing was recorded.
    init(path: String, run: String, folder: String) throws(LogError) {
        let fd: Int32
        switch RegularFile.open(path, flags: O_RDWR | O_CREAT) {
        case .success(let opened): fd = opened
        case .failure(.notRegular(let kind)): throw .notRegular(path: path, kind: kind)
        case .failure(.failed(let reason)): throw .stateFolder(path: folder, reason: "cannot lock run \(run) in it: \(reason)")
        case .failure(.missing): throw .stateFolder(path: folder, reason: "cannot lock run \(run) in it: No such file or directory")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = pread(fd, &buffer, 255, 0)
            System.close(fd)
            let holder = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).trimmed : ""
            throw .locked(run: run, holder: holder.isEmpty ? "another process" : holder)
        }
        let me = "process \(getpid()) on \(System.hostName())\n"
        _ = ftruncate(fd, 0)
        _ = me.withCString { pwrite(fd, $0, strlen($0), 0) }
        descriptor = fd
    }

    func release() {
        _ = ftruncate(descriptor, 0)
        System.close(descriptor)
    }
}
