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

/// The calls into the operating system that the layers above share, spelled once for Linux and macOS.
///
/// Elsewhere the libc calls are written unqualified (`open`, `fsync`, `flock`): both C libraries have
/// them. Only the few a Swift type shadows (`read`, `write`, `close` on a file handle or a class) need
/// the module's name, and that name lives here.
public enum System {
    /// `read(2)`.
    public static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
        #else
        Darwin.read(fd, buffer, count)
        #endif
    }

    /// `write(2)`.
    public static func write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, buffer, count)
        #else
        Darwin.write(fd, buffer, count)
        #endif
    }

    /// `close(2)`.
    @discardableResult
    public static func close(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(fd)
        #else
        Darwin.close(fd)
        #endif
    }

    /// The text of `errno`: `No such file or directory`.
    public static var lastError: String { String(cString: strerror(errno)) }

    /// Runs `body` on a new thread of its own (detached), not on a shared queue: blocking reads and
    /// waits there never hold up a queue's few threads. With no thread to be had, it runs here.
    public static func startThread(_ body: @escaping @Sendable () -> Void) {
        if let thread = startJoinableThread(body) { pthread_detach(thread) }
    }

    /// Whether `path` names a folder (following symbolic links); nil when nothing is there.
    public static func isFolder(_ path: String) -> Bool? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// The names in a folder (without `.` and `..`), in no particular order; nil when it cannot be read.
    ///
    /// `opendir`/`readdir` themselves: FileManager's listing built a dictionary of attributes per
    /// entry, and its first use was a tenth of a start.
    public static func entries(ofFolder path: String) -> [String]? {
        guard let folder = opendir(path) else { return nil }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// The working folder (`getcwd(3)`); `.` when it cannot be told (removed under us).
    public static func currentFolder() -> String {
        guard let path = getcwd(nil, 0) else { return "." }
        defer { free(path) }
        return String(cString: path)
    }

    /// Whether something is at `path`, following links (a dangling link is nothing), as `fileExists` says.
    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    /// Flushes a folder so a file just created in it survives a power loss.
    public static func syncFolder(of path: String) {
        let folder = Path.folder(path)
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            System.close(fd)
        }
    }

    /// `date` as the log and the reports write it: UTC, milliseconds, `2026-11-28T03:04:05.678Z`.
    ///
    /// By hand, with gmtime_r: building a Foundation date format was a tenth of a start's instructions.
    public static func utcStamp(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        var seconds = time_t(whole)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = min(999, Int(((interval - whole) * 1000).rounded(.down)))
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-" + padded(Int(parts.tm_mday), 2)
            + "T" + padded(Int(parts.tm_hour), 2) + ":" + padded(Int(parts.tm_min), 2) + ":" + padded(Int(parts.tm_sec), 2)
            + "." + padded(millis, 3) + "Z"
    }

    /// Creates `path` and the folders above it that are missing, mode 0700; true when it exists as a folder.
    public static func makeFolders(_ path: String) -> Bool {
        var status = stat()
        if stat(path, &status) == 0 { return (status.st_mode & S_IFMT) == S_IFDIR }
        let parent = Path.folder(path)
        if !parent.isEmpty, parent != path, !makeFolders(parent) { return false }
        return mkdir(path, 0o700) == 0 || errno == EEXIST
    }

    /// `path` made absolute with every symbolic link and `..` resolved (`realpath(3)`); nil when it does not exist.
    public static func resolvedPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A folder named `name` in `start` or the nearest folder above it, as git finds `.git`: written
    /// relative to `start` (`runbooks`, `../runbooks`), so messages stay short; nil when there is none.
    public static func nearestFolder(named name: String, from start: String) -> String? {
        var folder = start
        var up = ""
        while true {
            var status = stat()
            if stat(folder + (folder.hasSuffix("/") ? "" : "/") + name, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
                return up + name
            }
            let parent = Path.folder(folder)
            guard !parent.isEmpty, parent != folder else { return nil }
            folder = parent
            up += "../"
        }
    }

    /// This machine's name, as `hostname` prints it.
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The name of the user this process runs as, from the password database (what `NSUserName` gives);
    /// the numeric user id when the database has no entry.
    public static func userName() -> String {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        if getpwuid_r(geteuid(), &entry, &buffer, buffer.count, &found) == 0, found != nil, let name = entry.pw_name {
            let text = String(cString: name)
            if !text.isEmpty { return text }
        }
        return String(geteuid())
    }

    /// The local time zone's name (`Europe/Paris`): `$TZ` when set, else where `/etc/localtime` points,
    /// else `UTC`. What `TimeZone.current` finds too, without building Foundation's time-zone tables.
    public static func timeZoneName(environment: [String: String]) -> String {
        func name(_ text: String) -> String? {
            var zone = text.hasPrefix(":") ? String(text.dropFirst()) : text
            if let offset = zone.utf8Offset(of: "zoneinfo/") { zone = String(decoding: zone.utf8.dropFirst(offset + 9), as: UTF8.self) }
            return zone.isEmpty || zone.hasPrefix("/") ? nil : zone
        }
        if let tz = environment["TZ"], let zone = name(tz) { return zone }
        var buffer = [CChar](repeating: 0, count: 1024)
        let count = readlink("/etc/localtime", &buffer, buffer.count - 1)
        if count > 0, let zone = name(String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)) { return zone }
        return "UTC"
    }
}
