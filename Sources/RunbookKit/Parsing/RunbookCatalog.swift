import Foundation

/// The runbooks of a folder: every `*.md` below it, searched recursively, except `README.md`.
public struct RunbookCatalog: Sendable {
    public var folder: String
    public var runbooks: [Runbook]
    /// Files that could not be read; the others are still listed.
    public var failures: [RunbookFileError]

    /// Reads every runbook under `folder`; throws when the folder itself is missing or unreadable.
    public static func load(folder: String) throws(RunbookFileError) -> RunbookCatalog {
        var runbooks: [Runbook] = []
        let (paths, unreadable) = try scan(folder)
        var failures = unreadable
        for path in paths {
            do {
                runbooks.append(try RunbookParser.parse(contentsOf: path))
            } catch {
                failures.append(error)
            }
        }
        runbooks.sort { ($0.id, $0.path) < ($1.id, $1.path) }
        return RunbookCatalog(folder: folder, runbooks: runbooks, failures: failures)
    }

    /// The runbook files under `folder`, sorted by path; subfolders that cannot be read are left out.
    public static func files(in folder: String) throws(RunbookFileError) -> [String] {
        try scan(folder).files
    }

    /// The runbook files under `folder`, sorted by path, and the subfolders that could not be read.
    ///
    /// Throws when `folder` itself is missing, a file or unreadable; one unreadable subfolder
    /// does not hide the runbooks of the others.
    public static func scan(_ folder: String) throws(RunbookFileError) -> (files: [String], failures: [RunbookFileError]) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else { throw .folderNotFound(folder) }
        guard isFolder.boolValue else { throw .notAFolder(folder) }
        guard (try? FileManager.default.contentsOfDirectory(atPath: folder)) != nil else { throw .folderUnreadable(folder) }
        var found: [String] = []
        var failures: [RunbookFileError] = []
        collect(folder, into: &found, failures: &failures)
        return (found.sorted(), failures)
    }

    private static func collect(_ folder: String, into found: inout [String], failures: inout [RunbookFileError]) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            failures.append(.folderUnreadable(folder))
            return
        }
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue {
                collect(path, into: &found, failures: &failures)
            } else if name.hasSuffix(".md"), name != "README.md" {
                found.append(path)
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
