#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RunbookModel
import RunbookRun
import RunbookSupport

extension CommandContext {
    /// Runs are shared through git here: the state folder is a work tree and `RUNBOOK_SYNC` is not `off`.
    var sharing: Bool { store.shared && environment["RUNBOOK_SYNC"]?.lowercased() != "off" }

    func teamSync() -> TeamSync {
        TeamSync(folder: folders.state, environment: environment,
                 networkTimeout: environment["RUNBOOK_SYNC_TIMEOUT"].flatMap(Double.init) ?? 15)
    }

    /// One line on standard error, unless this command said it already.
    func note(_ text: String) {
        if said.withLock({ $0.insert(text).inserted }) { warn("runbook: note: " + text) }
    }

    /// Takes in what the team pushed, before a command reads runs; a failure is one line, and the
    /// command goes on with what this laptop has.
    func fetchRuns() {
        guard sharing else { return }
        do {
            _ = try teamSync().pull()
        } catch {
            note(error.description)
        }
    }

    /// Sends and takes in everything, at a pause or the end of a walk; one line says what happened.
    func syncAfterWalk(_ background: BackgroundSync?, person: Operator) {
        guard sharing else { return }
        background?.finish(waiting: 20)
        do {
            let report = try teamSync().sync(author: person.name, host: person.host)
            if report.localOnly {
                warn("runbook: note: the state folder's repository has no remote: runs are committed here only "
                     + "(add one with `git -C \(folders.state) remote add origin URL`)")
            } else {
                out(Self.describe(report) ?? "Shared with \(report.remote): up to date.")
            }
        } catch {
            note(error.description)
        }
    }

    /// "Shared with origin: sent 5 events of r1; received 2 events of r2." or nil when nothing moved.
    static func describe(_ report: TeamSync.Report) -> String? {
        func list(_ counts: [String: Int]) -> String {
            counts.sorted { $0.key < $1.key }.map { "\($0.value) event\($0.value == 1 ? "" : "s") of \($0.key)" }
                .joined(separator: ", ")
        }
        var parts: [String] = []
        if !report.sent.isEmpty { parts.append("sent " + list(report.sent)) }
        if !report.received.isEmpty { parts.append("received " + list(report.received)) }
        guard !parts.isEmpty else { return nil }
        return "Shared with \(report.remote): " + parts.joined(separator: "; ") + "."
    }

    /// Who walks `run` elsewhere right now, as far as this laptop knows: its latest session was begun
    /// by someone else, or on another host, and is neither paused nor ended.
    func claim(on run: String, by person: Operator) -> String? {
        guard store.shared, let log = try? store.log(of: run), let state = try? log.state() else { return nil }
        guard state.status == .active, state.pausedBy == nil,
              state.lastOperator != person.name || state.lastHost != person.host else { return nil }
        let since = log.records.last { $0.event.kind == .runStarted || $0.event.kind == .runResumed }?.at ?? state.lastEventAt
        let fetched = (try? FileManager.default.attributesOfItem(atPath: folders.state + "/.git/FETCH_HEAD"))?[.modificationDate] as? Date
        let asOf = fetched.map { "as of the last fetch, \(EventRecord.stamp($0))" } ?? "as of this laptop's copy"
        return "run \(state.run) is being walked by \(state.lastOperator) on \(state.lastHost) since \(EventRecord.stamp(since)) "
            + "(\(asOf)); ask them to quit it, or walk it anyway with `runbook resume \(state.run) --take-over`"
    }
}
