#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RunbookModel
import RunbookRun
import RunbookSupport

/// `runbook watch RUN`: follow a run as its events arrive, from this laptop or the team's repository.
public struct WatchCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "watch", synopsis: "RUN [--interval SECONDS]", summary: "follow a run as its events arrive",
        details: "Prints one line per event of RUN (when, who, what, which step) as they arrive: from this laptop's state folder, or in a shared one through a fetch every --interval seconds (default 5). Ends with exit status 0 when the run ends (completed or abandoned); Ctrl-C stops watching.",
        flags: [.init("--interval", takesValue: true)], operands: .run, readsRuns: true)

    public var run: String
    public var interval: Double

    public init(run: String, interval: Double = 5) {
        self.run = run
        self.interval = interval
    }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        run = try arguments.run() ?? ""
        let text = try arguments.single("--interval") ?? "5"
        guard let seconds = Double(text), seconds > 0, seconds <= 3600 else {
            throw UsageError("--interval \(text): give a number of seconds from 0.1 to 3600")
        }
        interval = max(seconds, 0.1)
    }

    public func run(in context: CommandContext) throws -> Int32 {
        var shown = 0
        var warned = false
        var first = true
        while true {
            if context.sharing {
                do {
                    _ = try context.teamSync().pull()
                } catch {
                    // Said once; the watch goes on with what arrives.
                    if !warned { context.warn("runbook: note: " + error.description) }
                    warned = true
                }
            }
            let log: EventLog
            do {
                log = try context.store.log(of: run)
            } catch {
                if first { throw error }
                usleep(UInt32(interval * 1_000_000))
                continue
            }
            let state = try log.state()
            if first {
                context.out("Watching run \(state.run): \(state.title) (Ctrl-C stops watching).")
                first = false
            }
            for record in log.records.dropFirst(shown) {
                context.out(Self.line(record, in: state))
            }
            shown = log.records.count
            if state.status != .active {
                context.out("Run \(state.run) is \(state.status.rawValue).")
                return 0
            }
            usleep(UInt32(interval * 1_000_000))
        }
    }

    /// `2026-11-28 03:04:05 UTC  bob on laptop-b  done: step 2 (Restart the proxy)`.
    static func line(_ record: EventRecord, in state: RunState) -> String {
        func step(_ id: String) -> String {
            state.index(of: id).map { "step \(state.number(of: $0)) (\(state.steps[$0].title))" } ?? id
        }
        let what: String
        switch record.event {
        case .stepCompleted(let id): what = "done: " + step(id)
        case .checkPassed(let id): what = "check passed: " + step(id)
        case .noteAdded(let id, let text): what = "note at \(step(id)): \(text)"
        default: what = RunReport.happening(record.event, titles: state) ?? record.event.name
        }
        return "\(RunReport.time(record.at))  \(record.operatorName) on \(record.host)  \(what)".escapingControlCharacters
    }
}
