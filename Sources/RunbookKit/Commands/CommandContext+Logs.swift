import RunbookModel
import RunbookRun
import RunbookSupport

extension CommandContext {
    /// Says first that a log was changed after it was written: on standard output's first line, or on
    /// standard error when standard output is JSON. True when it was.
    func warnBroken(_ log: EventLog, run: String, json: Bool) -> Bool {
        guard let problem = log.chainProblem() else { return false }
        let message = "\(log.path): \(problem); the log was changed after it was written: what follows is what it says now, "
            + "not surely what happened (`runbook verify \(run)`)"
        if json {
            warn("runbook: error: " + message)
        } else {
            out("BROKEN LOG: " + message)
        }
        return true
    }

    func warnTorn(_ log: EventLog) {
        if log.tornBytes > 0 {
            warn("runbook: note: ignoring a torn last line of \(log.tornBytes) bytes in \(log.path) (a write cut short by a crash, never acknowledged)")
        }
    }

    /// Every readable run, each unreadable one reported on standard error as `level` (error or warning).
    func allRuns(reporting level: String) throws -> (runs: [RunState], failed: Bool) {
        let (runs, failures) = try store.all()
        for failure in failures { warn("runbook: \(level): \(failure.description)") }
        return (runs, !failures.isEmpty)
    }
}
