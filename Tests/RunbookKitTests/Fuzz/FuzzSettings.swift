import Foundation

/// How much to fuzz: a few seconds under `swift test`, more with `RUNBOOK_FUZZ=N` (cases per target).
///
/// `RUNBOOK_FUZZ_SEED` picks other cases; `RUNBOOK_FUZZ_CASE=K` replays case K of that seed alone.
/// Failing inputs are saved under the temporary folder's `runbook-fuzz-failures/`.
enum FuzzSettings {
    static let environment = ProcessInfo.processInfo.environment
    static let defaultCount = 150
    static let count = environment["RUNBOOK_FUZZ"].flatMap(Int.init) ?? defaultCount
    static let seed = environment["RUNBOOK_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x0DD_F00D_2026
    static let onlyCase = environment["RUNBOOK_FUZZ_CASE"].flatMap(Int.init)
    /// A long run also makes longer lines and larger hostile files.
    static var isLong: Bool { count > defaultCount * 4 }

    /// How many times slower than a normal file of its size a case may be before it counts as non-linear.
    ///
    /// Far above any noise of a loaded machine; a quadratic scan of a long line is thousands of times slower.
    static let slowdownAllowed = 100.0
    /// Seconds every case may take whatever its size: a descheduled process is not a finding.
    static let floorSeconds = 0.5

    /// The case indexes to run.
    static var cases: [Int] { onlyCase.map { [$0] } ?? Array(0..<count) }

    /// Where a failing input is kept for replay.
    static func save(_ bytes: [UInt8], name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-fuzz-failures")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try? Data(bytes).write(to: url)
        return url.path
    }

    /// Seconds `body` took.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The least of `tries` timings: noise adds time, a slow algorithm is slow every time.
    static func leastTime(tries: Int, _ body: () throws -> Void) rethrows -> Double {
        var least = Double.infinity
        for _ in 0..<tries { least = min(least, try time(body)) }
        return least
    }
}
