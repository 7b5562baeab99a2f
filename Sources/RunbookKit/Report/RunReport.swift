import Foundation

/// A run's timeline, for handover and postmortems, as Markdown or JSON; and the lines of `status` and `runs`.
public enum RunReport {
    struct StepView: Encodable {
        var id, title, `where`, status: String
        var completedAt: Date?
        var completedBy: String?
        var seconds: Int
        var reason: String?
        var notes: [String]
        var check: String?

        enum CodingKeys: String, CodingKey {
            case id, title, `where`, status, completedAt, completedBy, seconds, reason, notes, check
        }

        // Absent values are written as null, not left out: readers of the report rely on every key.
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encode(`where`, forKey: .where)
            try c.encode(status, forKey: .status)
            try c.encode(completedAt, forKey: .completedAt)
            try c.encode(completedBy, forKey: .completedBy)
            try c.encode(seconds, forKey: .seconds)
            try c.encode(reason, forKey: .reason)
            try c.encode(notes, forKey: .notes)
            try c.encode(check, forKey: .check)
        }
    }

    struct View: Encodable {
        var run, runbook, title, status, `operator`, host, timeZone: String
        var path: String
        var startedAt: Date
        var endedAt: Date?
        var abandonReason: String?
        var current: String?
        var variables: [String: String]
        var steps: [StepView]

        enum CodingKeys: String, CodingKey {
            case run, runbook, title, status, `operator`, host, timeZone, path, startedAt, endedAt, abandonReason
            case current, variables, steps
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(run, forKey: .run)
            try c.encode(runbook, forKey: .runbook)
            try c.encode(title, forKey: .title)
            try c.encode(status, forKey: .status)
            try c.encode(`operator`, forKey: .operator)
            try c.encode(host, forKey: .host)
            try c.encode(timeZone, forKey: .timeZone)
            try c.encode(path, forKey: .path)
            try c.encode(startedAt, forKey: .startedAt)
            try c.encode(endedAt, forKey: .endedAt)
            try c.encode(abandonReason, forKey: .abandonReason)
            try c.encode(current, forKey: .current)
            try c.encode(variables, forKey: .variables)
            try c.encode(steps, forKey: .steps)
        }
    }

    static func view(_ state: RunState) -> View {
        View(run: state.run, runbook: state.runbook, title: state.title, status: state.status.rawValue,
             operator: state.operatorName, host: state.host, timeZone: state.timeZone, path: state.runbookPath,
             startedAt: state.startedAt, endedAt: state.endedAt, abandonReason: state.abandonReason,
             current: state.status == .active ? state.current?.id : nil, variables: state.variables,
             steps: state.steps.map { step in
                 StepView(id: step.id, title: step.title, where: step.place, status: step.status.rawValue,
                          completedAt: step.completedAt, completedBy: step.completedBy, seconds: Int(step.seconds.rounded()),
                          reason: step.reason, notes: step.notes.map(\.text), check: step.check?.rawValue)
             })
    }

    /// The JSON report (SPEC section 7): run, runbook, title, status, startedAt, operator, steps…
    public static func json(_ state: RunState) -> String {
        JSONText.encode(view(state))
    }

    /// The JSON of several runs, for `status --json` and `runs --json`.
    public static func json(_ states: [RunState]) -> String {
        JSONText.encode(states.map(view))
    }

    /// A timeline an incident commander can paste into a postmortem.
    ///
    /// With `records` (the run's log), an "Events" section lists what happened in order: skips (kept
    /// even when `back` reopened the step), pauses, resumes (a handover shows as another operator or
    /// host), check failures, the end.
    public static func markdown(_ state: RunState, records: [EventRecord] = []) -> String {
        func time(_ date: Date?) -> String { date.map(Self.time) ?? "" }
        func cell(_ text: String) -> String { text.replacingAll("|", with: "\\|").replacingAll("\n", with: " ") }
        var lines = ["# Run \(state.run): \(state.title)", ""]
        lines.append("- Runbook: `\(state.runbook)`" + (state.runbookPath.isEmpty ? "" : " (\(state.runbookPath))"))
        lines.append("- Status: **\(state.status.rawValue)**" + (state.abandonReason.map { ": \($0)" } ?? ""))
        lines.append("- Started: \(time(state.startedAt)) by \(state.operatorName) on \(state.host) (time zone \(state.timeZone))")
        if let ended = state.endedAt {
            lines.append("- Ended: \(time(ended)), \(Elapsed.describe(ended.timeIntervalSince(state.startedAt))) after the start")
        }
        let pending = state.steps.count - state.doneCount - state.skippedCount
        lines.append("- Steps: \(state.doneCount) done, \(state.skippedCount) skipped, \(pending) pending")
        if state.status == .active, let index = state.currentIndex {
            lines.append("- Next: step \(index + 1), \(state.steps[index].title) (\(state.steps[index].place))")
        }
        lines += ["", "## Timeline", "", "| # | Step | Where | Status | When (UTC) | Who | Took | Check |",
                  "|---|---|---|---|---|---|---|---|"]
        for (index, step) in state.steps.enumerated() {
            let took = step.status == .pending ? "" : Elapsed.describe(step.seconds)
            lines.append("| \(index + 1) | \(cell(step.title)) | \(cell(step.place)) | \(step.status.rawValue) | "
                         + "\(time(step.completedAt)) | \(cell(step.completedBy ?? "")) | \(took) | \(step.check?.rawValue ?? "") |")
        }
        let remarks = state.steps.enumerated().flatMap { index, step -> [String] in
            var items: [String] = []
            if let reason = step.reason { items.append("- Step \(index + 1) (\(step.title)) skipped: \(reason)") }
            if step.check == .failed, let failure = step.checkFailure {
                items.append("- Step \(index + 1) (\(step.title)) check failed: \(failure)")
            }
            for note in step.notes {
                items.append("- Step \(index + 1) (\(step.title)), note by \(note.by) at \(time(note.at)): \(note.text)")
            }
            return items
        }
        if !remarks.isEmpty { lines += ["", "## Notes and skip reasons", ""] + remarks }
        let events = records.compactMap { record in
            happening(record.event, titles: state).map { "- \(time(record.at)) \(record.operatorName)@\(record.host): \($0)" }
        }
        if !events.isEmpty { lines += ["", "## Events", ""] + events }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What an event means for the timeline; nil for the step events the table already shows.
    static func happening(_ event: RunEvent, titles state: RunState) -> String? {
        func title(_ id: String) -> String { state.steps.first { $0.id == id }?.title ?? id }
        switch event {
        case .runStarted(let start): return "started \(start.runbook) (\(start.steps.count) steps)"
        case .variableRecorded(let name, let value): return "\(name) = \(value)"
        case .stepReopened(let id): return "went back to \(title(id))"
        case .stepSkipped(let id, let reason): return "skipped \(title(id)): \(reason)"
        case .choiceMade(let id, let option, let target, let reason):
            let to = target == ChoiceOption.end ? "the end" : title(target)
            return "at \(title(id)) chose `\(option)` → \(to)" + (reason.map { " (the step skipped: \($0))" } ?? "")
        case .checkFailed(let id, let reason): return "check of \(title(id)) failed: \(reason)"
        case .runPaused(let reason):
            switch reason {
            case .quit: return "paused (quit)"
            case .inputEnded: return "paused (input ended)"
            case .interrupted: return "paused (interrupted)"
            }
        case .runResumed: return "resumed"
        case .runCompleted: return "completed"
        case .runAbandoned(let reason): return "abandoned: \(reason)"
        case .stepCompleted, .noteAdded, .checkPassed: return nil
        }
    }

    /// `2026-11-28 03:04:05 UTC`.
    static func time(_ date: Date) -> String {
        let formatted = LogLine.dateStyle.format(date)
        return formatted.prefix(10) + " " + formatted.dropFirst(11).prefix(8) + " UTC"
    }

    /// One line per run for `runs` and `status`: name, runbook, status, position, last activity.
    public static func line(_ state: RunState) -> String {
        let position: String
        switch state.status {
        case .completed: position = "completed"
        case .abandoned: position = "abandoned: \(state.abandonReason ?? "")"
        case .active:
            if let index = state.currentIndex, let step = state.position {
                position = "\(step): \(state.steps[index].title) [\(state.steps[index].place)]"
            } else {
                position = "all steps done"
            }
        }
        return "\(state.run)  \(state.runbook)  \(position)  (last activity \(time(state.lastEventAt)) by \(state.operatorName))"
    }
}
