import RunbookModel
import RunbookRun
import RunbookSupport

extension Invocation {
    /// Runs the command in `context` and maps what went wrong to one line on standard error and an
    /// exit status: 64 for a usage error, 1 for the rest.
    public func run(in context: CommandContext) -> Int32 {
        do {
            // Before anything is read or written: an unusable state folder is a usage error, and a
            // folder is never created where it was not asked for (a missing $HOME, the filesystem root).
            if type(of: command).configuration.readsRuns, let problem = context.folders.stateProblem() { throw UsageError(problem) }
            return try command.run(in: context)
        } catch let error as RunSession.Refusal {
            if case .breaksHouseRules(_, let diagnostics) = error {
                for diagnostic in diagnostics { context.warn(diagnostic.description) }
            }
            return context.fail(error.description)
        } catch let error as RunbookFileError {
            return context.fail(error.description)
        } catch let error as LogError {
            return context.fail(error.description)
        } catch let error as UsageError {
            context.warn("runbook: error: \(error.message)")
            return 64
        } catch {
            return context.fail("\(error)")
        }
    }
}
