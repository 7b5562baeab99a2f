#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RunbookModel
import RunbookRun
import RunbookSupport

extension Operator {
    /// Who runs runbook here: `$RUNBOOK_OPERATOR`, else `$USER`, else the login name; this host and its time zone.
    public static func current(environment: [String: String], now: @escaping @Sendable () -> Date) -> Operator {
        let name = environment["RUNBOOK_OPERATOR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? System.userName()
        return Operator(name: name, host: System.hostName(), timeZone: System.timeZoneName(environment: environment), now: now)
    }
}
