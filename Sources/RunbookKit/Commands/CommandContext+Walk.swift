import RunbookModel
import RunbookRun
import RunbookSupport

extension CommandContext {
    /// Walks a session to its end, a pause or a failure, and returns the exit status: the one place a `Walker` is built.
    ///
    /// `variables` are the `--var` values (the last of a name wins); `person` is worked out once per command.
    ///
    /// In a shared state folder each event is followed by a sync in the background, and the walk's end or
    /// pause by one in the foreground (SPEC 9). A hand-off (SPEC 11) starts a run of the other runbook
    /// and walks it in the same loop.
    func walk(_ session: RunSession, variables: [VariableAssignment], person: Operator, checkTimeout: Double) -> Int32 {
        var session = session
        var given = Dictionary(variables.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        // The first session belongs to the caller; a run begun by a hand-off belongs to this loop.
        var owned = false
        defer { if owned { session.writer.close() } }
        while true {
            let background = sharing ? BackgroundSync(sink: session.writer, sync: teamSync(), author: person.name, host: person.host) : nil
            // What the session recorded before the walk (a start, a resume) is shared at once too.
            background?.request()
            let walker = Walker(runbook: session.runbook, state: session.state, sink: background ?? session.writer, console: console,
                                style: style,
                                person: person, checks: LiveCheckRunner(), checkTimeout: checkTimeout, assigned: given,
                                environment: environment)
            let gate = walker.gate
            installInterrupts { gate.interrupt() }
            let outcome = walker.walk()
            syncAfterWalk(background, person: person)
            switch outcome {
            case .completed: return 0
            case .paused: return 3
            case .checkFailed: return 1
            case .failed(let message): return fail(message)
            case .handedOff(let other):
                var from = session
                from.state = walker.state
                let next: RunSession
                do {
                    (next, given) = try handOff(from: &from, to: other, secrets: walker.secrets, person: person)
                } catch {
                    return fail("could not hand off run \(from.state.run) to \(other): \(String(describing: error)); "
                                + "fix it, then `runbook resume \(from.state.run)` hands off again")
                }
                if owned { session.writer.close() }
                session = next
                owned = true
            }
        }
    }

    /// Starts a run of `other` from the run `from` (its non-secret values of the same names recorded, its
    /// secrets known in memory carried in memory only), then records the hand-off in `from`.
    private func handOff(from: inout RunSession, to other: String, secrets: [String: String],
                         person: Operator) throws -> (RunSession, [String: String]) {
        let runbook = try RunSession.walkable(other, folder: folders.runbooks)
        let carried = from.state.variables.sorted { $0.key < $1.key }.filter { name, value in
            guard let variable = runbook.variable(named: name) else { return false }
            return !variable.isSecret && variable.problem(with: value) == nil
        }.map { VariableAssignment(name: $0.key, value: $0.value) }
        let next = try RunSession.start(runbook, name: nil, assignments: carried, store: store, person: person, from: from.state.run)
        do {
            try from.record(.runHandedOff(runbook: runbook.id, run: next.state.run), by: person)
        } catch {
            next.writer.close()
            throw error
        }
        out("Run \(from.state.run) handed off to run \(next.state.run): \(runbook.title), \(runbook.steps.count) step\(runbook.steps.count == 1 ? "" : "s").")
        if !runbook.preamble.isEmpty {
            let renderer = Renderer(style: style, width: console.width)
            out(renderer.lines(runbook.preamble.map { Text($0, source: .runbook, role: .prose) }) + "\n")
        }
        let kept = secrets.filter { runbook.variable(named: $0.key)?.isSecret == true }
        return (next, Dictionary(carried.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }).merging(kept) { _, secret in secret })
    }
}
