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

/// Reads runbook files from disk, refusing what is not a runbook with a clear reason.
public enum SourceFile {
    /// Files larger than this are refused: no runbook is a megabyte.
    public static let maximumSize = 1_048_576

    /// The text of the file at `path`, or why it cannot be a runbook.
    public static func read(_ path: String) throws(RunbookFileError) -> String {
        // Regular files only: opening a FIFO waits for a writer forever, and a device may never end.
        // O_NONBLOCK makes the open itself return; what it opened is then checked before any read.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .notFound(path) }
            throw .unreadable(path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .isFolder(path)
        default: throw .notRegular(path)
        }
        guard var text = try readText(fd, size: Int(info.st_size), path: path) else { throw .notUTF8(path) }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.allSatisfy(\.isWhitespace) { throw .empty(path) }
        return text
    }

    /// The file's bytes as text, nil when they are not UTF-8.
    ///
    /// Read into one buffer the size `fstat` gave (plus room to see the file grew past the limit),
    /// then validated and copied into the `String` once: reading 64 KiB chunks into an array, then a
    /// `Data`, then `String(data:encoding:)` zeroed and copied every file three times.
    private static func readText(_ fd: Int32, size: Int, path: String) throws(RunbookFileError) -> String? {
        // One byte past the limit tells a file that is too large; one past the size, a file that grew.
        let capacity = min(max(size, 0), maximumSize) + 2
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 1)
        defer { buffer.deallocate() }
        var count = 0
        while count < capacity - 1, count <= maximumSize {
            let read = System.read(fd, buffer.baseAddress! + count, capacity - 1 - count)
            if read < 0 && errno == EINTR { continue }
            guard read >= 0 else { throw .unreadable(path) }
            if read == 0 { break }
            count += read
        }
        if count > maximumSize { throw .tooLarge(path) }
        if count == capacity - 1 {
            // The file grew since fstat: read it the slow way, to its end or past the limit.
            return try readGrown(fd, start: UnsafeRawBufferPointer(rebasing: buffer[..<count]), path: path)
        }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[..<count])
        if bytes.contains(0) { throw .binary(path) }
        // No NUL inside, so the bytes with one after them are a C string: validated and copied at once.
        buffer[count] = 0
        return String(validatingCString: (buffer.baseAddress! + byteOrderMarkLength(bytes)).assumingMemoryBound(to: CChar.self))
    }

    /// The rest of a file that grew while it was read, after the bytes `start` already holds.
    private static func readGrown(_ fd: Int32, start: UnsafeRawBufferPointer, path: String) throws(RunbookFileError) -> String? {
        var bytes = Array(start)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= maximumSize {
            let read = chunk.withUnsafeMutableBytes { System.read(fd, $0.baseAddress!, min($0.count, maximumSize + 1 - bytes.count)) }
            if read < 0 && errno == EINTR { continue }
            guard read >= 0 else { throw .unreadable(path) }
            if read == 0 { break }
            bytes += chunk[..<read]
        }
        if bytes.count > maximumSize { throw .tooLarge(path) }
        if bytes.contains(0) { throw .binary(path) }
        bytes.append(0)
        return bytes.withUnsafeBytes { String(validatingCString: ($0.baseAddress! + byteOrderMarkLength($0)).assumingMemoryBound(to: CChar.self)) }
    }

    /// 3 when `bytes` start with UTF-8's byte order mark, else 0. `String(data:encoding: .utf8)`, which
    /// read runbooks before, dropped one such mark; `read` drops a second one (as the text it gave).
    private static func byteOrderMarkLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The runbook id a path gives: the file name without `.md`.
    public static func id(ofPath path: String) -> String {
        let name = Path.fileName(path)
        return name.hasSuffix(".md") ? String(name.dropLast(3)) : name
    }
}

/// Why a runbook file or folder cannot be read.
public enum RunbookFileError: Error, Hashable, Sendable, CustomStringConvertible {
    case notFound(String)
    case isFolder(String)
    case unreadable(String)
    case tooLarge(String)
    case binary(String)
    case notUTF8(String)
    case empty(String)
    case folderNotFound(String)
    case notAFolder(String)
    case folderUnreadable(String)
    /// A FIFO, socket or device named like a runbook.
    case notRegular(String)
    /// More below the folder than a runbooks folder ever holds (`lint /`).
    case folderTooLarge(String)
    case unknownRunbook(id: String, folder: String, suggestion: String?)

    public var path: String {
        switch self {
        case .notFound(let p), .isFolder(let p), .unreadable(let p), .tooLarge(let p), .binary(let p),
             .notUTF8(let p), .empty(let p), .folderNotFound(let p), .notAFolder(let p), .folderUnreadable(let p),
             .notRegular(let p), .folderTooLarge(let p):
            p
        case .unknownRunbook(_, let folder, _): folder
        }
    }

    public var description: String {
        switch self {
        case .notFound(let p): "\(p): no such file; check the path, or run `runbook list` for the runbook ids"
        case .isFolder(let p): "\(p): is a folder, not a runbook file; name a .md file inside it"
        case .unreadable(let p): "\(p): cannot be read; check its permissions"
        case .tooLarge(let p): "\(p): larger than 1 MB, too large for a runbook; split it into smaller runbooks"
        case .binary(let p): "\(p): a binary file, not Markdown; a runbook is a UTF-8 text file"
        case .notUTF8(let p): "\(p): not UTF-8 text; save it as UTF-8 and retry"
        case .empty(let p): "\(p): the file is empty; write a runbook into it, or start from `runbook new ID`"
        case .folderNotFound(let p): "\(p): no such folder; pass --dir DIR or set RUNBOOK_DIR to your runbooks folder"
        case .notAFolder(let p): "\(p): is a file, not a folder; pass --dir the folder that holds your runbooks"
        case .folderUnreadable(let p): "\(p): the folder cannot be read; check its permissions"
        case .notRegular(let p): "\(p): not a regular file (a FIFO, socket or device); a runbook is a regular .md file"
        case .folderTooLarge(let p):
            "\(p): more than \(RunbookCatalog.maximumEntries) files and folders, or folders more than \(RunbookCatalog.maximumDepth) "
                + "deep, below it; is it the runbooks folder? Pass --dir (or lint) the folder that holds the runbooks"
        case .unknownRunbook(let id, let folder, let suggestion):
            "no runbook `\(id)` in \(folder)" + (suggestion.map { "; did you mean `\($0)`?" } ?? "; run `runbook list` to see the ids")
        }
    }
}
