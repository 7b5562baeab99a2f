import Foundation

/// Why an event cannot apply to a run: the reducer refuses it and leaves the state as it was.
public struct IllegalEvent: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension RunState {
    /// The state after a run's first event; anything but `runStarted` is refused.
    public init(starting record: EventRecord) throws(IllegalEvent) {
        guard case .runStarted(let start) = record.event else {
            throw IllegalEvent("a run must begin with runStarted, not \(record.event.name)")
        }
        guard Invocation.isValidRunName(start.run) else { throw IllegalEvent("`\(start.run)` is not a run name") }
        guard !start.steps.isEmpty else { throw IllegalEvent("a run needs at least one step") }
        guard Set(start.steps.map(\.id)).count == start.steps.count else {
            throw IllegalEvent("two steps share an id")
        }
        self.init(
            run: start.run, runbook: start.runbook, runbookPath: start.path, title: start.title,
            runbookDigest: start.runbookDigest, status: .active, startedAt: record.at, timeZone: record.timeZone,
            operatorName: record.operatorName, host: record.host, steps: start.steps.map(StepProgress.init),
            variables: [:], pausedBy: nil, endedAt: nil, abandonReason: nil, lastEventAt: record.at,
            currentSince: record.at, secretNames: Set(start.secrets))
    }

    /// The state of a whole log of events.
    public static func replay(_ records: [EventRecord]) throws(IllegalEvent) -> RunState {
        guard let first = records.first else { throw IllegalEvent("the log holds no event") }
        var state = try RunState(starting: first)
        for record in records.dropFirst() {
            try state.apply(record)
        }
        return state
    }

    /// Applies one event, or throws and leaves the state unchanged.
    public mutating func apply(_ record: EventRecord) throws(IllegalEvent) {
        // Every case of `reduce` checks everything before it changes anything, so a refused event
        // leaves the state as it was without copying it (a copy per event made replay quadratic).
        try reduce(record)
        lastEventAt = record.at
    }

    /// Applies an event in place. Rule: throw only before the first change.
    private mutating func reduce(_ record: EventRecord) throws(IllegalEvent) {
        let at = record.at
        guard status == .active else {
            throw IllegalEvent("the run is \(status.rawValue): \(record.event.name) cannot follow")
        }
        switch record.event {
        case .runStarted:
            throw IllegalEvent("the run has already started")
        case .variableRecorded(let name, let value):
            guard Variable.isValidName(name) else { throw IllegalEvent("`\(name)` is not a variable name") }
            guard !secretNames.contains(name) else {
                throw IllegalEvent("\(name) is a secret variable: its value is never recorded")
            }
            variables[name] = value
        case .stepCompleted(let id):
            let index = try currentStep(id, "complete")
            finish(index, as: .done, at: at, by: record.operatorName)
        case .stepSkipped(let id, let reason):
            let index = try currentStep(id, "skip")
            guard !reason.trimmed.isEmpty else { throw IllegalEvent("skipping a step needs a reason") }
            finish(index, as: .skipped, at: at, by: record.operatorName)
            steps[index].reason = reason
        case .stepReopened(let id):
            guard let index = previousIndex, steps[index].id == id else {
                throw IllegalEvent("only the step before the current one can be reopened, not `\(id)`")
            }
            if let since = currentSince, let current = currentIndex {
                steps[current].seconds += at.timeIntervalSince(since)
            }
            steps[index].status = .pending
            steps[index].completedAt = nil
            steps[index].completedBy = nil
            steps[index].reason = nil
            currentSince = pausedBy == nil ? at : nil
        case .noteAdded(let id, let text):
            guard let index = steps.firstIndex(where: { $0.id == id }) else { throw IllegalEvent("no step `\(id)` in this run") }
            guard !text.trimmed.isEmpty else { throw IllegalEvent("a note needs text") }
            steps[index].notes.append(.init(text: text, at: at, by: record.operatorName))
        case .checkPassed(let id):
            let index = try currentStep(id, "check")
            steps[index].check = .passed
            steps[index].checkFailure = nil
        case .checkFailed(let id, let reason):
            let index = try currentStep(id, "check")
            steps[index].check = .failed
            steps[index].checkFailure = reason
        case .runPaused(let reason):
            if let since = currentSince, let current = currentIndex {
                steps[current].seconds += at.timeIntervalSince(since)
            }
            pausedBy = reason
            currentSince = nil
        case .runResumed(let digest, let records, let secrets):
            guard !records.isEmpty, Set(records.map(\.id)).count == records.count else {
                throw IllegalEvent("a resumed run needs steps with distinct ids")
            }
            let known = Dictionary(steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            steps = records.map { record in
                guard var progress = known[record.id] else { return StepProgress(record) }
                progress.title = record.title
                progress.place = record.place
                progress.digest = record.digest
                return progress
            }
            runbookDigest = digest
            // Once secret, always secret in this run: a value recorded before it became secret is dropped.
            secretNames.formUnion(secrets)
            for name in secrets { variables[name] = nil }
            pausedBy = nil
            currentSince = at
        case .runCompleted:
            if let pending = current { throw IllegalEvent("step `\(pending.id)` is still pending") }
            status = .completed
            endedAt = at
        case .runAbandoned(let reason):
            guard !reason.trimmed.isEmpty else { throw IllegalEvent("abandoning a run needs a reason") }
            if let since = currentSince, let current = currentIndex {
                steps[current].seconds += at.timeIntervalSince(since)
            }
            status = .abandoned
            abandonReason = reason
            endedAt = at
            currentSince = nil
        }
    }

    private func currentStep(_ id: String, _ verb: String) throws(IllegalEvent) -> Int {
        guard let index = currentIndex else { throw IllegalEvent("no step is pending: nothing to \(verb)") }
        guard steps[index].id == id else {
            throw IllegalEvent("cannot \(verb) `\(id)`: the current step is `\(steps[index].id)`")
        }
        return index
    }

    private mutating func finish(_ index: Int, as status: StepProgress.Status, at: Date, by: String) {
        if let since = currentSince { steps[index].seconds += at.timeIntervalSince(since) }
        steps[index].status = status
        steps[index].completedAt = at
        steps[index].completedBy = by
        currentSince = pausedBy == nil ? at : nil
    }
}
