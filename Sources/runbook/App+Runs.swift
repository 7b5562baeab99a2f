import Foundation
import RunbookKit

/// The commands that walk, read and end runs.
extension App {
    var person: Operator {
        let name = environment["RUNBOOK_OPERATOR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? NSUserName()
        return Operator(name: name, host: ProcessInfo.processInfo.hostName,
                        timeZone: TimeZone.current.identifier, now: { Date() })
    }

    /// A runbook fit to walk: read, and free of lint errors.
    func walkable(_ reference: String) throws -> Runbook? {
        let runbook = try RunbookCatalog.resolve(reference, folder: folders.runbooks)
        let errors = Linter().lint([runbook]).filter { $0.severity == .error }
        guard errors.isEmpty else {
            for diagnostic in errors { terminal.warn(diagnostic.description) }
            _ = fail("\(runbook.path) breaks the house rules (\(errors.count) error\(errors.count == 1 ? "" : "s") above); fix it, then check with `runbook lint \(runbook.path)`")
            return nil
        }
        return runbook
    }

    /// `--var` values name declared variables and fit their formats; a secret's value is never repeated.
    func check(_ variables: [VariableAssignment], for runbook: Runbook) throws {
        for assignment in variables {
            guard let variable = runbook.variable(named: assignment.name) else {
                throw UsageError("--var \(assignment.name): \(runbook.id) declares no variable \(assignment.name); it declares: "
                                 + (runbook.variables.map(\.name).joined(separator: ", ").nonEmpty ?? "none"))
            }
            if let problem = variable.problem(with: assignment.value) {
                throw UsageError("--var \(assignment.name): \(problem)" + (variable.isSecret ? "" : " (`\(assignment.value)`)")
                                 + "; give a value that fits (Format: " + (variable.formatDescription ?? "any text, not empty") + ")")
            }
        }
    }

    /// One line when the runbook already has unfinished runs: several incidents at once are normal, but say so.
    func mentionUnfinished(of runbook: Runbook) {
        let open = ((try? store.all().runs) ?? []).filter { $0.status == .active && $0.runbook == runbook.id }
            .sorted { $0.lastEventAt > $1.lastEventAt }
        guard !open.isEmpty else { return }
        let names = open.prefix(3).map { state in
            state.run + (state.position.map { " (\($0))" } ?? "")
        }.joined(separator: ", ") + (open.count > 3 ? " and \(open.count - 3) more" : "")
        out("Note: \(runbook.id) already has \(open.count) unfinished run\(open.count == 1 ? "" : "s"): \(names); "
            + "`runbook resume RUN` continues one. Starting a new run.")
    }

    func start(_ reference: String, run name: String?, variables: [VariableAssignment]) throws -> Int32 {
        guard let runbook = try walkable(reference) else { return 1 }
        try check(variables, for: runbook)
        mentionUnfinished(of: runbook)
        let person = person
        let (run, writer) = try createRun(name, runbook: runbook, at: person.now())
        defer { writer.close() }
        let first = person.record(.runStarted(RunStart(run: run, runbook: runbook)))
        var state = try RunState(starting: first)
        do {
            try writer.append(first)
        } catch {
            // Nothing was acknowledged, and the log appears only with its first event: nothing to remove.
            if case .writeFailed(let path, let reason) = error {
                return fail("could not start run \(run): writing \(path) failed (\(reason)); nothing was recorded: free space (or fix the state folder), then start again")
            }
            throw error
        }
        for assignment in variables where runbook.variable(named: assignment.name)?.isSecret == false {
            let record = person.record(.variableRecorded(name: assignment.name, value: assignment.value))
            try state.apply(record)
            try writer.append(record)
        }
        out("Run \(run): \(runbook.title), \(runbook.steps.count) step\(runbook.steps.count == 1 ? "" : "s").")
        out(StepScreen.houseRules(style: style).joined(separator: "\n") + "\n\n")
        if !runbook.preamble.isEmpty { out(runbook.preamble.map(style.inlineCode).joined(separator: "\n") + "\n\n") }
        return walk(runbook, state: state, writer: writer, variables: variables)
    }

    /// Creates the run's log; a default name that is taken gets a numeric suffix.
    func createRun(_ name: String?, runbook: Runbook, at date: Date) throws -> (String, LogWriter) {
        let run = name ?? RunStore.defaultName(runbook: runbook.id, at: date, taken: store.exists)
        return (run, try store.create(run))
    }

    func walk(_ runbook: Runbook, state: RunState, writer: LogWriter, variables: [VariableAssignment]) -> Int32 {
        let walker = Walker(runbook: runbook, state: state, sink: writer, console: terminal, style: style, person: person,
                            checks: LiveCheckRunner(), checkTimeout: invocation.options.checkTimeout,
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
        let run: String
        if let name {
            run = name
        } else {
            let (runs, failures) = try store.all()
            for failure in failures { terminal.warn("runbook: warning: \(failure.description)") }
            switch RunStore.latestUnfinished(runs) {
            case .none:
                return fail("no unfinished run to resume; start one with `runbook start RUNBOOK` (`runbook runs --all` lists past runs)")
            case .tie(let tied):
                terminal.warn("runbook: error: several unfinished runs were last active at the same moment; name one: runbook resume RUN")
                for state in tied { terminal.warn("  " + RunReport.line(state)) }
                return 1
            case .run(let latest, let count):
                if count > 1 {
                    out("Resuming \(latest.run), the most recently active of \(count) unfinished runs (`runbook runs` lists them).")
                }
                run = latest.run
            }
        }
        let (writer, log, opened, cut) = try store.open(run)
        var state = opened
        defer { writer.close() }
        if cut > 0 {
            terminal.warn("runbook: note: cut off a torn last line of \(cut) bytes in \(log.path): a write cut short by a crash, never acknowledged; nothing is lost")
        }
        switch state.status {
        case .completed:
            out("Run \(run) is already complete. Report: runbook report \(run)")
            return 0
        case .abandoned:
            return fail("run \(run) was abandoned (\(state.abandonReason ?? "")); start a new one with `runbook start \(state.runbook)`")
        case .active:
            break
        }
        let reference = (try? RunbookCatalog.files(in: folders.runbooks))?.contains { SourceFile.id(ofPath: $0) == state.runbook } == true
            ? state.runbook : state.runbookPath
        guard let runbook = try walkable(reference) else { return 1 }
        try check(variables, for: runbook)
        let changes = RunbookChanges(from: state.steps.map(\.record), to: runbook.steps.map(StepRecord.init))
        if !changes.isEmpty {
            out(style.warning("The runbook changed since this run last saw it (steps matched by id and content digest):"))
            out(changes.lines.joined(separator: "\n"))
            out("Going on from the first pending step.\n")
        }
        let records = runbook.steps.map(StepRecord.init)
        for lost in RunbookChanges.lostChoices(in: state, to: records) {
            let title = state.steps.first { $0.id == lost.step }?.title ?? lost.step
            out(style.warning("The choice `\(lost.option)` (→ #\(lost.target)) at step \(lost.step) (\(title)) is no longer in the runbook: it is asked again."))
        }
        let record = person.record(.runResumed(runbookDigest: runbook.digest, steps: records, secrets: runbook.secretNames))
        try state.apply(record)
        try writer.append(record)
        for assignment in variables where runbook.variable(named: assignment.name)?.isSecret == false
        && state.variables[assignment.name] != assignment.value {
            let given = person.record(.variableRecorded(name: assignment.name, value: assignment.value))
            try state.apply(given)
            try writer.append(given)
        }
        out("Resuming run \(run): \(runbook.title), \(state.doneCount + state.skippedCount) of \(state.pathCount) steps behind you.")
        out(StepScreen.houseRules(style: style).joined(separator: "\n") + "\n\n")
        return walk(runbook, state: state, writer: writer, variables: variables)
    }

    func status(_ name: String?, json: Bool) throws -> Int32 {
        if let name {
            let log = try store.log(of: name)
            warnTorn(log)
            let broken = warnBroken(log, run: name, json: json)
            let state = hidingSecrets([try log.state()])[0]
            out(json ? RunReport.json([state]) : RunReport.line(state))
            return broken ? 1 : 0
        }
        let (runs, failures) = try store.all()
        for failure in failures { terminal.warn("runbook: error: \(failure.description)") }
        let unfinished = runs.filter { $0.status == .active }.sorted { $0.lastEventAt > $1.lastEventAt }
        if json {
            out(RunReport.json(hidingSecrets(unfinished)))
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
            out(RunReport.json(hidingSecrets(shown)))
        } else if shown.isEmpty {
            out(all ? "No runs yet. Start one with: runbook start RUNBOOK" : "No unfinished runs (`runbook runs --all` shows finished ones).")
        } else {
            out(shown.map(RunReport.line).joined(separator: "\n"))
        }
        return failures.isEmpty ? 0 : 1
    }

    func report(_ name: String, format: ReportFormat) throws -> Int32 {
        let log = try store.log(of: name)
        warnTorn(log)
        let broken = warnBroken(log, run: name, json: format != .markdown)
        let state = hidingSecrets([try log.state()])[0]
        switch format {
        case .markdown: out(RunReport.markdown(state, records: log.records))
        case .json: out(RunReport.json(state))
        case .mermaid: out(MermaidChart.run(state))
        }
        return broken ? 1 : 0
    }

    func abandon(_ name: String, reason: String) throws -> Int32 {
        let (writer, log, opened, _) = try store.open(name)
        defer { writer.close() }
        var state = opened
        guard state.status == .active else {
            return fail("run \(name) is already \(state.status.rawValue); nothing to abandon")
        }
        let record = person.record(.runAbandoned(reason: reason))
        try state.apply(record)
        try writer.append(record)
        out("Run \(name) abandoned: \(reason). Its log stays in \(log.path); report: runbook report \(name)")
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

    /// The states with the variables their runbooks declare secret now hidden as well: a log written
    /// before secret names were recorded does not know them, and a value recorded then is never shown.
    func hidingSecrets(_ states: [RunState]) -> [RunState] {
        var secretsOf: [String: [String]] = [:]
        return states.map { state in
            var state = state
            if secretsOf[state.runbook] == nil {
                let runbook = (try? RunbookCatalog.resolve(state.runbook, folder: folders.runbooks))
                    ?? (state.runbookPath.isEmpty ? nil : try? RunbookParser.parse(contentsOf: state.runbookPath))
                secretsOf[state.runbook] = runbook?.secretNames ?? []
            }
            state.secretNames.formUnion(secretsOf[state.runbook] ?? [])
            return state
        }
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
