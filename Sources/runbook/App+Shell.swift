import Foundation
import RunbookKit

/// The commands for shells and scripts: completion scripts, the lists they ask for, the man page.
extension App {
    func completions(_ shell: Shell) -> Int32 {
        out(Completions.script(for: shell))
        return 0
    }

    /// Names for a completion script, one a line; quiet: a missing folder or a bad log lists nothing.
    func complete(_ list: CompletionList) -> Int32 {
        let names: [String]
        switch list {
        case .runbooks:
            let files = (try? RunbookCatalog.files(in: folders.runbooks)) ?? []
            names = Array(Set(files.map(SourceFile.id(ofPath:)))).sorted()
        case .runs:
            // Newest first, by the log's last write: reading every log would slow each Tab.
            let modified = { (run: String) -> Date in
                let attributes = try? FileManager.default.attributesOfItem(atPath: store.logPath(of: run))
                return attributes?[.modificationDate] as? Date ?? .distantPast
            }
            names = ((try? store.names()) ?? []).map { ($0, modified($0)) }.sorted { ($0.1, $0.0) > ($1.1, $1.0) }.map(\.0)
        case .unfinishedRuns:
            let runs = (try? store.all().runs) ?? []
            names = runs.filter { $0.status == .active }.sorted { $0.lastEventAt > $1.lastEventAt }.map(\.run)
        }
        if !names.isEmpty { out(names.joined(separator: "\n")) }
        return 0
    }

    func manPage() -> Int32 {
        terminal.write(ManPage.text)
        return 0
    }
}
