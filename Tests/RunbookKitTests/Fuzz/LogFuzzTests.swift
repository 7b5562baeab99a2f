import Foundation
import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// Seeded fuzzing of the log reader and the reducer, on mutations of real logs.
///
/// Invariants, for every mutated log: no crash; reading never changes the file; a log whose chain is
/// broken anywhere but a torn tail is never opened for appending, and a refused open leaves it as it
/// was; a log that opens is a clean chain whose events are legal (the run named after its file, whole
/// numbers, real UTC times, no value of a secret variable), and an append to it reads back clean; every
/// read is linear (at most `FuzzSettings.slowdownAllowed` times slower than a normal log of its size).
final class LogFuzzTests: XCTestCase {
    private var folder = ""
    private var store: RunStore { RunStore(folder: folder) }
    private static let run = "case"

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-logfuzz-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/runs", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Real logs, written by the writer: walks of a shipped runbook that complete, pause and are abandoned,
    /// and a walk of the incident tree that chooses, goes back over a choice and chooses again.
    private func seedLogs() throws -> [[UInt8]] {
        func shipped(_ name: String) throws -> Runbook {
            try XCTUnwrap(RunbookFuzzTests.seeds.first { $0.name == name }.map {
                RunbookParser.parse(source: String(decoding: $0.bytes, as: UTF8.self), id: "seed", path: "runbooks/seed.md")
            })
        }
        let runbook = try shipped("smt-jwt-status.md")
        let tree = try shipped("incident-smt-auth.md")
        var start = RunStart(run: Self.run, runbook: runbook)
        start.secrets = ["TOKEN"]
        let steps = runbook.steps.map(\.id)
        var clock = 0.0
        func at(_ event: RunEvent) -> EventRecord {
            clock += 7.25
            return EventRecord(event, at: Date(timeIntervalSince1970: 1_800_000_000 + clock), timeZone: "Europe/Paris",
                               operatorName: clock > 40 ? "sam" : "dana", host: "laptop-7")
        }
        var walked: [RunEvent] = [.runStarted(start), .variableRecorded(name: "BASE_URL", value: "https://intelliwatt.com")]
        // A decision step is finished by its first option (the way that stays in this runbook).
        func finished(_ index: Int) -> RunEvent {
            guard let option = runbook.steps[index].choice?.options.first else { return .stepCompleted(step: steps[index]) }
            return .choiceMade(step: steps[index], option: option.key, target: option.target.value, skipReason: nil)
        }
        for (index, step) in steps.enumerated() {
            if index == 1 { walked += [.noteAdded(step: step, text: "proxy \"was\" down\nsince 02:00"), .checkFailed(step: step, reason: "expected status 501, got 200")] }
            if index == 2 { walked += [.runPaused(reason: .quit), .runResumed(runbookDigest: runbook.digest, steps: start.steps, secrets: ["TOKEN"])] }
            walked.append(index == 2 ? .stepSkipped(step: step, reason: "done by | Sam") : finished(index))
            if index == 1 { walked += [.stepReopened(step: step), .checkPassed(step: step), finished(index)] }
        }
        let branched: [RunEvent] = [
            .runStarted(RunStart(run: Self.run, runbook: tree)), .stepCompleted(step: "identify-caller"),
            .choiceMade(step: "check-stub", option: "ok", target: "ssh-droplet", skipReason: nil),
            .choiceMade(step: "ssh-droplet", option: "refused", target: "ssh-unreachable", skipReason: nil),
            .stepReopened(step: "ssh-droplet"),
            .choiceMade(step: "ssh-droplet", option: "in", target: "check-settings", skipReason: "seen by Sam"),
            .runPaused(reason: .quit),
        ]
        let scripts: [[RunEvent]] = [
            walked + [.runCompleted],
            Array(walked.prefix(6)) + [.runPaused(reason: .interrupted)],
            Array(walked.prefix(4)) + [.runAbandoned(reason: "wrong runbook")],
            branched,
        ]
        var logs: [[UInt8]] = []
        for script in scripts {
            try? FileManager.default.removeItem(atPath: store.logPath(of: Self.run))
            let writer = try store.create(Self.run)
            for event in script { try writer.append(at(event)) }
            writer.close()
            logs.append([UInt8](try Data(contentsOf: URL(fileURLWithPath: store.logPath(of: Self.run)))))
        }
        return logs
    }

    /// Lines rechained after an edit, as a forger who can write the file would: every `seq` and `prev` recomputed.
    static func rechained(_ lines: [String]) -> [String] {
        var previous = String(repeating: "0", count: 64)
        return lines.enumerated().map { index, line in
            var fixed = line
            if let start = fixed.range(of: #""prev":""#), fixed.distance(from: start.upperBound, to: fixed.endIndex) >= 64 {
                let end = fixed.index(start.upperBound, offsetBy: 64)
                fixed.replaceSubrange(start.upperBound..<end, with: previous)
            }
            if let start = fixed.range(of: #""seq":"#) {
                let end = fixed[start.upperBound...].firstIndex { !$0.isNumber } ?? fixed.endIndex
                fixed.replaceSubrange(start.upperBound..<end, with: String(index + 1))
            }
            previous = SHA256.hex(fixed)
            return fixed
        }
    }

    /// Values a forger might put in a field, by key; any key also gets the common ones.
    static let forgedValues: [String: [String]] = [
        "v": ["0", "1.0", "1e0", "-1", "2", "99999999999999999999", "\"1\""],
        "seq": ["0", "1.0", "3e0", "-1"],
        "at": ["\"2026-02-30T99:00\"", "\"2026-02-30T09:00:00.000Z\"", "\"2027-01-15T08:00:00Z\"", "\"2027-01-15T24:00:00.000Z\"",
               "\"2027-01-15T08:00:00.000+01:00\"", "\"2025-02-29T00:00:00.000Z\""],
        "run": ["\"r2\"", "\"case.x\"", "\"../case\""],
        "name": ["\"TOKEN\"", "\"token\"", "\"\""],
        "tz": ["\"\"", "\"a\\nb\"", "\"\\u001b[31m\""],
        "operator": ["\"\"", "\"a\\nb\"", "\"\\u001b[31m\""],
        "host": ["\"a\\rb\"", "\"\\u0007\""],
        "event": ["\"runCompleted\"", "\"stepCompleted\"", "\"variableRecorded\"", "\"runStarted\"", "\"runResumed\""],
        "runbookDigest": ["\"rd\"", "\"" + String(repeating: "F", count: 64) + "\""],
        "runbook": ["\"../etc\"", "\"Seed\""],
        "secrets": ["[]", "[\"BASE_URL\"]", "[\"bad name\"]"],
        "step": ["\"\"", "\"nope\""],
        "extra": ["1"],
    ]
    static let commonValues = ["\"\"", "\"x\"", "null", "true", "[]", "{}", "0", "[{\"id\":\"x\"}]"]

    /// An edit that keeps the chain valid: a field's value changed, a line copied or moved, a secret recorded.
    private static func forge(_ bytes: [UInt8], random: inout SeededRandom) -> ([UInt8], String) {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        guard !lines.isEmpty else { return (bytes, "nothing to forge") }
        let index = random.below(lines.count)
        var what: String
        switch random.below(5) {
        case 0, 1:
            let keys = Array(forgedValues.keys).sorted() + ["value", "reason", "text", "steps", "title", "path"]
            let key = random.pick(keys)
            let value = random.pick((forgedValues[key] ?? []) + (random.oneIn(4) ? commonValues : []) + (forgedValues[key] == nil ? commonValues : []))
            if let start = lines[index].range(of: "\"\(key)\":") {
                // Replace the raw value up to the next top-level comma or the end: good enough for flat fields.
                let rest = lines[index][start.upperBound...]
                var end = rest.startIndex
                var depth = 0, inString = false, escaped = false
                while end < rest.endIndex {
                    let c = rest[end]
                    if inString {
                        if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                    } else if c == "\"" { inString = true } else if c == "[" || c == "{" { depth += 1 } else if c == "]" || c == "}" {
                        if depth == 0 { break }
                        depth -= 1
                    } else if c == ",", depth == 0 { break }
                    end = rest.index(after: end)
                }
                lines[index].replaceSubrange(start.upperBound..<end, with: value)
                what = "set \(key) to \(value) on line \(index + 1)"
            } else {
                lines[index].insert(contentsOf: "\"\(key)\":\(value),", at: lines[index].index(after: lines[index].startIndex))
                what = "add \(key): \(value) to line \(index + 1)"
            }
        case 2:
            lines.insert(lines[index], at: random.below(lines.count + 1))
            what = "copy line \(index + 1)"
        case 3:
            let line = lines.remove(at: index)
            lines.insert(line, at: random.below(lines.count + 1))
            what = "move line \(index + 1)"
        default:
            let recorded = lines.first { $0.contains("\"event\":\"variableRecorded\"") } ?? lines[0]
            lines.insert(recorded.replacingOccurrences(of: "BASE_URL", with: "TOKEN"), at: min(index + 1, lines.count))
            what = "record TOKEN after line \(index + 1)"
        }
        return (Array((rechained(lines).joined(separator: "\n") + "\n").utf8), "forge: " + what)
    }

    /// What must hold of a log that reads as legal: checked from its text, apart from the code that read it.
    private static func illegalities(_ bytes: [UInt8], state: RunState) -> [String] {
        var problems: [String] = []
        if state.run != run { problems.append("the run is named \(state.run), the file \(run)") }
        for name in state.variables.keys where state.secretNames.contains(name) || name == "TOKEN" {
            problems.append("the secret variable \(name) has a recorded value")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            // JSON allows spaces between tokens (an edit of the last line can add some, unseen by the chain).
            let line = String(line)
            func holds(_ pattern: String) -> Bool { line.range(of: pattern, options: .regularExpression) != nil }
            if !holds(#""v"\s*:\s*1\s*[,}]"#) { problems.append("line \(number + 1): `v` is not 1") }
            if !holds(#""seq"\s*:\s*\#(number + 1)\s*[,}]"#) { problems.append("line \(number + 1): `seq` is not \(number + 1)") }
            guard let at = line.range(of: #""at"\s*:\s*""#, options: .regularExpression) else {
                problems.append("line \(number + 1): no `at`")
                continue
            }
            let time = String(line[at.upperBound...].prefix(24))
            let digits = time.split(whereSeparator: { "-T:.Z".contains($0) }).compactMap { Int($0) }
            let shaped = time.count == 24 && time.hasSuffix("Z") && digits.count == 7
            let valid = shaped && DateComponents(calendar: calendar, year: digits[0], month: digits[1], day: digits[2], hour: digits[3],
                                                 minute: digits[4], second: digits[5]).isValidDate
            if !valid { problems.append("line \(number + 1): `at` \(time) is not a real UTC time") }
        }
        return problems
    }

    /// Reads, reports, lists, then opens and appends: what every command does with a log. Returns the problems found.
    private func exercise(_ bytes: [UInt8]) throws -> (problems: [String], opened: Bool, tampered: Bool) {
        let path = store.logPath(of: Self.run)
        let url = URL(fileURLWithPath: path)
        try Data(bytes).write(to: url)
        var problems: [String] = []
        func unchanged(_ what: String) throws {
            if [UInt8](try Data(contentsOf: url)) != bytes { problems.append("\(what) changed the log") }
        }
        let log = try? EventLog.read(path)
        try unchanged("reading")
        let state = try? log?.state()
        if let log, let state {
            _ = RunReport.markdown(state, records: log.records)
            _ = RunReport.json(state)
            _ = RunReport.line(state)
            _ = RunbookChanges(from: state.steps.map(\.record), to: [])
        }
        _ = try? store.all()
        _ = try? store.log(of: Self.run).chainProblem()
        try unchanged("reports and listings")

        let tampered = log?.chainProblem() != nil
        guard let (writer, opened, openedState, cut) = try? store.open(Self.run) else {
            try unchanged("a refused open")
            return (problems, false, tampered)
        }
        defer { writer.close() }
        if tampered { problems.append("a log whose chain is broken was opened for appending: \(log?.chainProblem() ?? "")") }
        if opened.chainProblem() != nil { problems.append("opened with a broken chain") }
        let kept = Array(bytes.prefix(bytes.count - cut))
        if [UInt8](try Data(contentsOf: url)) != kept { problems.append("opening changed more than the torn tail") }
        problems += Self.illegalities(kept, state: openedState)
        if openedState.status == .active {
            let note = EventRecord(.runPaused(reason: .quit), at: Date(timeIntervalSince1970: 1_900_000_000), operatorName: "fuzz", host: "h")
            try writer.append(note)
            writer.close()
            let after = try? EventLog.read(path)
            if after?.chainProblem() != nil || after?.records.count != opened.records.count + 1 || (try? after?.state()) == nil {
                problems.append("an append to a clean log does not read back clean")
            }
        }
        return (problems, true, tampered)
    }

    func testMutatedLogsAreNeverChangedByReadingNorAppendedToWhenTampered() throws {
        let seeds = try seedLogs()
        var rate = 0.0
        for seed in seeds {
            let seconds = try FuzzSettings.leastTime(tries: 5) { _ = try exercise(seed) }
            rate = max(rate, seconds / Double(seed.count))
            XCTAssertEqual(try exercise(seed).problems, [], "a seed log itself")
            XCTAssertTrue(try exercise(seed).opened, "a seed log must open")
        }
        let longLines = FuzzSettings.isLong ? 1_000...200_000 : 1_000...20_000
        var failures: [String] = []
        var opened = 0, tamperedRefused = 0, unreadable = 0, forged = 0, slowest = 0.0
        for index in FuzzSettings.cases {
            var random = SeededRandom(seed: FuzzSettings.seed ^ 0x10C &+ UInt64(index))
            let seed = seeds[index % seeds.count]
            var bytes: [UInt8]
            var edits: [String]
            switch random.below(6) {
            case 0, 1:
                let (forgedBytes, what) = Self.forge(seed, random: &random)
                (bytes, edits) = (forgedBytes, [what])
                forged += 1
            case 2:
                // A crash mid-write: the log cut at any byte, a torn tail the next walk cuts off.
                let length = random.below(seed.count + 1)
                (bytes, edits) = (Array(seed.prefix(length)), ["truncate at \(length)"])
            default:
                var mutator = Mutator(random: random)
                (bytes, edits) = mutator.mutate(seed, rounds: 1 + random.below(3), longLines: longLines)
            }
            var outcome: (problems: [String], opened: Bool, tampered: Bool) = ([], false, false)
            var seconds = try FuzzSettings.time { outcome = try exercise(bytes) }
            let budget = FuzzSettings.slowdownAllowed * rate * Double(max(bytes.count, seed.count)) + FuzzSettings.floorSeconds
            if seconds > budget { seconds = try FuzzSettings.leastTime(tries: 2) { _ = try exercise(bytes) } }
            var problems = outcome.problems
            if seconds > budget {
                problems.append(String(format: "took %.3f s, over the %.3f s a normal log of %d bytes may take", seconds, budget, bytes.count))
            }
            slowest = max(slowest, seconds / (rate * Double(max(bytes.count, seed.count))))
            if outcome.opened { opened += 1 } else if outcome.tampered { tamperedRefused += 1 } else { unreadable += 1 }
            if !problems.isEmpty {
                let saved = FuzzSettings.save(bytes, name: "log-case-\(index).jsonl")
                failures.append("case \(index) (seed \(FuzzSettings.seed), edits \(edits)), saved as \(saved):\n  "
                                + problems.prefix(5).joined(separator: "\n  "))
            }
        }
        print("LogFuzz: \(FuzzSettings.cases.count) cases from seed \(FuzzSettings.seed) (\(forged) forged with the chain recomputed): "
              + "\(opened) opened and appended to, \(tamperedRefused) refused as tampered, \(unreadable) refused as unreadable or illegal, "
              + String(format: "slowest %.1fx the normal rate per byte", slowest) + ", \(failures.count) failures")
        for failure in failures.prefix(10) { XCTFail(failure) }
    }
}
