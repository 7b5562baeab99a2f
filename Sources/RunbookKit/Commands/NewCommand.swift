#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RunbookModel
import RunbookRun
import RunbookSupport

/// `runbook new ID`: a runbook skeleton that passes lint.
public struct NewCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "new", synopsis: "ID", summary: "write a runbook skeleton that passes lint",
        details: "Writes runbooks/ID.md, a skeleton that passes `runbook lint --strict`. Never overwrites.")

    public var id: String

    public init(id: String) { self.id = id }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        id = try arguments.operands(["ID"])[0]
        guard Runbook.isValidID(id) else {
            throw arguments.error("`\(id)` is not a runbook id: use lowercase letters, digits and dashes, e.g. smt-token-rotation")
        }
    }

    public func run(in context: CommandContext) throws -> Int32 {
        let folder = context.folders.runbooks
        if let existing = (try? RunbookCatalog.files(in: folder))?.first(where: { SourceFile.id(ofPath: $0) == id }) {
            return context.fail("\(existing) already exists; edit it, or pick another id")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            return context.fail("cannot create the folder \(folder); pass --dir DIR or set RUNBOOK_DIR")
        }
        let path = folder + "/" + id + ".md"
        switch Skeleton.write(Skeleton.text(id: id), to: path) {
        case .written:
            context.out("Wrote \(path). Fill it in, then check it: runbook lint --strict \(path)")
            return 0
        case .exists:
            return context.fail("\(path) already exists; edit it, or pick another id")
        case .failed(let reason):
            return context.fail("could not write \(path): \(reason); nothing was written")
        }
    }
}
