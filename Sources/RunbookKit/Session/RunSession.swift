#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RunbookModel
import RunbookRun
import RunbookSupport

/// A run held for walking: its runbook, its state, its log (locked), and what to tell the operator first.
///
/// The use cases between the command line and the walk live here, where they are unit-tested: begin a
/// run, take one up again, end one. The executable only prints what they return.
public struct RunSession {
    public var runbook: Runbook
    public var state: RunState
    public let writer: LogWriter
    /// Lines for the screen before the walk: a torn tail cut, the runbook's changes, lost choices.
    public var notices: [Notice]

    /// Something to tell the operator before the walk, and how loudly.
    public struct Notice: Hashable, Sendable {
        public enum Kind: Hashable, Sendable {
            /// Standard output, plain.
            case info
            /// Standard output, as a warning.
            case warning
            /// Standard error: a note beside the output.
            case note
        }

        public var kind: Kind
        public var text: String

        public init(_ kind: Kind, _ text: String) {
            self.kind = kind
            self.text = text
        }
    }

    /// Why a session cannot begin; the executable prints the message and exits 1 (or 64 for usage).
    public enum Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        /// The runbook has lint errors: a step without a Where must not reach an operator at 3 a.m.
        case breaksHouseRules(path: String, diagnostics: [Diagnostic])
        case writeFailed(run: String, path: String, reason: String)
        case alreadyComplete(run: String)
        case handedOff(run: String, to: String)
        case abandoned(run: String, reason: String, runbook: String)
        case noUnfinishedRun
        case notActive(run: String, status: RunState.Status)

        public var description: String {
            switch self {
            case .breaksHouseRules(let path, let diagnostics):
                "\(path) breaks the house rules (\(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s") above); fix it, then check with `runbook lint \(path)`"
            case .writeFailed(let run, let path, let reason):
                "could not start run \(run): writing \(path) failed (\(reason)); nothing was recorded: free space (or fix the state folder), then start again"
            case .handedOff(let run, let next):
                "run \(run) was handed off to run \(next); resume that one: runbook resume \(next)"
            case .alreadyComplete(let run):
                "run \(run) is already complete; its report: runbook report \(run)"
            case .abandoned(let run, let reason, let runbook):
                "run \(run) was abandoned (\(reason)); start a new one with `runbook start \(runbook)`"
            case .noUnfinishedRun:
                "no unfinished run to resume; start one with `runbook start RUNBOOK` (`runbook runs --all` lists past runs)"
            case .notActive(let run, let status):
                "run \(run) is already \(status.rawValue); nothing to abandon"
            }
        }
    }

    /// A runbook fit to walk: read, and free of lint errors.
    public static func walkable(_ reference: String, folder: String) throws -> Runbook {
        let runbook = try RunbookCatalog.resolve(reference, folder: folder)
        // A hand-off to a runbook the folder lacks is lint's error, not a reason to refuse the walk: the path may
        // never lead there, and when it does the run waits at its end until the runbook is added (then `resume`).
        let errors = Linter(catalogRules: []).lint([runbook]).filter { $0.severity == .error }
        guard errors.isEmpty else { throw Refusal.breaksHouseRules(path: runbook.path, diagnostics: errors) }
        return runbook
    }

    /// `--var` values name declared variables and fit their formats; a secret's value is never repeated.
    public static func validate(_ assignments: [VariableAssignment], for runbook: Runbook) throws(UsageError) {
        for assignment in assignments {
            guard let variable = runbook.variable(named: assignment.name) else {
                let declared = runbook.variables.map(\.name).joined(separator: ", ")
                throw UsageError("--var \(assignment.name): \(runbook.id) declares no variable \(assignment.name); it declares: "
                                 + (declared.isEmpty ? "none" : declared))
            }
            if let problem = variable.problem(with: assignment.value) {
                throw UsageError("--var \(assignment.name): \(problem)" + (variable.isSecret ? "" : " (`\(assignment.value)`)")
                                 + "; give a value that fits (Format: " + (variable.formatDescription ?? "any text, not empty") + ")")
            }
        }
    }

    /// One line when a secret's value was given with `--var`: any user of the machine can read a
    /// process's arguments (`ps`), so say so, and name the safe ways.
    public static func secretsOnTheCommandLine(_ assignments: [VariableAssignment], for runbook: Runbook) -> String? {
        var names: [String] = []
        for assignment in assignments where runbook.variable(named: assignment.name)?.isSecret == true && !names.contains(assignment.name) {
            names.append(assignment.name)
        }
        guard let first = names.first else { return nil }
        let list = names.joined(separator: ", ")
        return "runbook: warning: \(list) given with --var can be read by any user of this machine in the process list; "
            + "the environment (\(first)=… runbook …) or the prompt are the safe ways"
    }

    /// One line when `runbook` already has unfinished runs (several incidents at once are normal, but say so).
    public static func unfinishedNotice(for runbook: Runbook, among runs: [RunState]) -> String? {
        let open = RunStore.unfinished(runs.filter { $0.runbook == runbook.id })
        guard !open.isEmpty else { return nil }
        let names = open.prefix(3).map { state in state.run + (state.position.map { " (\($0))" } ?? "") }
            .joined(separator: ", ") + (open.count > 3 ? " and \(open.count - 3) more" : "")
        return "Note: \(runbook.id) already has \(open.count) unfinished run\(open.count == 1 ? "" : "s"): \(names); "
            + "`runbook resume RUN` continues one. Starting a new run."
    }

    /// Begins a run: its log appears with its first event, then the `--var` values of non-secret variables.
    public static func start(_ runbook: Runbook, name: String?, assignments: [VariableAssignment], store: RunStore,
                             person: Operator, from: String? = nil) throws -> RunSession {
        try validate(assignments, for: runbook)
        let run = name ?? RunStore.defaultName(runbook: runbook.id, at: person.now(), taken: store.exists)
        let writer = try store.create(run)
        var begun = RunStart(run: run, runbook: runbook)
        begun.from = from
        // Where the file is, whole: `resume` then finds it from any folder.
        begun.path = System.resolvedPath(runbook.path) ?? runbook.path
        let first = person.record(.runStarted(begun))
        let state = try RunState(starting: first)
        do {
            try writer.appendSettlingLater(first)
        } catch {
            writer.close()
            // Nothing was acknowledged, and the log appears only with its first event: nothing to remove.
            if case .writeFailed(let path, let reason) = error { throw Refusal.writeFailed(run: run, path: path, reason: reason) }
            throw error
        }
        var session = RunSession(runbook: runbook, state: state, writer: writer, notices: [])
        for assignment in assignments where runbook.variable(named: assignment.name)?.isSecret == false {
            try session.record(.variableRecorded(name: assignment.name, value: assignment.value), by: person)
        }
        return session
    }

    /// Takes a run up again: its lock, a torn tail cut, the runbook it names (by id in `folder`, else the
    /// path it began with), what changed since, the resume recorded, and the `--var` values recorded.
    ///
    /// `takeover` names whose walk `resume --take-over` cut short (SPEC 9).
    public static func resume(_ run: String, folder: String, assignments: [VariableAssignment], store: RunStore,
                              person: Operator, takeover: Takeover? = nil) throws -> RunSession {
        let (writer, log, opened, cut) = try store.open(run)
        do {
            return try resume(opened, writer: writer, log: log, cut: cut, folder: folder, assignments: assignments, person: person,
                              takeover: takeover)
        } catch {
            writer.close()
            throw error
        }
    }

    private static func resume(_ opened: RunState, writer: LogWriter, log: EventLog, cut: Int, folder: String,
                               assignments: [VariableAssignment], person: Operator, takeover: Takeover?) throws -> RunSession {
        switch opened.status {
        case .completed: throw Refusal.alreadyComplete(run: opened.run)
        case .handedOff: throw Refusal.handedOff(run: opened.run, to: opened.handedOffTo?.run ?? "")
        case .abandoned: throw Refusal.abandoned(run: opened.run, reason: opened.abandonReason ?? "", runbook: opened.runbook)
        case .active: break
        }
        var notices: [Notice] = []
        if cut > 0 {
            notices.append(Notice(.note, "runbook: note: cut off a torn last line of \(cut) bytes in \(log.path): "
                                  + "a write cut short by a crash, never acknowledged; nothing is lost"))
        }
        let runbook = try walkable(reference(to: opened, folder: folder), folder: folder)
        try validate(assignments, for: runbook)
        let records = runbook.steps.map(StepRecord.init)
        let changes = RunbookChanges(from: opened.steps.map(\.record), to: records)
        if !changes.isEmpty {
            notices.append(Notice(.warning, "The runbook changed since this run last saw it (steps matched by id and content digest):"))
            notices += changes.lines.map { Notice(.info, $0) }
            notices.append(Notice(.info, "Going on from the first pending step.\n"))
        }
        for lost in RunbookChanges.lostChoices(in: opened, to: records) {
            let title = opened.steps.first { $0.id == lost.step }?.title ?? lost.step
            notices.append(Notice(.warning,
                "The choice `\(lost.option)` (→ #\(lost.target)) at step \(lost.step) (\(title)) is no longer in the runbook: it is asked again."))
        }
        var session = RunSession(runbook: runbook, state: opened, writer: writer, notices: notices)
        try session.record(.runResumed(runbookDigest: runbook.digest, steps: records, secrets: runbook.secretNames, takeover: takeover),
                           by: person)
        for assignment in assignments where runbook.variable(named: assignment.name)?.isSecret == false
        && session.state.variables[assignment.name] != assignment.value {
            try session.record(.variableRecorded(name: assignment.name, value: assignment.value), by: person)
        }
        return session
    }

    /// The runbook a run names: its id when the runbooks folder has it, else the path it began with.
    static func reference(to state: RunState, folder: String) -> String {
        let known = (try? RunbookCatalog.files(in: folder))?.contains { SourceFile.id(ofPath: $0) == state.runbook } == true
        return known || state.runbookPath.isEmpty ? state.runbook : state.runbookPath
    }

    /// The states with the variables their runbooks declare secret now hidden as well: a log written
    /// before secret names were recorded does not know them, and a value recorded then is never shown.
    public static func hidingSecrets(_ states: [RunState], folder: String) -> [RunState] {
        var secretsOf: [String: [String]] = [:]
        return states.map { state in
            var state = state
            if secretsOf[state.runbook] == nil {
                let runbook = try? RunbookCatalog.resolve(reference(to: state, folder: folder), folder: folder)
                secretsOf[state.runbook] = runbook?.secretNames ?? []
            }
            state.secretNames.formUnion(secretsOf[state.runbook] ?? [])
            return state
        }
    }

    /// Ends an active run without finishing it; returns the path of its log.
    public static func abandon(_ run: String, reason: String, store: RunStore, person: Operator) throws -> String {
        let (writer, log, opened, _) = try store.open(run)
        defer { writer.close() }
        guard opened.status == .active else { throw Refusal.notActive(run: run, status: opened.status) }
        var session = RunSession(runbook: Runbook(id: opened.runbook, path: opened.runbookPath), state: opened, writer: writer,
                                 notices: [])
        try session.record(.runAbandoned(reason: reason), by: person)
        return log.path
    }

    /// Records an event: checked by the reducer, appended and flushed, then applied.
    mutating func record(_ event: RunEvent, by person: Operator) throws {
        let entry = person.record(event)
        var next = state
        try next.apply(entry)
        try writer.append(entry)
        state = next
    }
}
