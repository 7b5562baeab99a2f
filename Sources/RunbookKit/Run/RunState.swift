import Foundation

/// Where a run stands: a pure function of its events.
public struct RunState: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, Codable {
        case active, completed, abandoned
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
    public var steps: [StepProgress]
    /// Non-secret variable values recorded in the run.
    public var variables: [String: String]
    /// Set by a pause, cleared when a walk resumes.
    public var pausedBy: PauseReason?
    public var endedAt: Date?
    public var abandonReason: String?
    public var lastEventAt: Date
    /// Since when the current step has been on screen (nil while paused).
    public var currentSince: Date?
    /// The variables the runbook declared secret when the run started or resumed: never recorded, never shown.
    public var secretNames: Set<String> = []

    /// The first step that is neither done nor skipped.
    public var currentIndex: Int? {
        // Index loop, not firstIndex(where:): that copies each step into the closure.
        for index in steps.indices where steps[index].status == .pending { return index }
        return nil
    }

    public var current: StepProgress? {
        currentIndex.map { steps[$0] }
    }

    public var doneCount: Int { steps.count { $0.status == .done } }
    public var skippedCount: Int { steps.count { $0.status == .skipped } }

    /// The step `back` would reopen: the last step before the current one (or the last step).
    public var previousIndex: Int? {
        let end = currentIndex ?? steps.count
        return end > 0 ? end - 1 : nil
    }
}

/// One step of a run and what happened to it.
public struct StepProgress: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, Codable {
        case pending, done, skipped
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
    public var check: CheckStatus?
    public var checkFailure: String?
    /// Seconds the step was on screen before it was completed or skipped.
    public var seconds: Double = 0

    public init(_ record: StepRecord) {
        id = record.id
        title = record.title
        place = record.place
        digest = record.digest
    }

    public var record: StepRecord {
        StepRecord(id: id, title: title, place: place, digest: digest)
    }
}
