import RunbookModel
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
        guard RunState.isValidRunName(start.run) else { throw IllegalEvent("`\(start.run)` is not a run name") }
        guard !start.steps.isEmpty else { throw IllegalEvent("a run needs at least one step") }
        guard Set(start.steps.map(\.id)).count == start.steps.count else {
            throw IllegalEvent("two steps share an id")
        }
        try Self.checkPaths(start.steps)
        self.init(
            run: start.run, runbook: start.runbook, runbookPath: start.path, title: start.title,
            runbookDigest: start.runbookDigest, status: .active, startedAt: record.at, timeZone: record.timeZone,
            operatorName: record.operatorName, host: record.host, steps: start.steps.map(StepProgress.init),
            variables: [:], pausedBy: nil, endedAt: nil, abandonReason: nil, lastEventAt: record.at,
            currentSince: record.at, secretNames: Set(start.secrets))
        cameFrom = start.from
    }

    /// Every `Next:` and option of `records` leads to one of their steps, or to `end`; no step offers a KEY twice.
    static func checkPaths(_ records: [StepRecord]) throws(IllegalEvent) {
        let ids = Set(records.map(\.id))
        for record in records {
            let keys = (record.options ?? []).map(\.key)
            guard Set(keys).count == keys.count else {
                throw IllegalEvent("step `\(record.id)` offers the same option KEY twice")
            }
            let targets = (record.options ?? []).map(\.target) + (record.next.map { [$0] } ?? [])
            for target in targets where !ChoiceOption.isFinal(target) && !ids.contains(target) {
                throw IllegalEvent("step `\(record.id)` leads to #\(target), which is no step of the run")
            }
        }
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
        lastOperator = record.operatorName
        lastHost = record.host
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
            guard !steps[index].isDecision else { throw IllegalEvent("`\(id)` is a decision step: a choice finishes it") }
            finish(index, as: .done, at: at, by: record.operatorName)
            go(from: index, to: steps[index].next)
        case .stepSkipped(let id, let reason):
            let index = try currentStep(id, "skip")
            guard !steps[index].isDecision else { throw IllegalEvent("`\(id)` is a decision step: a choice finishes it, skipped or not") }
            guard !reason.trimmed.isEmpty else { throw IllegalEvent("skipping a step needs a reason") }
            finish(index, as: .skipped, at: at, by: record.operatorName)
            steps[index].reason = reason
            go(from: index, to: steps[index].next)
        case .choiceMade(let id, let option, let target, let reason, let verdict):
            let index = try currentStep(id, "choose at")
            guard let chosen = steps[index].options.first(where: { $0.key == option }) else {
                throw IllegalEvent("`\(id)` has no option `\(option)`")
            }
            guard chosen.target == target else {
                throw IllegalEvent("option `\(option)` of `\(id)` leads to #\(chosen.target), not #\(target)")
            }
            if let reason, reason.trimmed.isEmpty { throw IllegalEvent("skipping a step needs a reason") }
            finish(index, as: reason == nil ? .done : .skipped, at: at, by: record.operatorName, option: option, verdict: verdict)
            steps[index].reason = reason
            steps[index].choice = chosen
            choices.append(ChoiceRecord(step: id, option: option, target: target, at: at, by: record.operatorName, skipReason: reason))
            go(from: index, to: target)
        case .stepReopened(let id):
            guard let index = previousIndex, steps[index].id == id else {
                throw IllegalEvent("only the step before the current one can be reopened, not `\(id)`")
            }
            if let since = currentSince, let current = currentIndex {
                steps[current].seconds += at.timeIntervalSince(since)
            }
            reopen(index)
            if let visit = visits.lastIndex(where: { $0.step == id && !$0.undone }) {
                visits[visit].undone = true
                tally.passes[id, default: 1] -= 1
            }
            currentSince = pausedBy == nil ? at : nil
        case .noteAdded(let id, let text):
            guard let index = index(of: id) else { throw IllegalEvent("no step `\(id)` in this run") }
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
        case .commandRan(let id, let status, let seconds, let via):
            _ = try currentStep(id, "run the command of")
            guard (0...255).contains(status), seconds >= 0 else { throw IllegalEvent("a command's status is 0 to 255 and its time not negative") }
            commands.append(CommandRecord(step: id, status: status, seconds: seconds, via: via, at: at, by: record.operatorName))
        case .runPaused(let reason):
            if let since = currentSince, let current = currentIndex {
                steps[current].seconds += at.timeIntervalSince(since)
            }
            pausedBy = reason
            currentSince = nil
        case .waitStarted(let id, let seconds):
            let index = try currentStep(id, "wait at")
            guard seconds > 0 else { throw IllegalEvent("a wait lasts at least a second") }
            steps[index].waitStarted = (at, seconds)
            steps[index].waitEnded = nil
        case .waitEnded(let id, let how):
            let index = try currentStep(id, "end the wait at")
            guard steps[index].waitStartedAt != nil, steps[index].waitEnded == nil else { throw IllegalEvent("no wait is under way at `\(id)`") }
            steps[index].waitEnded = how
        case .runResumed(let digest, let records, let secrets, let takeover):
            guard !records.isEmpty, Set(records.map(\.id)).count == records.count else {
                throw IllegalEvent("a resumed run needs steps with distinct ids")
            }
            try Self.checkPaths(records)
            // A walk taken up by someone else, or elsewhere, is a handover; a take-over says whose walk it cut short.
            if let takeover {
                handovers.append(Handover(at: at, fromOperator: takeover.operatorName, fromHost: takeover.host,
                                          toOperator: record.operatorName, toHost: record.host, takeover: true))
            } else if record.operatorName != lastOperator || record.host != lastHost {
                handovers.append(Handover(at: at, fromOperator: lastOperator, fromHost: lastHost,
                                          toOperator: record.operatorName, toHost: record.host, takeover: false))
            }
            resume(with: records)
            runbookDigest = digest
            // Once secret, always secret in this run: a value recorded before it became secret is dropped.
            secretNames.formUnion(secrets)
            for name in secrets { variables[name] = nil }
            pausedBy = nil
            currentSince = at
        case .runCompleted:
            if let pending = current { throw IllegalEvent("step `\(pending.id)` is still pending") }
            if let other = pendingHandOff { throw IllegalEvent("the path hands off to \(other): the run ends handed off, not completed") }
            status = .completed
            endedAt = at
        case .runHandedOff(let runbook, let run):
            guard let pending = pendingHandOff else { throw IllegalEvent("the path does not lead to another runbook: nothing to hand off") }
            guard pending == runbook else { throw IllegalEvent("the path leads to \(pending), not \(runbook)") }
            guard RunState.isValidRunName(run) else { throw IllegalEvent("`\(run)` is not a run name") }
            status = .handedOff
            handedOffTo = HandOff(runbook: runbook, run: run)
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

    private mutating func finish(_ index: Int, as status: StepProgress.Status, at: Date, by: String, option: String? = nil,
                                 verdict: StepProgress.CheckStatus? = nil) {
        if let since = currentSince { steps[index].seconds += at.timeIntervalSince(since) }
        mark(index, status)
        steps[index].completedAt = at
        steps[index].completedBy = by
        // A later pass through the step (a loop, `back`) waits again.
        steps[index].waitStarted = nil
        steps[index].waitEnded = nil
        path.append(steps[index].id)
        visits.append(Visit(step: steps[index].id, status: status, option: option, at: at, by: by, verdict: verdict))
        tally.passes[steps[index].id, default: 0] += 1
        currentSince = pausedBy == nil ? at : nil
    }

    /// Sets a step's status, keeping the tally: the counts, and the current step (a step pending again can
    /// only move it earlier; the current step finished or bypassed moves it on to the next pending one).
    private mutating func mark(_ index: Int, _ status: StepProgress.Status, bypassedBy: String? = nil) {
        tally.count[steps[index].status, default: 0] -= 1
        tally.count[status, default: 0] += 1
        steps[index].status = status
        steps[index].bypassedBy = bypassedBy
        if status == .pending {
            if tally.current.map({ index < $0 }) ?? true { tally.current = index }
        } else if tally.current == index {
            var next = index + 1
            while next < steps.count, steps[next].status != .pending {
                next += 1
                tally.work += 1
            }
            tally.current = next < steps.count ? next : nil
        }
    }

    /// The path after the step at `index` was finished: on to `target` (a step id or `end`), or in file order.
    ///
    /// Forward, the steps jumped over are bypassed. Backward to a step the path passed through (a retry
    /// loop), the steps walked from the target to this one are pending again, their earlier passes kept
    /// among the visits. Backward to a step the path never passed through (a shared close-out placed
    /// early), the target alone is back on the path: nothing walked is undone.
    private mutating func go(from index: Int, to target: String?, replaying: Bool = false) {
        guard let target else { return }
        let by = steps[index].id
        guard !ChoiceOption.isFinal(target) else { return bypass(index + 1..<steps.count, by: by) }
        guard let destination = self.index(of: target) else { return }
        if destination > index {
            bypass(index + 1..<destination, by: by)
        } else if steps[destination].status == .done || steps[destination].status == .skipped {
            if !replaying { loop(back: destination) }
        } else if steps[destination].status == .bypassed, let bypasser = steps[destination].bypassedBy {
            mark(destination, .pending)
            tally.lifted[by] = Tally.Lift(step: destination, bypassedBy: bypasser)
        }
    }

    /// A retry loop to the finished step at `destination`: the steps walked since its last pass, from it on
    /// in the file, are pending again (a step walked on the way that stands before it in the file stays done).
    private mutating func loop(back destination: Int) {
        let target = steps[destination].id
        var position = path.count - 1
        while position >= 0, path[position] != target { position -= 1 }
        guard position >= 0 else { return }
        let walked = path[position...].compactMap(index(of:)).filter { $0 >= destination }
        for step in walked.reversed() { reopen(step) }
    }

    private mutating func bypass(_ range: Range<Int>, by step: String) {
        for index in range {
            tally.work += 1
            guard steps[index].status == .pending else { continue }
            mark(index, .bypassed, bypassedBy: step)
            tally.bypasses[step, default: []].append(index)
        }
    }

    /// The step is pending again: its completion and choice undone, and the steps its choice or `Next:`
    /// bypassed are back on the path until it is finished again.
    private mutating func reopen(_ index: Int) {
        let id = steps[index].id
        tally.work += 1
        if steps[index].status != .pending { mark(index, .pending) }
        steps[index].completedAt = nil
        steps[index].completedBy = nil
        steps[index].reason = nil
        steps[index].choice = nil
        if path.last == id {
            path.removeLast()
        } else if let last = path.lastIndex(of: id) {
            path.remove(at: last)
        }
        for other in tally.bypasses.removeValue(forKey: id) ?? [] where steps[other].bypassedBy == id {
            tally.work += 1
            mark(other, .pending)
        }
        // Its jump back to a step another had bypassed is undone: that step is bypassed again.
        if let lift = tally.lifted.removeValue(forKey: id), steps[lift.step].status == .pending,
           let bypasser = self.index(of: lift.bypassedBy), steps[bypasser].status == .done || steps[bypasser].status == .skipped {
            mark(lift.step, .bypassed, bypassedBy: lift.bypassedBy)
            tally.bypasses[lift.bypassedBy, default: []].append(lift.step)
        }
    }

    /// The runbook's steps now, matched by id: progress kept, where they lead taken from the runbook,
    /// a choice whose option or target is gone reopened, and the path walked again.
    private mutating func resume(with records: [StepRecord]) {
        let known = Dictionary(steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        steps = records.map { record in
            guard var progress = known[record.id] else { return StepProgress(record) }
            progress.title = record.title
            progress.place = record.place
            progress.digest = record.digest
            progress.next = record.next
            progress.options = record.options ?? []
            return progress
        }
        var lost = Set<String>()
        for index in steps.indices {
            guard let choice = steps[index].choice, !steps[index].options.contains(choice) else { continue }
            lost.insert(steps[index].id)
            steps[index].status = .pending
            steps[index].completedAt = nil
            steps[index].completedBy = nil
            steps[index].reason = nil
            steps[index].choice = nil
        }
        let ids = Set(steps.map(\.id))
        path = path.filter { ids.contains($0) && !lost.contains($0) }
        walkPathAgain(keepingPending: Set(known.values.filter { $0.status == .pending }.map(\.id)))
    }

    /// Where every step stands, worked out again by replaying the path's jumps in the order they were
    /// walked (not in file order: a plain backward jump, and what a loop reopened, stand as they were).
    ///
    /// A step added where a choice or `Next:` jumps is bypassed; a step bypassed by one that is gone is
    /// pending. A backward jump to a step finished on the path reopens nothing here: loops reopened
    /// their steps when they were walked, and a runbook edit does not reopen what was done. A step
    /// pending before (`pending`) stays pending: a loop may have reopened it inside the range of a jump
    /// walked before the loop's target.
    private mutating func walkPathAgain(keepingPending pending: Set<String>) {
        let finished = steps.map(\.status)
        for index in steps.indices {
            steps[index].status = .pending
            steps[index].bypassedBy = nil
        }
        recount()
        for id in path {
            guard let index = index(of: id), finished[index] == .done || finished[index] == .skipped else { continue }
            mark(index, finished[index])
            go(from: index, to: steps[index].choice?.target ?? steps[index].next, replaying: true)
        }
        for index in steps.indices where steps[index].status == .bypassed && pending.contains(steps[index].id) {
            mark(index, .pending)
        }
    }

    /// The tally worked out from the steps, as a run's first event or a resume leaves them.
    mutating func recount() {
        let work = tally.work + steps.count
        tally = Tally()
        tally.work = work
        for visit in visits where !visit.undone { tally.passes[visit.step, default: 0] += 1 }
        for (index, step) in steps.enumerated() {
            tally.index[step.id] = tally.index[step.id] ?? index
            tally.count[step.status, default: 0] += 1
            if step.status == .pending, tally.current == nil { tally.current = index }
            if step.status == .bypassed, let by = step.bypassedBy { tally.bypasses[by, default: []].append(index) }
        }
    }
}
