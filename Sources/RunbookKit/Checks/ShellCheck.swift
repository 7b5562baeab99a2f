import RunbookModel
import RunbookRun
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs an `sh check` under `/bin/sh` with a time limit.
enum ShellCheck {
    static func run(_ script: String, environment: [String: String], timeout: Double) -> CheckResult {
        // A C string ends at a NUL: `a\0b` would reach the shell as `a`, and a check could pass on it.
        if let name = environment.keys.sorted().first(where: { environment[$0]!.utf8.contains(0) }) {
            return .fail("the value of \(program: name) holds a NUL character, which a shell cannot be given; set \(program: name) again")
        }
        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        switch ChildProcess.run("/bin/sh", arguments: ["-c", script], environment: merged, mergingErrors: true,
                                outputLimit: 8 << 20, timeout: timeout) {
        case .failure(.cannotRun(let reason)):
            return .fail(Text(reason, source: .program))
        case .failure(.interrupted):
            return .fail("the sh check was \(program: LiveCheckRunner.interrupted)")
        case .failure(.timedOut):
            return .fail("the sh check did not finish within \(program: LiveCheckRunner.seconds(timeout)) (timed out)")
        case .success(let outcome):
            if outcome.overflowed { return .fail("the sh check wrote more than 8 MiB, and was stopped: write less, or to a file") }
            if outcome.status == 0 && !outcome.signalled { return .pass("passed: sh exited 0") }
            // The last line it wrote, on screen only (masked, then cut); the log keeps how it ended.
            let last = String(decoding: outcome.output, as: UTF8.self).split(separator: "\n").last.map { String($0.suffix(4096)) } ?? ""
            let ended: Text = outcome.signalled ? "was stopped by signal \(outcome.status)" : "exited \(outcome.status)"
            return .fail("the sh check \(ended)" + (last.isEmpty ? "" : ": \(outside: last, limit: 200)"), recorded: "the sh check \(ended)")
        }
    }
}
