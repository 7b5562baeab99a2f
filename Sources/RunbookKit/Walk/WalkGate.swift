import RunbookModel
import RunbookRun
import RunbookSupport
/// The walk's only way into the run's log, and the only thing an interrupt touches.
///
/// The walk runs on one thread and owns its state. A signal arrives on another: it seals the gate
/// (recording the pause, when the run is still active) and reads where the walk stood from the small
/// value the gate keeps. One lock covers an append and that value, so the pause is never written
/// between an event and its position, and every append after the seal is refused: the operator is
/// never told "interrupted at step 2" while step 2 is done on disk.
public final class WalkGate: Sendable {
    /// Where the walk stands, as far as the log knows.
    public struct Position: Hashable, Sendable {
        public var run: String
        public var status: RunState.Status
        /// "step N of M" for the current step (its number in the runbook); nil when none is pending.
        public var step: String?

        public init(_ state: RunState) {
            run = state.run
            status = state.status
            step = state.position
        }
    }

    private struct Inner {
        var position: Position
        var sealed = false
    }

    private let sink: EventSink
    private let person: Operator
    private let inner: Locked<Inner>

    public init(sink: EventSink, person: Operator, state: RunState) {
        self.sink = sink
        self.person = person
        inner = Locked(Inner(position: Position(state)))
    }

    /// Appends an event and the position it leads to, unless an interrupt sealed the gate.
    func append(_ record: EventRecord, position: Position) throws(LogError) {
        try inner.withLock { (inner: inout Inner) throws(LogError) in
            guard !inner.sealed else { throw LogError.interrupted(run: inner.position.run) }
            try sink.append(record)
            inner.position = position
        }
    }

    /// Waits until every event appended is on disk.
    func settle() throws(LogError) {
        try sink.settle()
    }

    /// Seals the gate: records the pause when the run is active, refuses every later append, and says
    /// where the walk stood. A second call records nothing more.
    public func interrupt() -> String {
        inner.withLock { inner in
            let position = inner.position
            if !inner.sealed, position.status == .active {
                try? sink.append(person.record(.runPaused(reason: .interrupted)))
            }
            inner.sealed = true
            guard position.status == .active else { return "Run \(position.run) is \(position.status.rawValue)." }
            let place = position.step ?? "the end"
            return "Interrupted at \(place); progress is saved. Resume with: runbook resume \(position.run)"
        }
    }
}
