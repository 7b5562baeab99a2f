import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookSupport

/// Reading on bytes (issue 14) gives what the `Character` walks gave: the same text, lines,
/// headings, steps and diagnostics, on one thread or several.
final class ReadingOnBytesTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-bytes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: folder)
    }

    @discardableResult
    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = folder + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    // MARK: SourceFile.read

    func testTheLastIdOpeningIsFoundOnBytesAsOnCharacters() {
        func opening(_ text: String) -> String? { Builder.lastOpening(in: text).map { String(text[$0...]) } }
        XCTAssertEqual(opening("Step {#a} and {#b}"), "{#b}")
        XCTAssertEqual(opening("Étape {#é}"), "{#é}")
        XCTAssertEqual(opening("{#"), "{#")
        XCTAssertNil(opening("plain # title {"))
        XCTAssertNil(opening(""))
    }

    func testFieldsAndIndentsNextToACombiningMarkAreReadAsCharacters() {
        XCTAssertEqual(Builder.field("Where:", in: "Where: laptop"), "laptop")
        XCTAssertEqual(Builder.field("Where:", in: "Where:"), "")
        XCTAssertEqual(Builder.field("Where:", in: "Where:é"), "é")
        // ":" and a combining acute accent are one Character, not the field's colon.
        XCTAssertNil(Builder.field("Where:", in: "Where:\u{301} laptop"))
        XCTAssertNil(Builder.field("Where:", in: "Wher"))
        XCTAssertNil(Builder.field("Where:", in: "where: laptop"))
        XCTAssertEqual(Builder.indent(of: "  \tx"), 3)
        XCTAssertEqual(Builder.indent(of: "  é"), 2)
        XCTAssertEqual(Builder.indent(of: " \u{301}x"), 0, "a space with a combining mark is no space")
        XCTAssertEqual(Builder.indent(of: ""), 0)
    }

    func testTwoByteOrderMarksAreBothDroppedAsBefore() throws {
        // String(data:encoding: .utf8) dropped the first mark, `read` the second.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        XCTAssertEqual(try SourceFile.read(write("two.md", bom + bom + Array("# T\n".utf8))), "# T\n")
        XCTAssertEqual(try SourceFile.read(write("one.md", bom + Array("# T\n".utf8))), "# T\n")
        XCTAssertEqual(try SourceFile.read(write("three.md", bom + bom + bom + Array("# T\n".utf8))), "\u{FEFF}# T\n")
        XCTAssertEqual(try SourceFile.read(write("inside.md", Array("# T ".utf8) + bom)), "# T \u{FEFF}")
    }

    func testAFileOfExactlyTheLimitIsRead() throws {
        let line = Array("# Title\n".utf8)
        var bytes = line
        while bytes.count < SourceFile.maximumSize { bytes.append(UInt8(ascii: "a")) }
        XCTAssertEqual(try SourceFile.read(write("limit.md", bytes)).utf8.count, SourceFile.maximumSize)
        XCTAssertThrowsError(try SourceFile.read(write("over.md", bytes + [UInt8(ascii: "a")])))
    }

    func testInvalidUTF8AndNULAreRefusedAsBefore() throws {
        let truncated = try write("truncated.md", Array("# T\n".utf8) + [0xE2, 0x82])
        XCTAssertThrowsError(try SourceFile.read(truncated)) { XCTAssertEqual($0 as? RunbookFileError, .notUTF8(truncated)) }
        let surrogate = try write("surrogate.md", Array("# T\n".utf8) + [0xED, 0xA0, 0x80])
        XCTAssertThrowsError(try SourceFile.read(surrogate)) { XCTAssertEqual($0 as? RunbookFileError, .notUTF8(surrogate)) }
        let nul = try write("nul.md", Array("# T\n".utf8) + [0, 0xFF])
        XCTAssertThrowsError(try SourceFile.read(nul)) { XCTAssertEqual($0 as? RunbookFileError, .binary(nul)) }
    }

    // MARK: Lines and headings

    /// The split the parser used before: the UTF-8 view's generic `split`.
    private func linesAsBefore(_ source: String) -> [String] {
        var lines = source.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    func testLinesAreCutAsBefore() {
        let sources = ["", "\n", "\r", "\r\n", "a", "a\n", "a\n\n", "a\n\r", "a\r\n\r\n", "\r\r\n", "a\rb\n", "é\r\nñ", "\n\n\n", "x\n\r\n\ty  \r\n",
                       "# Ünïcode\r\n## Schritt {#s1}\r\n"]
        for source in sources {
            XCTAssertEqual(RunbookParser.splitLines(source), linesAsBefore(source), "\(Array(source.utf8))")
        }
    }

    func testHeadingsOnBytesAsOnCharacters() {
        let cases: [(String, (Int, String, Int)?)] = [
            ("# Title", (1, "Title", 1)), ("   ## Step {#s1}  ", (2, "Step {#s1}", 4)), ("    ## code", nil),
            ("## Step ##", (2, "Step", 1)), ("## C#", (2, "C#", 1)), ("##\tTabbed\t#", (2, "Tabbed", 1)), ("###", (3, "", 1)),
            ("## ##", (2, "", 1)), ("#######", nil), ("#NoSpace", nil), ("## Step  # ", (2, "Step", 1)), ("##", (2, "", 1)),
            ("## Schritt über {#s2}", (2, "Schritt über {#s2}", 1)), ("## Café #", (2, "Café", 1)),
        ]
        for (line, expected) in cases {
            let found = Builder.heading(line)
            XCTAssertEqual(found?.0, expected?.0, line)
            XCTAssertEqual(found?.1, expected?.1, line)
            XCTAssertEqual(found?.2, expected?.2, line)
        }
    }

    func testCRLFTabsCommentsFencesAndNonASCIIParseAsLF() {
        let text = """
            # Wartung über Nacht

            Tags: ops, nacht

            ## Variables

            - `HOST`: the host

            ## Schritt eins: prüfen {#eins}
            Where:\tthe server <!-- a comment -->
            <!-- a comment
            over lines -->
            Check {{HOST}}.

            ```sh run
            echo {{HOST}}
            ```

            Expect: `ok`
              and more.
            Next: #zwei

            ## Zwei ##
            Where: here
            Choose: which?
            - `y`: yes → #end
            - `n`: no -> #eins

            ```sh
            ## not a heading
            ```
            """
        let lf = RunbookParser.parse(source: text, id: "x")
        let crlf = RunbookParser.parse(source: text.replacingOccurrences(of: "\n", with: "\r\n"), id: "x")
        XCTAssertEqual(crlf, lf)
        XCTAssertEqual(lf.title, "Wartung über Nacht")
        XCTAssertEqual(lf.tags, ["ops", "nacht"])
        XCTAssertEqual(lf.steps.map(\.id), ["eins", "zwei"])
        XCTAssertEqual(lf.steps.map(\.title), ["Schritt eins: prüfen", "Zwei"])
        XCTAssertEqual(lf.steps[0].wheres.map(\.value), ["the server"])
        XCTAssertEqual(lf.steps[0].expects.map(\.value), ["`ok` and more."])
        XCTAssertEqual(lf.steps[0].references.map(\.value), ["HOST", "HOST"])
        XCTAssertEqual(lf.steps[0].nexts.map(\.value), ["#zwei"])
        XCTAssertEqual(lf.steps[0].runBlock?.lines, ["echo {{HOST}}"])
        XCTAssertEqual(lf.steps[1].choice?.options.map(\.target.value), ["end", "eins"])
        XCTAssertEqual(lf.steps[1].actions.first?.lines, ["## not a heading"])
        XCTAssertEqual(lf.digest, crlf.digest)
        XCTAssertFalse(lf.steps[0].digest.isEmpty)
    }

    // MARK: Code block info words

    func testInfoWordsOnBytesAsOnCharacters() {
        let cases: [(String, String, Bool)] = [
            ("sh run", "run", true), ("sh\trun", "run", true), ("run", "run", true), ("  sh  run  ", "run", true),
            ("shrun", "run", false), ("sh running", "run", false), ("", "run", false), ("sh run\u{301}", "run", false),
            ("bash run é", "run", true), ("é run", "run", true), ("sh check", "check", true), ("output", "output", true),
            ("run \u{301}x", "run", false),
        ]
        for (info, word, expected) in cases {
            XCTAssertEqual(info.split(whereSeparator: { $0 == " " || $0 == "\t" }).contains(Substring(word)), expected, info)
            let found = switch word {
            case "run": CodeBlock.info(info, hasWord: "run")
            case "check": CodeBlock.info(info, hasWord: "check")
            default: CodeBlock.info(info, hasWord: "output")
            }
            XCTAssertEqual(found, expected, info)
        }
    }

    // MARK: Byte search

    /// The offsets a plain walk over the bytes finds.
    private func offsetAsBefore(_ pattern: String, in text: String, from start: Int) -> Int? {
        let bytes = Array(text.utf8), target = Array(pattern.utf8)
        var index = start
        while index + target.count <= bytes.count {
            if Array(bytes[index..<(index + target.count)]) == target { return index }
            index += 1
        }
        return nil
    }

    func testByteSearchFindsWhatAWalkFinds() {
        let texts = ["", "<", "<!-", "<!--", "a<!--b", "<<!--", "<!-<!--", "é<!--ü", "x <!- y <!--", "{", "{{", "a{b{{c", "{{{", "é{{NAME}}"]
        for text in texts {
            for start in 0...text.utf8.count {
                XCTAssertEqual(text.utf8Offset(of: "<!--", from: start), offsetAsBefore("<!--", in: text, from: start), "\(text) from \(start)")
                XCTAssertEqual(text.utf8Offset(of: "{{", from: start), offsetAsBefore("{{", in: text, from: start), "\(text) from \(start)")
                XCTAssertEqual(Substring(text).utf8Offset(of: "{{", from: start), offsetAsBefore("{{", in: text, from: start), "\(text) from \(start)")
            }
        }
    }

    // MARK: Step as a value

    func testAStepCopyChangesAlone() {
        var step = Step(id: "a", title: "A", location: SourceLocation(line: 1, column: 1), prose: ["one"])
        let copy = step
        step.prose.append("two")
        step.id = "b"
        XCTAssertEqual(copy.prose, ["one"])
        XCTAssertEqual(copy.id, "a")
        XCTAssertEqual(step.prose, ["one", "two"])
        XCTAssertNotEqual(step, copy)
        let same = Step(id: "a", title: "A", location: SourceLocation(line: 1, column: 1), prose: ["one"])
        XCTAssertEqual(same, copy)
        XCTAssertEqual(Set([same, copy]).count, 1)
    }

    // MARK: Several threads

    func testConcurrentMapKeepsOrder() {
        let items = (0..<2_000).map { $0 * 7 % 13 }
        let expected = items.map { String(repeating: "x", count: $0) }
        for threads in [1, 2, 3, 8] {
            XCTAssertEqual(Concurrent.map(items.count, threads: threads) { String(repeating: "x", count: items[$0]) }, expected)
        }
        XCTAssertEqual(Concurrent.map(0, threads: 4) { $0 }, [])
        XCTAssertEqual(Concurrent.map(1, threads: 4) { $0 + 1 }, [1])
    }

    /// `lint` of a folder on several threads gives what one thread gives: each file parsed in turn,
    /// unreadable ones reported, the runbooks linted together.
    func testParallelLintGivesTheSequentialResult() throws {
        for index in 0..<240 {
            let name = "r\(index % 9)/book-\(index).md"
            switch index % 6 {
            case 0: try write(name, [0x23, 0x20, 0x54, 0x0A, 0, 1])  // binary
            case 1: try write(name, Array("# T\n".utf8) + [0xC3])  // not UTF-8
            case 2: try write(name, Array("# Book \(index)\n\n## Step {#s}\nWhere: here\n\nDo it.\n\n## Step {#s}\nWhere: there\n\nDo {{NOPE}}.\nNext: s\n".utf8))
            case 3: try write("dup/book-\(index - 1).md", Array("# Same id\n\n## One\nWhere: here\n\nExpect: ok\n".utf8))
            case 4: try write(name, Array("\r\n".utf8))
            default: try write(name, Array("# Fine \(index)\r\n\r\n## One {#one}\r\nWhere: here\r\n\r\n```sh\r\necho\r\n```\r\n\r\nExpect: ok\r\nNext: #gone\r\n".utf8))
            }
        }
        let result = try Linter().lint(paths: [], folder: folder)

        let (files, scanFailures) = try RunbookCatalog.scan(folder)
        var diagnostics = scanFailures.map(Self.fileDiagnostic)
        var runbooks: [Runbook] = []
        for file in files {
            do { runbooks.append(try RunbookParser.parse(contentsOf: file, digests: false)) } catch { diagnostics.append(Self.fileDiagnostic(error)) }
        }
        var linter = Linter()
        let catalog = Set(files.map(SourceFile.id(ofPath:)))
        linter.catalogRules = linter.catalogRules.map { $0 is HandOffTargetRule ? HandOffTargetRule(catalog: catalog) : $0 }
        let expected = Diagnostic.sorted(diagnostics + linter.lint(runbooks))

        XCTAssertEqual(result.files, files.count)
        XCTAssertEqual(result.diagnostics, expected)
        XCTAssertTrue(Set(result.diagnostics.map(\.rule)).isSuperset(of: ["file", "duplicate-step", "duplicate-id", "undeclared-variable", "unknown-target"]), "\(Set(result.diagnostics.map(\.rule)))")
        // The rules across runbooks read what lint keeps of each file: a hand-off's hint names the step.
        XCTAssertTrue(result.diagnostics.contains { $0.message.contains("hands off to s,") && $0.message.contains("a step of this runbook is written #s") })
    }

    func testParallelOutlinesKeepPathOrderAndFailures() throws {
        for index in 0..<120 {
            try write(String(format: "b-%03d.md", index), index % 10 == 3 ? [0xFF] : Array("# Book \(index)\n\nTags: t\(index % 3)\n\n## One\nWhere: here\n".utf8))
        }
        let catalog = try RunbookCatalog.load(folder: folder, outline: true)
        let files = try RunbookCatalog.files(in: folder)
        var expected: [Runbook] = []
        var failures: [RunbookFileError] = []
        for file in files {
            do { expected.append(try RunbookParser.outline(contentsOf: file)) } catch { failures.append(error) }
        }
        XCTAssertEqual(catalog.runbooks, expected.sorted { ($0.id, $0.path) < ($1.id, $1.path) })
        XCTAssertEqual(catalog.failures, failures)
        XCTAssertEqual(failures.count, 12)
    }

    private static func fileDiagnostic(_ error: RunbookFileError) -> Diagnostic {
        let prefix = error.path + ": "
        let message = error.description.hasPrefix(prefix) ? String(error.description.dropFirst(prefix.count)) : error.description
        return Diagnostic(path: error.path, location: SourceLocation(line: 1, column: 1), severity: .error, message: message, rule: "file")
    }
}
