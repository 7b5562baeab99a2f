#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A command runbook ran for the operator at `run`: which step, where, how it ended, how long it took.
public struct CommandRecord: Hashable, Sendable {
    public var step: String
    /// The exit status; 128 + N when signal N ended it.
    public var status: Int
    public var seconds: Int
    /// `USER@HOST` when it ran over ssh; nil on the operator's machine.
    public var via: String?
    public var at: Date
    public var by: String

    public init(step: String, status: Int, seconds: Int, via: String?, at: Date, by: String) {
        self.step = step
        self.status = status
        self.seconds = seconds
        self.via = via
        self.at = at
        self.by = by
    }
}
