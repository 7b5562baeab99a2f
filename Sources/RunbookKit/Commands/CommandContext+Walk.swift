import RunbookModel
import RunbookRun
import RunbookSupport

extension CommandContext {
    /// Walks a session to its end, a pause or a failure, and returns the exit status: the one place a `Walker` is built.
    ///
    /// `variables` are the `--var` values (the last of a name wins); `person` is worked out once per command.
    ///
    /// In a shared state folder each event is followed by a sync in the background, and the walk's end or
    /// pause by one in the foreground (SPEC 9).
    func walk(_ session: RunSession, variables: [VariableAssignment], person: Operator, checkTimeout: Double) -> Int32 {
        let background = sharing ? BackgroundSync(sink: session.writer, sync: teamSync(), author: person.name, host: person.host) : nil
        // What the session recorded before the walk (a start, a resume) is shared at once too.
        background?.request()
        defer { syncAfterWalk(background, person: person) }
        let walker = Walker(runbook: session.runbook, state: session.state, sink: background ?? session.writer, console: console,
                            style: style,
                            person: person, checks: LiveCheckRunner(), checkTimeout: checkTimeout,
                            assigned: Dictionary(variables.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }),
                            environment: environment)
        let gate = walker.gate
        installInterrupts { gate.interrupt() }
        switch walker.walk() {
        case .completed: return 0
        case .paused: return 3
        case .checkFailed: return 1
        case .failed(let message): return fail(message)
        }
    }
}
