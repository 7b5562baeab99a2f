#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One pass through a step, as the report keeps it (SPEC 8): every pass of a retry loop, and a finish
/// later undone by `back`, marked as such.
public struct Visit: Hashable, Sendable {
    public var step: String
    /// `done` or `skipped`.
    public var status: StepProgress.Status
    /// The option chosen there, on a decision step.
    public var option: String?
    /// True when `back` undid this finish (and its choice).
    public var undone: Bool
    public var at: Date
    public var by: String
    /// The check's verdict that informed the choice, when a choice was made after a check.
    public var verdict: StepProgress.CheckStatus?

    public init(step: String, status: StepProgress.Status, option: String? = nil, undone: Bool = false, at: Date, by: String,
                verdict: StepProgress.CheckStatus? = nil) {
        self.step = step
        self.status = status
        self.option = option
        self.undone = undone
        self.at = at
        self.by = by
        self.verdict = verdict
    }
}
