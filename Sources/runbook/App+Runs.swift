import Foundation
import RunbookKit

/// The commands that walk, read and end runs.
extension App {
    var person: Operator {
        let name = environment["RUNBOOK_OPERATOR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? NSUserName()
        return Operator(name: name, host: System.hostName(), timeZone: System.timeZoneName(environment: environment),
                        now: { Date() })
    }

    func start(_ reference: String, run name: String?, variables: [VariableAssignment]) throws -> Int32 {
        let runbook = try RunSession.walkable(reference, folder: folders.runbooks)
        try RunSession.validate(variables, for: runbook)
        if let notice = RunSession.unfinishedNotice(for: runbook, among: store.runs(of: runbook.id)) { out(notice) }
        let person = person
        let session = try RunSession.start(runbook, name: name, assignments: variables, store: store, person: person)
        defer { session.writer.close() }
        out("Run \(session.state.run): \(runbook.title), \(runbook.steps.count) step\(runbook.steps.count == 1 ? "" : "s").")
        out(StepScreen.houseRules(style: style).joined(separator: "\n") + "\n\n")
        if !runbook.preamble.isEmpty { out(runbook.preamble.map(style.inlineCode).joined(separator: "\n") + "\n\n") }
        return walk(session, variables: variables, person: person)
    }

    /// Walks a session; `person` is worked out once per command (the host name and time zone cost a start).
    func walk(_ session: RunSession, variables: [VariableAssignment], person: Operator) -> Int32 {
        let walker = Walker(runbook: session.runbook, state: session.state, sink: session.writer, console: terminal, style: style,
                            person: person, checks: LiveCheckRunner(), checkTimeout: invocation.options.checkTimeout,
                            assigned: Dictionary(variables.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }),
                            environment: environment)
        let gate = walker.gate
        Interrupts.install { gate.interrupt() }
        switch walker.walk() {
        case .completed: return 0
        case .paused: return 3
        case .checkFailed: return 1
        case .failed(let message): return fail(message)
        }
    }

    func resume(_ name: String?, variables: [VariableAssignment]) throws -> Int32 {
        var run = name ?? ""
        if name == nil {
            let (runs, failures) = try store.all()
            for failure in failures { terminal.warn("runbook: warning: \(failure.description)") }
            switch try RunSession.latest(in: runs) {
            case .tie(let tied):
                terminal.warn("runbook: error: several unfinished runs were last active at the same moment; name one: runbook resume RUN")
                for state in tied { terminal.warn("  " + RunReport.line(state)) }
                return 1
            case .run(let latest, let notice):
                if let notice { out(notice) }
                run = latest
            }
        }
        let session: RunSession
        let resumer = person
        do {
            session = try RunSession.resume(run, folder: folders.runbooks, assignments: variables, store: store, person: resumer)
        } catch RunSession.Refusal.alreadyComplete(let run) {
            out("Run \(run) is already complete. Report: runbook report \(run)")
            return 0
        }
        defer { session.writer.close() }
        for notice in session.notices {
            switch notice.kind {
            case .info: out(notice.text)
            case .warning: out(style.warning(notice.text))
            case .note: terminal.warn(notice.text)
            }
        }
        let state = session.state
        out("Resuming run \(run): \(session.runbook.title), \(state.doneCount + state.skippedCount) of \(state.pathCount) steps behind you.")
        out(StepScreen.houseRules(style: style).joined(separator: "\n") + "\n\n")
        return walk(session, variables: variables, person: resumer)
    }

    func status(_ name: String?, json: Bool) throws -> Int32 {
        if let name {
            let log = try store.log(of: name)
            warnTorn(log)
            let broken = warnBroken(log, run: name, json: json)
            let state = RunSession.hidingSecrets([try log.state()], folder: folders.runbooks)[0]
            out(json ? RunReport.json([state]) : RunReport.line(state))
            return broken ? 1 : 0
        }
        let (runs, failures) = try store.all()
        for failure in failures { terminal.warn("runbook: error: \(failure.description)") }
        let unfinished = runs.filter { $0.status == .active }.sorted { $0.lastEventAt > $1.lastEventAt }
        if json {
            out(RunReport.json(RunSession.hidingSecrets(unfinished, folder: folders.runbooks)))
        } else if unfinished.isEmpty {
            out("No unfinished runs. Start one with: runbook start RUNBOOK")
        } else {
            out(unfinished.map(RunReport.line).joined(separator: "\n"))
        }
        return failures.isEmpty ? 0 : 1
    }

    func runs(all: Bool, json: Bool) throws -> Int32 {
        let (runs, failures) = try store.all()
        for failure in failures { terminal.warn("runbook: error: \(failure.description)") }
        let shown = runs.filter { all || $0.status == .active }.sorted { $0.startedAt > $1.startedAt }
        if json {
            out(RunReport.json(RunSession.hidingSecrets(shown, folder: folders.runbooks)))
        } else if shown.isEmpty {
            out(all ? "No runs yet. Start one with: runbook start RUNBOOK" : "No unfinished runs (`runbook runs --all` shows finished ones).")
        } else {
            out(shown.map(RunReport.line).joined(separator: "\n"))
        }
        return failures.isEmpty ? 0 : 1
    }

    func report(_ run: String?, format: ReportFormat) throws -> Int32 {
        var name = run ?? ""
        if run == nil {
            let (runs, failures) = try store.all()
            for failure in failures { terminal.warn("runbook: warning: \(failure.description)") }
            guard let latest = runs.max(by: { ($0.lastEventAt, $0.run) < ($1.lastEventAt, $1.run) }) else {
                return fail("no run to report yet; start one with `runbook start RUNBOOK`")
            }
            name = latest.run
        }
        let log = try store.log(of: name)
        warnTorn(log)
        let broken = warnBroken(log, run: name, json: format != .markdown)
        let state = RunSession.hidingSecrets([try log.state()], folder: folders.runbooks)[0]
        switch format {
        case .markdown: out(RunReport.markdown(state, records: log.records))
        case .json: out(RunReport.json(state))
        case .mermaid: out(MermaidChart.run(state))
        }
        return broken ? 1 : 0
    }

    func abandon(_ name: String, reason: String) throws -> Int32 {
        let path = try RunSession.abandon(name, reason: reason, store: store, person: person)
        out("Run \(name) abandoned: \(reason). Its log stays in \(path); report: runbook report \(name)")
        return 0
    }

    func verify(_ name: String) -> Int32 {
        let log: EventLog
        do {
            log = try store.log(of: name)
        } catch {
            return fail(error.description)
        }
        if let problem = log.chainProblem() {
            return fail("\(log.path): \(problem); the log is left as it is")
        }
        do {
            _ = try log.state()
        } catch {
            return fail(error.description)
        }
        if log.tornBytes > 0 {
            return fail("\(log.path): the last line is torn (\(log.tornBytes) bytes, a write cut short by a crash); `runbook resume \(name)` cuts it off")
        }
        out("\(log.path): intact: \(log.records.count) events, hash chain verified, every event legal.")
        return 0
    }

    /// Says first that a log was changed after it was written: on standard output's first line, or on
    /// standard error when standard output is JSON. True when it was.
    func warnBroken(_ log: EventLog, run: String, json: Bool) -> Bool {
        guard let problem = log.chainProblem() else { return false }
        let message = "\(log.path): \(problem); the log was changed after it was written: what follows is what it says now, "
            + "not surely what happened (`runbook verify \(run)`)"
        if json {
            terminal.warn("runbook: error: " + message)
        } else {
            out("BROKEN LOG: " + message)
        }
        return true
    }

    func warnTorn(_ log: EventLog) {
        if log.tornBytes > 0 {
            terminal.warn("runbook: note: ignoring a torn last line of \(log.tornBytes) bytes in \(log.path) (a write cut short by a crash, never acknowledged)")
        }
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
