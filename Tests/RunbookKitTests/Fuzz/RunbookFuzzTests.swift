import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// Seeded fuzzing of the parser and the linter, and of what show and start render.
///
/// Invariants, for every mutated runbook: no crash; every diagnostic inside the file (line within
/// 1...lineCount, column from 1 to the line's length + 1); every scan linear (a case may be at most
/// `FuzzSettings.slowdownAllowed` times slower than a normal runbook of its size).
final class RunbookFuzzTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-fuzz-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The runbooks that ship, and the skeleton of `runbook new`: the seeds every mutation starts from.
    static let seeds: [(name: String, bytes: [UInt8])] = {
        let shipped = URL(fileURLWithPath: #filePath)  // Tests/RunbookKitTests/Fuzz/RunbookFuzzTests.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("runbooks")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: shipped.path)) ?? [])
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
        return names.compactMap { name in
            (try? Data(contentsOf: shipped.appendingPathComponent(name))).map { (name, [UInt8]($0)) }
        } + [("skeleton", Array(Skeleton.text(id: "fuzz-seed").utf8))]
    }()

    /// What lint, show and start do with the file at `path`: read, parse, lint, render every step.
    @discardableResult
    static func exercise(path: String, folder: String) throws -> [Diagnostic] {
        let result = try Linter().lint(paths: [path], folder: folder)
        if let runbook = try? RunbookParser.parse(contentsOf: path) {
            _ = RunbookViews.show(runbook, style: Style(enabled: true))
            _ = RunbookViews.showJSON(runbook)
            // `list` reads only the outline: it must show exactly what the whole parse shows.
            let outline = try RunbookParser.outline(contentsOf: path)
            XCTAssertEqual(RunbookViews.list([outline], unfinished: [runbook.id]), RunbookViews.list([runbook], unfinished: [runbook.id]))
            XCTAssertEqual(RunbookViews.listJSON([outline], unfinished: []), RunbookViews.listJSON([runbook], unfinished: []))
            // As a walk shows them, with a value for every variable.
            let values = Dictionary(runbook.variables.map { ($0.name, "value-of-\($0.name)") }, uniquingKeysWith: { a, _ in a })
            for (index, step) in runbook.steps.enumerated() {
                _ = StepScreen.render(step, number: index + 1, of: runbook.steps.count,
                                      previousPlace: index > 0 ? runbook.steps[index - 1].place : nil,
                                      values: values, runbook: runbook, style: Style(enabled: false))
            }
        }
        return result.diagnostics
    }

    /// Seconds per byte of the slowest seed, unmutated: what "normal" costs here, in this build.
    private func normalRate() throws -> Double {
        var rate = 0.0
        for seed in Self.seeds {
            let path = folder + "/baseline.md"
            try Data(seed.bytes).write(to: URL(fileURLWithPath: path))
            let seconds = try FuzzSettings.leastTime(tries: 5) { try Self.exercise(path: path, folder: folder) }
            rate = max(rate, seconds / Double(seed.bytes.count))
        }
        return rate
    }

    /// The problems of one case: diagnostics outside the file.
    static func misplaced(_ diagnostics: [Diagnostic], path: String) -> [String] {
        let text = try? SourceFile.read(path)
        let lines = text.map(RunbookParser.splitLines) ?? []
        var problems: [String] = []
        for diagnostic in diagnostics {
            let location = diagnostic.location
            if diagnostic.path != path { problems.append("diagnostic for another path: \(diagnostic)") }
            if text == nil || diagnostic.rule == "file" {
                if location != SourceLocation(line: 1, column: 1) { problems.append("unreadable file reported off 1:1: \(diagnostic)") }
                continue
            }
            guard (1...max(1, lines.count)).contains(location.line) else {
                problems.append("line \(location.line) outside 1...\(lines.count): \(diagnostic)")
                continue
            }
            let length = lines.isEmpty ? 0 : lines[location.line - 1].count
            if location.column < 1 || location.column > length + 1 {
                problems.append("column \(location.column) outside 1...\(length + 1): \(diagnostic)")
            }
        }
        return problems
    }

    func testMutatedRunbooksKeepDiagnosticsInsideTheFileAndScanInLinearTime() throws {
        let rate = try normalRate()
        let longLines = FuzzSettings.isLong ? 1_000...200_000 : 1_000...20_000
        var failures: [String] = []
        var diagnosticsSeen = 0, unreadable = 0, slowest = 0.0, bytesSeen = 0
        var rules: [String: Int] = [:]
        for index in FuzzSettings.cases {
            var mutator = Mutator(random: SeededRandom(seed: FuzzSettings.seed &+ UInt64(index)))
            let seed = Self.seeds[index % Self.seeds.count]
            let (bytes, edits) = mutator.mutate(seed.bytes, rounds: 1 + mutator.random.below(4), longLines: longLines)
            let path = folder + "/case.md"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            var diagnostics: [Diagnostic] = []
            var seconds = try FuzzSettings.time { diagnostics = try Self.exercise(path: path, folder: folder) }
            let budget = FuzzSettings.slowdownAllowed * rate * Double(max(bytes.count, seed.bytes.count)) + FuzzSettings.floorSeconds
            if seconds > budget {
                // Noise does not repeat; a slow scan does.
                seconds = try FuzzSettings.leastTime(tries: 2) { try Self.exercise(path: path, folder: folder) }
            }
            var problems = Self.misplaced(diagnostics, path: path)
            if seconds > budget {
                problems.append(String(format: "took %.3f s, over the %.3f s a normal file of %d bytes may take", seconds, budget, bytes.count))
            }
            slowest = max(slowest, seconds / (rate * Double(max(bytes.count, seed.bytes.count))))
            diagnosticsSeen += diagnostics.count
            for diagnostic in diagnostics { rules[diagnostic.rule, default: 0] += 1 }
            bytesSeen += bytes.count
            if diagnostics.contains(where: { $0.rule == "file" }) { unreadable += 1 }
            if !problems.isEmpty {
                let saved = FuzzSettings.save(bytes, name: "runbook-case-\(index).md")
                failures.append("case \(index) (seed \(FuzzSettings.seed), \(seed.name), edits \(edits)), saved as \(saved):\n  "
                                + problems.prefix(5).joined(separator: "\n  "))
            }
        }
        print("RunbookFuzz: \(FuzzSettings.cases.count) cases from seed \(FuzzSettings.seed), \(bytesSeen) bytes, "
              + "\(diagnosticsSeen) diagnostics (\(rules.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))), "
              + "\(unreadable) unreadable files, "
              + String(format: "slowest %.1fx the normal rate per byte", slowest) + ", \(failures.count) failures")
        for failure in failures.prefix(10) { XCTFail(failure) }
    }
}
