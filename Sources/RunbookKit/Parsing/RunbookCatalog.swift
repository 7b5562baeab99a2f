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
        var failures: [RunbookFileError] = []
        for path in try files(in: folder) {
            do {
                runbooks.append(try RunbookParser.parse(contentsOf: path))
            } catch {
                failures.append(error)
            }
        }
        runbooks.sort { ($0.id, $0.path) < ($1.id, $1.path) }
        return RunbookCatalog(folder: folder, runbooks: runbooks, failures: failures)
    }

    /// The runbook files under `folder`, sorted by path.
    public static func files(in folder: String) throws(RunbookFileError) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else { throw .folderNotFound(folder) }
        guard isFolder.boolValue else { throw .notAFolder(folder) }
        var found: [String] = []
        try collect(folder, into: &found)
        return found.sorted()
    }

    private static func collect(_ folder: String, into found: inout [String]) throws(RunbookFileError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw .folderUnreadable(folder)
        }
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue {
                try collect(path, into: &found)
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
