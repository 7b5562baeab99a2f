import RunbookModel
import RunbookRun
import RunbookSupport

/// `runbook verify RUN`: a run's log checked line by line.
public struct VerifyCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "verify", synopsis: "RUN", summary: "check a run's log: hash chain intact, events legal",
        details: "Checks a run's log: every line readable, the hash chain intact, every event legal.",
        operands: .run, readsRuns: true)

    public var run: String

    public init(run: String) { self.run = run }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        run = try arguments.run() ?? ""
    }

    public func run(in context: CommandContext) throws -> Int32 {
        let log: EventLog
        do {
            log = try context.store.log(of: run)
        } catch {
            return context.fail(error.description)
        }
        if let problem = log.chainProblem() {
            return context.fail("\(log.path): \(problem); the log is left as it is")
        }
        do {
            _ = try log.state()
        } catch {
            return context.fail(error.description)
        }
        context.out("\(log.path): intact: \(log.records.count) events, hash chain verified, every event legal.")
        if log.tornBytes > 0 {
            // Never acknowledged, so nothing is lost: the chain before it is whole (SPEC 7).
            context.out("The last line is torn (\(log.tornBytes) bytes, a write cut short by a crash): it was never acknowledged, "
                        + "so nothing is lost; the next walk (`runbook resume \(run)`) cuts it off.")
        }
        return 0
    }
}
