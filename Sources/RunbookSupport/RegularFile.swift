#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens and reads files that must be regular files: a run's log, its lock.
///
/// A symbolic link is never followed (`O_NOFOLLOW`): one planted in the state folder would make
/// runbook truncate or write its target. A FIFO or a device is refused before any read: the open
/// itself is non-blocking (a FIFO's would wait for a writer forever), then `fstat` says what it is.
public enum RegularFile {
    /// Why a path could not be opened as a regular file.
    public enum Problem: Error, Equatable, Sendable {
        case missing
        /// Something else is there: `a symbolic link`, `a FIFO`, `a device`, `a socket`, `a folder`.
        case notRegular(kind: String)
        /// The system refused: its reason (`Permission denied`, `Read-only file system`).
        case failed(String)
    }

    /// Opens `path` with `flags` (`O_RDONLY`, `O_RDWR | O_CREAT`, …; close-on-exec added), only if it is
    /// a regular file; new files get `mode`.
    public static func open(_ path: String, flags: Int32, mode: mode_t = 0o600) -> Result<Int32, Problem> {
        #if canImport(Glibc)
        let fd = Glibc.open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode)
        #else
        let fd = Darwin.open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode)
        #endif
        guard fd >= 0 else {
            switch errno {
            case ENOENT: return .failure(.missing)
            case ELOOP: return .failure(.notRegular(kind: "a symbolic link"))
            case ENXIO: return .failure(.notRegular(kind: "a FIFO or a socket"))
            case EISDIR: return .failure(.notRegular(kind: "a folder"))
            default: return .failure(.failed(System.lastError))
            }
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = System.lastError
            System.close(fd)
            return .failure(.failed(reason))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            System.close(fd)
            return .failure(.notRegular(kind: kind(info.st_mode)))
        }
        // Blocking again: the flag was only for the open.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return .success(fd)
    }

    /// The first `limit` bytes of the regular file at `path` (all of it by default).
    public static func read(_ path: String, limit: Int = .max) -> Result<[UInt8], Problem> {
        let fd: Int32
        switch open(path, flags: O_RDONLY) {
        case .success(let opened): fd = opened
        case .failure(let problem): return .failure(problem)
        }
        defer { System.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { System.read(fd, $0.baseAddress, min($0.count, limit - bytes.count)) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return .failure(.failed(System.lastError)) }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return .success(bytes)
    }

    /// The last `limit` bytes of the regular file at `path` (all of it when shorter).
    public static func tail(_ path: String, limit: Int) -> Result<[UInt8], Problem> {
        let fd: Int32
        switch open(path, flags: O_RDONLY) {
        case .success(let opened): fd = opened
        case .failure(let problem): return .failure(problem)
        }
        defer { System.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.failed(System.lastError)) }
        let start = max(0, Int(info.st_size) - limit)
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) - start)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(start + filled)) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return .failure(.failed(System.lastError)) }
            if count == 0 { break }
            filled += count
        }
        return .success(Array(bytes[..<filled]))
    }

    /// What a file that is not regular is, in words.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "a FIFO"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFSOCK: "a socket"
        case S_IFDIR: "a folder"
        case S_IFLNK: "a symbolic link"
        default: "not a file"
        }
    }
}
