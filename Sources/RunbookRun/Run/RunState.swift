import RunbookModel
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where a run stands: a pure function of its events.
public struct RunState: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, Codable {
        case active, completed, abandoned
        /// The path led to another runbook, whose run goes on from this one.
        case handedOff
    }

    /// Where a run handed off to: a runbook, and the run of it that began.
    public struct HandOff: Hashable, Sendable {
        public var runbook: String
        public var run: String

        public init(runbook: String, run: String) {
            self.runbook = runbook
            self.run = run
        }
    }

    public var run: String
    public var runbook: String
    public var runbookPath: String
    public var title: String
    /// The digest of the runbook as the run last saw it.
    public var runbookDigest: String
    public var status: Status
    public var startedAt: Date
    public var timeZone: String
    public var operatorName: String
    public var host: String
    /// The steps in the runbook's current order.
    public internal(set) var steps: [StepProgress]
    /// Non-secret variable values recorded in the run.
    public var variables: [String: String]
    /// Set by a pause, cleared when a walk resumes.
    public var pausedBy: PauseReason?
    public var endedAt: Date?
    public var abandonReason: String?
    /// The run this one handed off to (status `handedOff`).
    public var handedOffTo: HandOff?
    /// The run this one was handed off from.
    public var cameFrom: String?
    public var lastEventAt: Date
    /// Since when the current step has been on screen (nil while paused).
    public var currentSince: Date?
    /// The variables the runbook declared secret when the run started or resumed: never recorded, never shown.
    public var secretNames: Set<String>
    /// The steps finished on the path as walked, in the order they were finished: `back` reopens the last.
    public internal(set) var path: [String]
    /// Every choice made, in order (a choice undone by `back` stays here; the step's `choice` is the one that stands).
    public var choices: [ChoiceRecord]
    /// Every pass through a step, in order (SPEC 8): each pass of a retry loop, and finishes `back` undid.
    public internal(set) var visits: [Visit]
    /// Who wrote the last event, and where: a resume by someone else, or elsewhere, is a handover.
    public var lastOperator: String
    public var lastHost: String
    /// Each time the run changed hands (SPEC 9), in order.
    public var handovers: [Handover] = []
    /// For a fork (`RUN~…`, SPEC 9): the run it forked from and where. Set by the store, not by an event.
    public var fork: Fork?
    /// Every command runbook ran for the operator (`run`), in order: how it ended, never what it printed.
    public internal(set) var commands: [CommandRecord] = []
    /// What the reducer keeps to answer in constant time: a function of the fields above.
    var tally = Tally()

    init(run: String, runbook: String, runbookPath: String, title: String, runbookDigest: String, status: Status,
         startedAt: Date, timeZone: String, operatorName: String, host: String, steps: [StepProgress],
         variables: [String: String], pausedBy: PauseReason?, endedAt: Date?, abandonReason: String?, lastEventAt: Date,
         currentSince: Date?, secretNames: Set<String> = [], path: [String] = [], choices: [ChoiceRecord] = [],
         visits: [Visit] = []) {
        self.run = run
        self.runbook = runbook
        self.runbookPath = runbookPath
        self.title = title
        self.runbookDigest = runbookDigest
        self.status = status
        self.startedAt = startedAt
        self.timeZone = timeZone
        self.operatorName = operatorName
        self.host = host
        self.steps = steps
        self.variables = variables
        self.pausedBy = pausedBy
        self.endedAt = endedAt
        self.abandonReason = abandonReason
        self.lastEventAt = lastEventAt
        self.currentSince = currentSince
        self.secretNames = secretNames
        self.path = path
        self.choices = choices
        self.visits = visits
        lastOperator = operatorName
        lastHost = host
        recount()
    }

    /// True when `name` is a run name: it matches `[A-Za-z0-9][A-Za-z0-9._-]*`.
    public static func isValidRunName(_ name: String) -> Bool {
        func alnum(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
        }
        guard let first = name.unicodeScalars.first, alnum(first), name.count <= 200 else { return false }
        return name.unicodeScalars.allSatisfy { alnum($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// The first pending step in file order (bypassed steps are not pending).
    public var currentIndex: Int? { tally.current }

    public var current: StepProgress? {
        currentIndex.map { steps[$0] }
    }

    public var doneCount: Int { tally.count[.done, default: 0] }
    public var skippedCount: Int { tally.count[.skipped, default: 0] }
    public var bypassedCount: Int { tally.count[.bypassed, default: 0] }

    /// The place of the step `id` in `steps`, nil when the run has no such step.
    public func index(of id: String) -> Int? { tally.index[id] }

    /// The runbook's own number of the step at `index` (SPEC 6): its place in the runbook, from 1.
    public func number(of index: Int) -> Int { index + 1 }

    /// "step N of M" for the current step: N its number in the runbook, M the runbook's steps; nil when none is pending.
    public var position: String? {
        currentIndex.map { "step \(number(of: $0)) of \(steps.count)" }
    }

    /// Progress on the path as known now: steps done or skipped, and steps still pending on it (bypassed ones are off it).
    public var progress: (done: Int, left: Int) {
        (doneCount + skippedCount, tally.count[.pending, default: 0])
    }

    /// How many times the step has been finished (done or skipped) so far, its visits `back` undid not
    /// counted: 1 while a retry loop walks it a second time.
    public func passes(of id: String) -> Int { tally.passes[id, default: 0] }

    /// The runbook the path hands off to: the last step finished led to another runbook, and none is pending.
    public var pendingHandOff: String? {
        guard status == .active, currentIndex == nil, let index = previousIndex else { return nil }
        return (steps[index].choice?.target ?? steps[index].next).flatMap(ChoiceOption.handOff)
    }

    /// The step `back` would reopen: the last step finished on the path.
    public var previousIndex: Int? {
        path.last.flatMap(index(of:))
    }
}

/// Figures the reducer keeps up to date as events apply, so that an event's cost does not grow with
/// the runbook's length: no query scans the steps.
///
/// Derived from a state's other fields, so two states that differ only here are the same state: equality
/// and hashing ignore it.
struct Tally: Hashable, Sendable {
    /// Each step's place in `steps`, by id.
    var index: [String: Int] = [:]
    /// How many steps have each status.
    var count: [StepProgress.Status: Int] = [:]
    /// The first pending step in file order.
    var current: Int?
    /// The steps each step bypassed, by its id (an entry may be stale: the step's `bypassedBy` decides).
    var bypasses: [String: [Int]] = [:]
    /// How many times each step has been finished, a finish undone by `back` not counted.
    var passes: [String: Int] = [:]
    /// The jumps back to a step that another had bypassed (`Lift`), by the id of the step that jumped.
    var lifted: [String: Lift] = [:]
    /// Steps the reducer looked at, summed over every event: what the tests hold linear in the events.
    var work = 0

    /// A plain backward jump's target, and the step whose choice or `Next:` had bypassed it.
    struct Lift: Hashable, Sendable {
        var step: Int
        var bypassedBy: String
    }

    static func == (lhs: Tally, rhs: Tally) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}

/// A run changing hands: a resume by another operator or on another host, or a take-over (SPEC 9).
public struct Handover: Hashable, Sendable {
    public var at: Date
    public var fromOperator: String
    public var fromHost: String
    public var toOperator: String
    public var toHost: String
    /// `resume --take-over`: the other walk was not paused or ended.
    public var takeover: Bool

    public init(at: Date, fromOperator: String, fromHost: String, toOperator: String, toHost: String, takeover: Bool) {
        self.at = at
        self.fromOperator = fromOperator
        self.fromHost = fromHost
        self.toOperator = toOperator
        self.toHost = toHost
        self.takeover = takeover
    }
}

/// Where a fork left the run it continues (SPEC 9): two walks continued the same event apart.
public struct Fork: Hashable, Sendable {
    /// The run whose name the first continuation kept.
    public var run: String
    /// The number of the last event the two share.
    public var afterEvent: Int
    /// The step that was current at that event (its id), nil when none was pending.
    public var step: String?

    public init(run: String, afterEvent: Int, step: String?) {
        self.run = run
        self.afterEvent = afterEvent
        self.step = step
    }
}

/// A choice as the run keeps it: at which step, which option, where it led, who and when.
public struct ChoiceRecord: Hashable, Sendable {
    public var step: String
    public var option: String
    public var target: String
    public var at: Date
    public var by: String
    /// The step was skipped (with this reason) rather than done.
    public var skipReason: String?

    public init(step: String, option: String, target: String, at: Date, by: String, skipReason: String? = nil) {
        self.step = step
        self.option = option
        self.target = target
        self.at = at
        self.by = by
        self.skipReason = skipReason
    }
}

/// One step of a run and what happened to it.
public struct StepProgress: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, Codable {
        /// Not bypassed: on the path, still to do.
        case pending
        case done
        case skipped
        /// Off the path: a choice or a `Next:` jumped over it.
        case bypassed
    }

    public enum CheckStatus: String, Hashable, Sendable, Codable {
        case passed, failed
    }

    public struct Note: Hashable, Sendable {
        public var text: String
        public var at: Date
        public var by: String

        public init(text: String, at: Date, by: String) {
            self.text = text
            self.at = at
            self.by = by
        }
    }

    public var id: String
    public var title: String
    public var place: String
    public var digest: String
    public var status: Status = .pending
    public var completedAt: Date?
    public var completedBy: String?
    public var reason: String?
    public var notes: [Note] = []
    /// Since when the walk has waited on this pass of the step (`Wait:`), and for how long; nil before it began.
    public var waitStarted: (at: Date, seconds: Int)? {
        get { waitStartedAt.map { ($0, waitSeconds) } }
        set { waitStartedAt = newValue?.at; waitSeconds = newValue?.seconds ?? 0 }
    }
    var waitStartedAt: Date?
    var waitSeconds = 0
    /// How this pass's wait ended; nil while it lasts or before it began.
    public var waitEnded: WaitEnd?
    public var check: CheckStatus?
    public var checkFailure: String?
    /// Seconds the step was on screen before it was completed or skipped.
    public var seconds: Double = 0
    /// Where the step leads, from its record: `Next:` and the options of `Choose:`.
    public var next: String?
    public var options: [OptionRecord] = []
    /// The option that stands, on a decision step that was done or skipped.
    public var choice: OptionRecord?
    /// For a bypassed step, the step whose choice or `Next:` jumped over it.
    public var bypassedBy: String?

    public init(_ record: StepRecord) {
        id = record.id
        title = record.title
        place = record.place
        digest = record.digest
        next = record.next
        options = record.options ?? []
    }

    public var record: StepRecord {
        StepRecord(id: id, title: title, place: place, digest: digest, next: next, options: options.isEmpty ? nil : options)
    }

    /// A decision step: it is finished by a choice.
    public var isDecision: Bool { !options.isEmpty }
}
