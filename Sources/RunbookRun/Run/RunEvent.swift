import RunbookModel
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Something that happened in a run, named after what happened.
public enum RunEvent: Hashable, Sendable {
    /// The run began: which runbook, at which digest, with which steps.
    case runStarted(RunStart)
    /// A non-secret variable got its value.
    case variableRecorded(name: String, value: String)
    case stepCompleted(step: String)
    /// A decision step is done (or, with a reason, skipped) and its option chosen, at once: the path goes on at `target`.
    /// `verdict` is the check's, when the check informed the choice (absent in older logs).
    case choiceMade(step: String, option: String, target: String, skipReason: String?, verdict: StepProgress.CheckStatus? = nil)
    case stepSkipped(step: String, reason: String)
    /// `back`: a completed or skipped step is pending again.
    case stepReopened(step: String)
    case noteAdded(step: String, text: String)
    case checkPassed(step: String)
    /// The check failed; `reason` says which expectation (never a secret or pasted text).
    case checkFailed(step: String, reason: String)
    /// `run`: runbook ran the step's run block, here or on `via` (`USER@HOST`), for `seconds`, and it
    /// ended with `status` (128 + N when signal N ended it). What it printed is never recorded.
    case commandRan(step: String, status: Int, seconds: Int, via: String?)
    case runPaused(reason: PauseReason)
    /// The walk began to wait `seconds` before the step's prompt (`Wait:`); a resumed walk counts from this event's time.
    case waitStarted(step: String, seconds: Int)
    /// The wait ended: its time was up, Enter or Ctrl-C ended it early, or the polled check passed.
    case waitEnded(step: String, how: WaitEnd)
    /// A walk took the run up again; `steps` is the runbook's step list now, which may differ from before,
    /// and `secrets` the variables it declares secret now. `takeover` names whom the run was taken from with
    /// `resume --take-over`, while their walk was not paused or ended (SPEC 9).
    case runResumed(runbookDigest: String, steps: [StepRecord], secrets: [String] = [], takeover: Takeover? = nil)
    case runCompleted
    /// The path led to another runbook: the run ends, and run `run` of `runbook` goes on from it.
    case runHandedOff(runbook: String, run: String)
    case runAbandoned(reason: String)

    /// The kinds of event, each named as the log stores it: the one list that naming, reading and
    /// checking a log line all switch over.
    public enum Kind: String, CaseIterable, Hashable, Sendable {
        case runStarted, variableRecorded, stepCompleted, choiceMade, stepSkipped, stepReopened, noteAdded
        case checkPassed, checkFailed, commandRan, runPaused, waitStarted, waitEnded, runResumed, runCompleted, runHandedOff, runAbandoned
    }

    public var kind: Kind {
        switch self {
        case .runStarted: .runStarted
        case .variableRecorded: .variableRecorded
        case .stepCompleted: .stepCompleted
        case .choiceMade: .choiceMade
        case .stepSkipped: .stepSkipped
        case .stepReopened: .stepReopened
        case .noteAdded: .noteAdded
        case .checkPassed: .checkPassed
        case .checkFailed: .checkFailed
        case .commandRan: .commandRan
        case .runPaused: .runPaused
        case .waitStarted: .waitStarted
        case .waitEnded: .waitEnded
        case .runResumed: .runResumed
        case .runCompleted: .runCompleted
        case .runHandedOff: .runHandedOff
        case .runAbandoned: .runAbandoned
        }
    }

    /// The event's name as stored in the log.
    public var name: String { kind.rawValue }
}

/// What the first event of a run records.
public struct RunStart: Hashable, Sendable, Codable {
    public var run: String
    public var runbook: String
    public var path: String
    public var title: String
    public var runbookDigest: String
    public var steps: [StepRecord]
    /// The variables the runbook declares secret: their values are never recorded.
    public var secrets: [String]
    /// The run this one was handed off from, when it was.
    public var from: String?

    public init(run: String, runbook: String, path: String, title: String, runbookDigest: String, steps: [StepRecord],
                secrets: [String] = [], from: String? = nil) {
        self.from = from
        self.run = run
        self.runbook = runbook
        self.path = path
        self.title = title
        self.runbookDigest = runbookDigest
        self.steps = steps
        self.secrets = secrets
    }

    public init(run: String, runbook: Runbook) {
        self.init(run: run, runbook: runbook.id, path: runbook.path, title: runbook.title,
                  runbookDigest: runbook.digest, steps: runbook.steps.map(StepRecord.init), secrets: runbook.secretNames)
    }
}

/// A step as a run knows it: id, title, where, the digest of its content, and where it leads.
///
/// The run keeps the path of the runbook (`Next:` and the options of `Choose:`), so that which steps
/// a choice bypasses is a pure function of the events. Logs written before paths existed lack both
/// fields: their steps go on in file order.
public struct StepRecord: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    public var place: String
    public var digest: String
    /// `Next: #target`: a step id or `end`.
    public var next: String?
    /// The options of `Choose:`, in order.
    public var options: [OptionRecord]?

    public init(id: String, title: String, place: String, digest: String, next: String? = nil, options: [OptionRecord]? = nil) {
        self.id = id
        self.title = title
        self.place = place
        self.digest = digest
        self.next = next
        self.options = options
    }

    public init(_ step: Step) {
        self.init(id: step.id, title: step.title, place: step.place, digest: step.digest, next: step.next,
                  options: step.choice.map { $0.options.map { OptionRecord(key: $0.key, target: $0.target.value) } })
    }

    enum CodingKeys: String, CodingKey {
        case id, title, digest, next, options
        case place = "where"
    }
}

/// An option of a decision as a run knows it: the KEY and where it leads.
public struct OptionRecord: Hashable, Sendable, Codable {
    public var key: String
    /// A step id, or `end`.
    public var target: String

    public init(key: String, target: String) {
        self.key = key
        self.target = target
    }
}

/// Whose walk a `resume --take-over` took a run from: the operator and host of the session it cut short.
public struct Takeover: Hashable, Sendable {
    public var operatorName: String
    public var host: String

    public init(operatorName: String, host: String) {
        self.operatorName = operatorName
        self.host = host
    }
}

/// How a wait ended.
public enum WaitEnd: String, Hashable, Sendable, Codable {
    /// Its time was up.
    case elapsed
    /// The operator pressed Enter.
    case ended
    /// Ctrl-C.
    case interrupted
    /// The check it ran every so often passed.
    case checkPassed
}

public enum PauseReason: String, Hashable, Sendable, Codable {
    /// The operator typed `quit`.
    case quit
    /// Standard input ended.
    case inputEnded
    /// Ctrl-C, SIGTERM or SIGHUP.
    case interrupted
}

extension EventRecord {
    /// How times are written in the log and the reports: ISO 8601, UTC, milliseconds.
    public static func stamp(_ date: Date) -> String { System.utcStamp(date) }
}

/// An event with when and by whom: one line of a run's log.
public struct EventRecord: Hashable, Sendable {
    public var event: RunEvent
    public var at: Date
    public var timeZone: String
    public var operatorName: String
    public var host: String

    public init(_ event: RunEvent, at: Date, timeZone: String = "UTC", operatorName: String = "operator", host: String = "host") {
        self.event = event
        self.at = at
        self.timeZone = timeZone
        self.operatorName = operatorName
        self.host = host
    }
}
