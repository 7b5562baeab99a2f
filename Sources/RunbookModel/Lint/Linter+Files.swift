import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `lint` found in the files it was given.
public struct LintResult: Sendable {
    /// How many runbook files were read (or tried).
    public var files: Int
    public var diagnostics: [Diagnostic]

    /// An error, or with `strict` any warning, fails the lint.
    public func failed(strict: Bool) -> Bool {
        diagnostics.contains { $0.severity == .error || strict }
    }
}

extension Linter {
    /// Lints files, folders (searched recursively) and runbook ids of `folder`; with no paths, the runbooks `folder`.
    ///
    /// A file that cannot be read is a diagnostic at 1:1 (rule `file`), so it does not hide the
    /// problems of the others. A missing folder, or a file given as the runbooks folder, throws.
    public func lint(paths: [String], folder: String) throws(RunbookFileError) -> LintResult {
        var files: [String] = []
        var diagnostics: [Diagnostic] = []
        func unreadable(_ error: RunbookFileError) {
            let prefix = error.path + ": "
            let message = error.description.hasPrefix(prefix) ? String(error.description.dropFirst(prefix.count)) : error.description
            diagnostics.append(Diagnostic(path: error.path, location: SourceLocation(line: 1, column: 1), severity: .error,
                                          message: message, rule: "file"))
        }
        func add(folder: String) throws(RunbookFileError) {
            let scanned = try RunbookCatalog.scan(folder)
            files += scanned.files
            scanned.failures.forEach(unreadable)
        }
        if paths.isEmpty { try add(folder: folder) }
        for path in paths {
            if let isFolder = System.isFolder(path) {
                if isFolder { try add(folder: path) } else { files.append(path) }
            } else if Runbook.isValidID(path),
                      let file = (try? RunbookCatalog.files(in: folder))?.first(where: { SourceFile.id(ofPath: $0) == path }) {
                // An id, as `show` and `start` take: the runbook of that id in the runbooks folder.
                files.append(file)
            } else {
                files.append(path)
            }
        }
        // A hand-off names a runbook of the runbooks folder (where the walk looks), or one linted with it.
        var linter = self
        // With no paths, the files are the folder's: no second walk of it.
        let catalogFiles = paths.isEmpty ? files : ((try? RunbookCatalog.files(in: folder)) ?? [])
        let catalog = Set(catalogFiles.map(SourceFile.id(ofPath:)))
        linter.catalogRules = catalogRules.map { rule in rule is HandOffTargetRule ? HandOffTargetRule(catalog: catalog) : rule }
        // Each file read, parsed and checked on its own, on every core; gathered in file order, so
        // the diagnostics are put together exactly as one thread would.
        let checked = Concurrent.map(files.count) { [linter, files] index in
            Result { () throws(RunbookFileError) -> (Runbook, [Diagnostic]) in
                let runbook = try RunbookParser.parse(contentsOf: files[index], digests: false)
                return (runbook.catalogView, linter.diagnostics(of: runbook))
            }
        }
        var runbooks: [Runbook] = []
        var found: [Diagnostic] = []
        for result in checked {
            switch result {
            case .success(let (runbook, diagnostics)):
                runbooks.append(runbook)
                found += diagnostics
            case .failure(let error):
                unreadable(error)
            }
        }
        found += linter.catalogDiagnostics(of: runbooks)
        return LintResult(files: files.count, diagnostics: Diagnostic.sorted(diagnostics + Diagnostic.sorted(found)))
    }
}

extension Runbook {
    /// What the rules across runbooks read of a runbook: its id and path, its steps' ids, titles,
    /// options and `Next:` lines. Made on the thread that parsed it, so the rest is freed there, at
    /// once: freeing a thousand whole models at the end, on one thread, was a tenth of `lint`.
    var catalogView: Runbook {
        Runbook(id: id, path: path, title: title, steps: steps.map { step in
            Step(id: step.id, title: step.title, location: step.location, choices: step.choices, nexts: step.nexts)
        })
    }
}
