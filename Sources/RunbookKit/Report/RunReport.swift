import RunbookModel
import RunbookRun
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A run's timeline, for handover and postmortems, as Markdown or JSON; and the lines of `status` and `runs`.
public enum RunReport {
    /// The JSON report (SPEC section 7) of one run, every key written in this one place; an absent value is `null`.
    static func object(_ state: RunState) -> JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func time(_ date: Date?) -> JSONValue { date.map { .string(EventRecord.stamp($0)) } ?? .null }
        let steps: [JSONValue] = state.steps.map { step in
            .object([
                "id": .string(step.id), "title": .string(step.title), "where": .string(step.place),
                "status": .string(step.status.rawValue), "completedAt": time(step.completedAt), "completedBy": text(step.completedBy),
                "seconds": .number(step.seconds.rounded()), "reason": text(step.reason), "notes": .array(step.notes.map { .string($0.text) }),
                "check": text(step.check?.rawValue), "choice": text(step.choice?.key), "bypassedBy": text(step.bypassedBy),
            ])
        }
        let choices: [JSONValue] = state.choices.map { choice in
            .object(["step": .string(choice.step), "option": .string(choice.option), "target": .string(choice.target),
                     "at": time(choice.at), "operator": .string(choice.by), "skipReason": text(choice.skipReason)])
        }
        let visits: [JSONValue] = state.visits.map { visit in
            .object(["step": .string(visit.step), "status": .string(visit.status.rawValue), "option": text(visit.option),
                     "undone": .bool(visit.undone), "at": time(visit.at), "operator": .string(visit.by),
                     "verdict": text(visit.verdict?.rawValue)])
        }
        let commands: [JSONValue] = state.commands.map { command in
            .object(["step": .string(command.step), "status": .number(Double(command.status)), "seconds": .number(Double(command.seconds)),
                     "via": text(command.via), "at": time(command.at), "operator": .string(command.by)])
        }
        var object: [String: JSONValue] = [
            "visits": .array(visits), "commands": .array(commands),
            "run": .string(state.run), "runbook": .string(state.runbook), "title": .string(state.title),
            "status": .string(state.status.rawValue), "operator": .string(state.operatorName), "host": .string(state.host),
            "timeZone": .string(state.timeZone), "path": .string(state.runbookPath), "startedAt": time(state.startedAt),
            "endedAt": time(state.endedAt), "abandonReason": text(state.abandonReason),
            "handedOffTo": state.handedOffTo.map { .object(["runbook": .string($0.runbook), "run": .string($0.run)]) } ?? .null,
            "handedOffFrom": text(state.cameFrom),
            "current": text(state.status == .active ? state.current?.id : nil),
            "variables": .object(state.variables.filter { !state.secretNames.contains($0.key) }.mapValues(JSONValue.string)), "steps": .array(steps), "choices": .array(choices),
        ]
        // Only in shared runs (SPEC 9): a report of a run walked on one laptop reads as it always did.
        if !state.handovers.isEmpty {
            object["handovers"] = .array(state.handovers.map { handover in
                .object(["at": time(handover.at), "fromOperator": .string(handover.fromOperator), "fromHost": .string(handover.fromHost),
                         "toOperator": .string(handover.toOperator), "toHost": .string(handover.toHost), "takeover": .bool(handover.takeover)])
            })
        }
        if let fork = state.fork {
            object["fork"] = .object(["run": .string(fork.run), "afterEvent": .number(Double(fork.afterEvent)), "step": text(fork.step)])
        }
        return .object(object)
    }

    /// The JSON report (SPEC section 7): run, runbook, title, status, startedAt, operator, steps, choices…
    public static func json(_ state: RunState) -> String {
        JSONText.encode(object(state))
    }

    /// The JSON of several runs, for `status --json` and `runs --json`.
    public static func json(_ states: [RunState]) -> String {
        JSONText.encode(JSONValue.array(states.map(object)))
    }

    /// A timeline an incident commander can paste into a postmortem.
    ///
    /// With `records` (the run's log), an "Events" section lists what happened in order: skips (kept
    /// even when `back` reopened the step), pauses, resumes (a handover shows as another operator or
    /// host), check failures, the end.
    public static func markdown(_ state: RunState, records: [EventRecord] = []) -> String {
        func time(_ date: Date?) -> String { date.map(Self.time) ?? "" }
        func cell(_ text: String) -> String { text.replacingEvery("|", with: "\\|").replacingEvery("\n", with: " ") }
        var lines = ["# Run \(state.run): \(state.title)", ""]
        lines.append("- Runbook: `\(state.runbook)`" + (state.runbookPath.isEmpty ? "" : " (\(state.runbookPath))"))
        lines.append("- Status: **\(state.status.rawValue)**" + (state.abandonReason.map { ": \($0)" } ?? "")
                     + (state.handedOffTo.map { " to run `\($0.run)` of `\($0.runbook)` (runbook report \($0.run))" } ?? ""))
        if let from = state.cameFrom { lines.append("- Handed off from: run `\(from)` (runbook report \(from))") }
        lines.append("- Started: \(time(state.startedAt)) by \(state.operatorName) on \(state.host) (time zone \(state.timeZone))")
        if let ended = state.endedAt {
            lines.append("- Ended: \(time(ended)), \(Elapsed.describe(ended.timeIntervalSince(state.startedAt))) after the start")
        }
        let pending = state.progress.left
        lines.append("- Steps: \(state.doneCount) done, \(state.skippedCount) skipped, \(pending) pending"
                     + (state.bypassedCount > 0 ? ", \(state.bypassedCount) bypassed" : ""))
        if let fork = state.fork {
            let at = fork.step.flatMap { id in state.index(of: id).map { "step \(state.number(of: $0)) (\(state.steps[$0].title))" } }
            lines.append("- Forked from run \(fork.run) after its event \(fork.afterEvent)" + (at.map { ", at \($0)" } ?? "")
                         + ": two walks continued it apart; both are kept")
        }
        if state.status == .active, let index = state.currentIndex {
            lines.append("- Next: step \(state.number(of: index)), \(state.steps[index].title) (\(state.steps[index].place))")
        }
        lines += ["", "## Timeline", "", "| # | Step | Where | Status | When (UTC) | Who | Took | Check |",
                  "|---|---|---|---|---|---|---|---|"]
        for (index, step) in state.steps.enumerated() {
            let took = step.status == .pending ? "" : Elapsed.describe(step.seconds)
            // A step walked on an earlier pass is never shown only as bypassed.
            let walked = step.status == .bypassed && state.visits.contains { $0.step == step.id && !$0.undone }
            lines.append("| \(state.number(of: index)) | \(cell(step.title)) | \(cell(step.place)) | "
                         + "\(step.status.rawValue)\(walked ? " (walked earlier)" : "") | "
                         + "\(time(step.completedAt)) | \(cell(step.completedBy ?? "")) | \(took) | \(step.check?.rawValue ?? "") |")
        }
        let remarks = state.steps.enumerated().flatMap { index, step -> [String] in
            var items: [String] = []
            let index = state.number(of: index)
            if let reason = step.reason { items.append("- Step \(index) (\(step.title)) skipped: \(reason)") }
            if step.check == .failed, let failure = step.checkFailure {
                items.append("- Step \(index) (\(step.title)) check failed: \(failure)")
            }
            for note in step.notes {
                items.append("- Step \(index) (\(step.title)), note by \(note.by) at \(time(note.at)): \(note.text)")
            }
            return items
        }
        if !remarks.isEmpty { lines += ["", "## Notes and skip reasons", ""] + remarks }
        func title(_ id: String) -> String {
            Self.place(id, in: state)
        }
        if !state.visits.isEmpty {
            // Every pass, in the order walked: loops and choices `back` undid show here.
            lines += ["", "## Visits", ""]
            var passes: [String: Int] = [:]
            for visit in state.visits {
                if !visit.undone { passes[visit.step, default: 0] += 1 }
                let pass = visit.undone ? 0 : passes[visit.step, default: 0]
                let number = state.index(of: visit.step).map { "Step \(state.number(of: $0))" } ?? "Step \(visit.step)"
                lines.append("- \(time(visit.at)) \(visit.by): \(number) (\(title(visit.step))) \(visit.status.rawValue)"
                             + (visit.option.map { ", `\($0)`" } ?? "") + (visit.verdict.map { " (the check \($0.rawValue))" } ?? "")
                             + (pass > 1 ? ", pass \(pass)" : "") + (visit.undone ? ", undone by back" : ""))
            }
        }
        if !state.choices.isEmpty {
            lines += ["", "## Path taken", ""] + state.choices.map { choice in
                "- \(time(choice.at)) \(choice.by): at \(title(choice.step)), `\(choice.option)` → \(title(choice.target))"
                    + (choice.skipReason.map { " (the step skipped: \($0))" } ?? "")
            }
        }
        if !state.commands.isEmpty {
            // What runbook ran for the operator: where, how it ended, how long; never what it printed.
            lines += ["", "## Commands runbook ran", ""] + state.commands.map { command in
                let number = state.index(of: command.step).map { "Step \(state.number(of: $0))" } ?? "Step \(command.step)"
                let place = command.via.map { "over ssh on \($0)" } ?? "on the operator's machine"
                return "- \(time(command.at)) \(command.by): \(number) (\(title(command.step))) \(place): exit status \(command.status) after "
                    + Elapsed.describe(Double(command.seconds))
            }
        }
        let bypassed = state.steps.enumerated().filter { $0.element.status == .bypassed }
        if !bypassed.isEmpty {
            lines += ["", "## Bypassed", ""] + bypassed.map { index, step in
                let by = step.bypassedBy ?? ""
                let how = state.steps.first { $0.id == by }.map { bypasser in
                    bypasser.choice.map { "the choice `\($0.key)` at \(bypasser.title)" } ?? "the Next: of \(bypasser.title)"
                } ?? by
                let walked = state.visits.contains { $0.step == step.id && !$0.undone } ? "; walked on an earlier pass" : ""
                return "- Step \(state.number(of: index)) (\(step.title)): bypassed by \(how)\(walked)"
            }
        }
        if !state.handovers.isEmpty {
            lines += ["", "## Handovers", ""] + state.handovers.map { handover in
                "- \(time(handover.at)): \(handover.fromOperator) on \(handover.fromHost) → \(handover.toOperator) on \(handover.toHost)"
                    + (handover.takeover ? " (taken over while \(handover.fromOperator) was still walking it)" : "")
            }
        }
        let events = records.compactMap { record in
            happening(record.event, titles: state).map { "- \(time(record.at)) \(record.operatorName)@\(record.host): \($0)" }
        }
        if !events.isEmpty { lines += ["", "## Events", ""] + events }
        // Text from the operator or the log (notes, reasons, values) is shown, never obeyed: a newline or an
        // escape sequence in it cannot break the Markdown or reach a terminal raw.
        return lines.map(\.escapingControlCharacters).joined(separator: "\n") + "\n"
    }

    /// What an event means for the timeline; nil for the step events the table already shows.
    static func happening(_ event: RunEvent, titles state: RunState) -> String? {
        func title(_ id: String) -> String { state.steps.first { $0.id == id }?.title ?? id }
        switch event {
        case .runStarted(let start):
            return "started \(start.runbook) (\(start.steps.count) steps)" + (start.from.map { ", handed off from run \($0)" } ?? "")
        case .variableRecorded(let name, let value):
            // A secret's value is never shown, even one recorded before the runbook declared it secret.
            return "\(name) = \(state.secretNames.contains(name) ? Renderer.mask : value)"
        case .stepReopened(let id): return "went back to \(title(id))"
        case .stepSkipped(let id, let reason): return "skipped \(title(id)): \(reason)"
        case .choiceMade(let id, let option, let target, let reason, _):
            let to = place(target, in: state)
            return "at \(title(id)) chose `\(option)` → \(to)" + (reason.map { " (the step skipped: \($0))" } ?? "")
        case .checkFailed(let id, let reason): return "check of \(title(id)) failed: \(reason)"
        case .runPaused(let reason):
            switch reason {
            case .quit: return "paused (quit)"
            case .inputEnded: return "paused (input ended)"
            case .interrupted: return "paused (interrupted)"
            }
        case .waitStarted(let id, let seconds): return "waited at \(title(id)) for up to \(Wait.duration(seconds))"
        case .waitEnded(let id, let how):
            switch how {
            case .elapsed: return "the wait at \(title(id)) was up"
            case .checkPassed: return "the wait at \(title(id)) ended: the check passed"
            case .ended: return "the wait at \(title(id)) ended early (Enter)"
            case .interrupted: return "the wait at \(title(id)) ended early (Ctrl-C)"
            }
        case .runResumed(_, _, _, let takeover):
            return takeover.map { "took the run over from \($0.operatorName) on \($0.host)" } ?? "resumed"
        case .runCompleted: return "completed"
        case .runHandedOff(let runbook, let run): return "handed off to \(runbook), run \(run)"
        case .runAbandoned(let reason): return "abandoned: \(reason)"
        case .stepCompleted, .noteAdded, .checkPassed, .commandRan: return nil
        }
    }

    /// Where a target leads, for the report: a step's title, "the end", or another runbook.
    static func place(_ target: String, in state: RunState) -> String {
        if target == ChoiceOption.end { return "the end" }
        if let runbook = ChoiceOption.handOff(target) { return "runbook \(runbook)" }
        return state.index(of: target).map { state.steps[$0].title } ?? target
    }

    /// `2026-11-28 03:04:05 UTC`.
    static func time(_ date: Date) -> String {
        let formatted = EventRecord.stamp(date)
        return formatted.prefix(10) + " " + formatted.dropFirst(11).prefix(8) + " UTC"
    }

    /// One line per run for `runs` and `status`: name, runbook, status, position, last activity.
    public static func line(_ state: RunState) -> String {
        var position: String
        switch state.status {
        case .completed: position = "completed"
        case .abandoned: position = "abandoned: \(state.abandonReason ?? "")"
        case .handedOff: position = "handed off to \(state.handedOffTo.map { "\($0.runbook) (run \($0.run))" } ?? "another runbook")"
        case .active:
            if let index = state.currentIndex, let step = state.position {
                position = "\(step): \(state.steps[index].title) [\(state.steps[index].place)]"
            } else {
                position = state.pendingHandOff.map { "handing off to \($0)" } ?? "all steps done"
            }
        }
        if let from = state.cameFrom { position += ", from run \(from)" }
        return "\(state.run)  \(state.runbook)  \(position)  (last activity \(time(state.lastEventAt)) by \(state.operatorName))"
            .escapingControlCharacters
    }
}
