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

/// `runbook join URL`: make this laptop's state folder a clone of the team's runs repository.
public struct JoinCommand: RunbookCommand {
    public static let configuration = CommandConfiguration(
        name: "join", synopsis: "URL", summary: "share runs through the team's git repository at URL",
        details: "Clones the team's runs repository (any URL git takes: ssh, https, a path) into the state folder, so that runs are shared: walks fetch before they begin and push as they go, and another laptop can resume, take over or watch them. The state folder must not hold runs yet (pass --state-dir DIR for another one).",
        operands: .none)

    public var url: String

    public init(url: String) { self.url = url }

    public init(_ arguments: ParsedArguments) throws(UsageError) {
        url = try arguments.operands(["URL"])[0]
    }

    public func run(in context: CommandContext) throws -> Int32 {
        let state = context.folders.state
        if context.store.shared {
            let origin = Git(folder: state, environment: context.environment).value(["remote", "get-url", "origin"]) ?? "its own repository"
            context.out("The state folder \(state) already shares runs through \(origin).")
            return 0
        }
        let entries = System.entries(ofFolder: state) ?? []
        if !entries.isEmpty {
            return context.fail("the state folder \(state) already holds files (runs walked here before?); move them aside, "
                                + "or join into another folder: `runbook --state-dir DIR join \(url)`")
        }
        let parent = Path.folder(state)
        guard System.makeFolders(parent) else { return context.fail("cannot create \(parent); pass --state-dir DIR") }
        // In the foreground, git may ask for a password: the operator is there.
        var environment = Git.safe(context.environment)
        environment["GIT_TERMINAL_PROMPT"] = nil
        environment["GIT_SSH_COMMAND"] = context.environment["GIT_SSH_COMMAND"]
        let git = Git(folder: parent, environment: context.environment, runner: nil)
        switch git.runner(["clone", "--quiet", "--", url, state], environment, 300) {
        case .failure(.missing):
            return context.fail(SyncError.gitMissing.description)
        case .failure(let failure):
            return context.fail("git clone \(url) did not finish: \(failure)")
        case .success(let output) where output.status != 0:
            let error = SyncError.classify(command: "clone", remote: url, errors: output.errors, folder: state)
            return context.fail(error.description.replacingEvery("runs are saved here and shared at the next sync", with: "nothing was set up"))
        case .success:
            break
        }
        TeamSync(folder: state, environment: context.environment).ensureExcludes()
        let runs = ((try? RunStore(folder: state).names()) ?? []).count
        context.out("Joined \(url): runs are shared through \(state) (\(runs) run\(runs == 1 ? "" : "s") there now). "
                    + "Start one with `runbook start RUNBOOK`; another laptop resumes it with `runbook resume RUN`.")
        return 0
    }
}
