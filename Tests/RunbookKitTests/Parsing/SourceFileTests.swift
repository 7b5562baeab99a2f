import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

final class SourceFileTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: folder)
    }

    /// Writes `data` to `name` under the test's folder, creating subfolders; returns the path.
    @discardableResult
    private func write(_ name: String, _ data: Data) throws -> String {
        let path = folder + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @discardableResult
    private func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    private func assertThrows<T>(_ expected: RunbookFileError, file: StaticString = #filePath, line: UInt = #line,
                                 _ body: () throws(RunbookFileError) -> T) {
        do {
            let value = try body()
            XCTFail("expected \(expected), got \(value)", file: file, line: line)
        } catch {
            XCTAssertEqual(error, expected, file: file, line: line)
        }
    }

    // MARK: SourceFile.read

    func testReadsARunbook() throws {
        let path = try write("deploy.md", "# Deploy\r\n\r\n## Push\r\nWhere: laptop\r\n")
        XCTAssertEqual(try SourceFile.read(path), "# Deploy\r\n\r\n## Push\r\nWhere: laptop\r\n")
        let runbook = try RunbookParser.parse(contentsOf: path)
        XCTAssertEqual(runbook.id, "deploy")
        XCTAssertEqual(runbook.path, path)
        XCTAssertEqual(runbook.steps.map(\.id), ["push"])
        XCTAssertEqual(runbook.steps.first?.place, "laptop")
    }

    func testByteOrderMarkIsDropped() throws {
        let path = try write("bom.md", Data([0xEF, 0xBB, 0xBF]) + Data("# Title\n".utf8))
        XCTAssertEqual(try SourceFile.read(path), "# Title\n")
        XCTAssertEqual(try RunbookParser.parse(contentsOf: path).titleHeadings, [SourceLocation(line: 1, column: 1)])
    }

    func testEmptyFile() throws {
        let path = try write("empty.md", "")
        assertThrows(.empty(path)) { () throws(RunbookFileError) in try SourceFile.read(path) }
        assertThrows(.empty(path)) { () throws(RunbookFileError) in try RunbookParser.parse(contentsOf: path) }
    }

    func testWhitespaceOnlyFile() throws {
        let path = try write("blank.md", " \n\t\r\n  \n")
        assertThrows(.empty(path)) { () throws(RunbookFileError) in try SourceFile.read(path) }
    }

    func testBinaryFile() throws {
        let path = try write("image.md", Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x0D, 0x0A]))
        assertThrows(.binary(path)) { () throws(RunbookFileError) in try SourceFile.read(path) }
        let text = try write("nul.md", Data("# Title\n\u{0}\n".utf8))
        assertThrows(.binary(text)) { () throws(RunbookFileError) in try SourceFile.read(text) }
    }

    func testInvalidUTF8() throws {
        let path = try write("latin1.md", Data("# Caf".utf8) + Data([0xE9, 0x0A]))
        assertThrows(.notUTF8(path)) { () throws(RunbookFileError) in try SourceFile.read(path) }
    }

    func testFileOverOneMegabyte() throws {
        let line = Data(String(repeating: "x", count: 1023).utf8) + Data([0x0A])
        let limit = try write("limit.md", Data(repeating: 0x78, count: SourceFile.maximumSize))
        XCTAssertEqual(try SourceFile.read(limit).count, 1_048_576, "exactly 1 MB is still read")
        var large = Data("# Large\n".utf8)
        while large.count <= SourceFile.maximumSize { large += line }
        let path = try write("large.md", large)
        assertThrows(.tooLarge(path)) { () throws(RunbookFileError) in try SourceFile.read(path) }
    }

    func testMissingFile() {
        let path = folder + "/missing.md"
        assertThrows(.notFound(path)) { () throws(RunbookFileError) in try SourceFile.read(path) }
        assertThrows(.notFound(path)) { () throws(RunbookFileError) in try RunbookParser.parse(contentsOf: path) }
    }

    func testFolderGivenAsFile() throws {
        let path = folder + "/runbooks.md"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        assertThrows(.isFolder(path)) { () throws(RunbookFileError) in try SourceFile.read(path) }
        assertThrows(.isFolder(folder)) { () throws(RunbookFileError) in try SourceFile.read(folder) }
    }

    func testIDOfPath() {
        XCTAssertEqual(SourceFile.id(ofPath: "runbooks/ops/smt-jwt-status.md"), "smt-jwt-status")
        XCTAssertEqual(SourceFile.id(ofPath: "deploy.md"), "deploy")
        XCTAssertEqual(SourceFile.id(ofPath: "/tmp/notes.txt"), "notes.txt")
    }

    // MARK: RunbookCatalog.files(in:)

    func testFilesRecurseAndSkipReadmeAndOtherFiles() throws {
        try write("smt-jwt-status.md", "# A\n")
        try write("README.md", "# Index\n")
        try write("notes.txt", "not a runbook\n")
        try write("deploy.markdown", "# Not .md\n")
        try write("ops/deploy.md", "# B\n")
        try write("ops/README.md", "# Ops index\n")
        try write("ops/deep/er/backup.md", "# C\n")
        try write(".hidden/secret.md", "# Hidden\n")
        try write(".draft.md", "# Draft\n")
        try FileManager.default.createDirectory(atPath: folder + "/empty", withIntermediateDirectories: true)

        XCTAssertEqual(try RunbookCatalog.files(in: folder), [
            folder + "/ops/deep/er/backup.md",
            folder + "/ops/deploy.md",
            folder + "/smt-jwt-status.md",
        ])
        XCTAssertEqual(try RunbookCatalog.files(in: folder + "/"), [
            folder + "/ops/deep/er/backup.md",
            folder + "/ops/deploy.md",
            folder + "/smt-jwt-status.md",
        ], "a trailing slash gives no double slash")
    }

    func testFilesOfAnEmptyFolder() throws {
        XCTAssertEqual(try RunbookCatalog.files(in: folder), [])
    }

    func testFilesOfAMissingFolder() {
        let missing = folder + "/runbooks"
        assertThrows(.folderNotFound(missing)) { () throws(RunbookFileError) in try RunbookCatalog.files(in: missing) }
        assertThrows(.folderNotFound(missing)) { () throws(RunbookFileError) in try RunbookCatalog.load(folder: missing) }
    }

    func testFileGivenAsFolder() throws {
        let path = try write("deploy.md", "# Deploy\n")
        assertThrows(.notAFolder(path)) { () throws(RunbookFileError) in try RunbookCatalog.files(in: path) }
    }

    func testOnlyRegularFilesAreRead() throws {
        try write("a.md", "# A\n")
        let fifo = folder + "/pipe.md"
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        assertThrows(.notRegular(fifo)) { () throws(RunbookFileError) in try SourceFile.read(fifo) }
        assertThrows(.notRegular("/dev/null")) { () throws(RunbookFileError) in try SourceFile.read("/dev/null") }
        let scanned = try RunbookCatalog.scan(folder)
        XCTAssertEqual(scanned.files, [folder + "/a.md"])
        XCTAssertEqual(scanned.failures, [.notRegular(fifo)])
    }

    func testEachFolderIsWalkedOnceWhateverLinksLeadToIt() throws {
        try write("ops/deploy.md", "# Deploy\n")
        try FileManager.default.createSymbolicLink(atPath: folder + "/ops/up", withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: folder + "/again", withDestinationPath: folder + "/ops")
        try FileManager.default.createSymbolicLink(atPath: folder + "/dangling", withDestinationPath: folder + "/nowhere")
        XCTAssertEqual(try RunbookCatalog.files(in: folder), [folder + "/again/deploy.md"],
                       "the link sorts first, so the folder is walked through it, and only once")
    }

    func testLoadKeepsGoingPastUnreadableFiles() throws {
        try write("b.md", "# B\n\n## Step\nWhere: laptop\n")
        try write("a/c.md", "# C\n")
        let empty = try write("empty.md", "")
        let catalog = try RunbookCatalog.load(folder: folder)
        XCTAssertEqual(catalog.runbooks.map(\.id), ["b", "c"])
        XCTAssertEqual(catalog.failures, [.empty(empty)])
    }
}
