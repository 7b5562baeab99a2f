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

/// The runbooks of a folder: every `*.md` below it, searched recursively, except `README.md`.
public struct RunbookCatalog: Sendable {
    public var folder: String
    public var runbooks: [Runbook]
    /// Files that could not be read; the others are still listed.
    public var failures: [RunbookFileError]

    /// Reads every runbook under `folder`; throws when the folder itself is missing or unreadable.
    ///
    /// With `outline`, each runbook holds only its title, tags and steps' headings (`RunbookParser.outline`):
    /// what `list` shows, read at close to the speed of reading the files.
    public static func load(folder: String, outline: Bool = false) throws(RunbookFileError) -> RunbookCatalog {
        var runbooks: [Runbook] = []
        let (paths, unreadable) = try scan(folder)
        var failures = unreadable
        // Read on every core, gathered in path order (the failures keep the order one thread gives).
        let read = Concurrent.map(paths.count) { index in
            Result { () throws(RunbookFileError) -> Runbook in
                try outline ? RunbookParser.outline(contentsOf: paths[index]) : RunbookParser.parse(contentsOf: paths[index])
            }
        }
        for result in read {
            switch result {
            case .success(let runbook): runbooks.append(runbook)
            case .failure(let error): failures.append(error)
            }
        }
        runbooks.sort { ($0.id, $0.path) < ($1.id, $1.path) }
        return RunbookCatalog(folder: folder, runbooks: runbooks, failures: failures)
    }

    /// The runbook files under `folder`, sorted by path; subfolders that cannot be read are left out.
    public static func files(in folder: String) throws(RunbookFileError) -> [String] {
        try scan(folder).files
    }

    /// At most this many files and folders below a runbooks folder are looked at: `lint /` must not
    /// walk the whole filesystem.
    public static let maximumEntries = 10_000
    /// And at most this deep.
    public static let maximumDepth = 32

    /// A folder by device and inode: each is walked once, whatever links lead to it.
    private struct FolderID: Hashable {
        var device: UInt64
        var inode: UInt64

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    /// What a walk has seen so far.
    private struct Walk {
        var root: String
        var visited: Set<FolderID> = []
        var entries = 0
        var found: [String] = []
        var failures: [RunbookFileError] = []
    }

    private static func isFolder(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFDIR }

    /// The runbook files under `folder`, sorted by path, and the subfolders that could not be read.
    ///
    /// Throws when `folder` itself is missing, a file or unreadable, or holds more than a runbooks
    /// folder ever does; one unreadable subfolder does not hide the runbooks of the others. Links
    /// are followed, but each folder is walked once (by device and inode), so a link loop ends; only
    /// regular files are runbooks (a FIFO named `x.md` is reported, never opened).
    public static func scan(_ folder: String) throws(RunbookFileError) -> (files: [String], failures: [RunbookFileError]) {
        var info = stat()
        guard stat(folder, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .folderNotFound(folder) }
            throw .folderUnreadable(folder)
        }
        guard isFolder(info) else { throw .notAFolder(folder) }
        guard System.entries(ofFolder: folder) != nil else { throw .folderUnreadable(folder) }
        var walk = Walk(root: folder)
        walk.visited.insert(FolderID(info))
        try collect(folder, depth: 0, into: &walk)
        return (walk.found.sorted(), walk.failures)
    }

    private static func collect(_ folder: String, depth: Int, into walk: inout Walk) throws(RunbookFileError) {
        guard let names = System.entries(ofFolder: folder) else {
            walk.failures.append(.folderUnreadable(folder))
            return
        }
        for name in names.sorted() where !name.hasPrefix(".") {
            walk.entries += 1
            guard walk.entries <= maximumEntries else { throw .folderTooLarge(walk.root) }
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var info = stat()
            // A dangling link, or a file gone meanwhile: nothing to read.
            guard stat(path, &info) == 0 else { continue }
            let isRunbookName = name.hasSuffix(".md") && name != "README.md"
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                guard walk.visited.insert(FolderID(info)).inserted else { continue }
                guard depth < maximumDepth else { throw .folderTooLarge(walk.root) }
                try collect(path, depth: depth + 1, into: &walk)
            case S_IFREG:
                if isRunbookName { walk.found.append(path) }
            default:
                if isRunbookName { walk.failures.append(.notRegular(path)) }
            }
        }
    }

    /// The runbook a command names: a path to a `.md` file, or an id in `folder`.
    public static func resolve(_ reference: String, folder: String) throws(RunbookFileError) -> Runbook {
        if reference.hasSuffix(".md") || reference.contains("/") {
            return try RunbookParser.parse(contentsOf: reference)
        }
        let paths = try files(in: folder)
        if let path = paths.first(where: { SourceFile.id(ofPath: $0) == reference }) {
            return try RunbookParser.parse(contentsOf: path)
        }
        let ids = paths.map(SourceFile.id(ofPath:))
        throw .unknownRunbook(id: reference, folder: folder, suggestion: Suggestion.closest(to: reference, in: ids))
    }
}
