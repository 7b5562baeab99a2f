import RunbookModel
import RunbookSupport
/// What can go wrong with a run's log; each message says what to do next.
public enum LogError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case badLine(path: String, line: Int, reason: String)
    case newerVersion(path: String, line: Int, reason: String)
    case illegalEvent(path: String, line: Int, reason: String)
    /// The hash chain is broken before the last line: the log was changed after it was written.
    case brokenChain(path: String, run: String, problem: String)
    case locked(run: String, holder: String)
    case writeFailed(path: String, reason: String)
    case noSuchRun(run: String, suggestion: String?)
    case runExists(run: String)
    /// The log holds no complete event: a start stopped before it saved anything.
    case unstarted(run: String, path: String)
    case stateFolder(path: String, reason: String)
    /// A FIFO, device, socket, folder or symbolic link where a log or a lock belongs: never read, followed or written.
    case notRegular(path: String, kind: String)
    /// An interrupt sealed the walk's log: nothing more is written by this process.
    case interrupted(run: String)
    /// The walk tried an event the run's reducer refuses: a bug, and nothing was written.
    case refused(run: String, reason: String)

    /// The error for a log or lock at `path` that could not be opened: `missing` is `unreadable`.
    static func opening(_ path: String, _ problem: RegularFile.Problem) -> LogError {
        switch problem {
        case .missing: .unreadable(path: path, reason: "No such file or directory")
        case .notRegular(let kind): .notRegular(path: path, kind: kind)
        case .failed(let reason): .unreadable(path: path, reason: reason)
        }
    }

    /// The run a log path names: `…/runs/RUN.jsonl` gives RUN.
    static func run(ofLog path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.hasSuffix(".jsonl") ? String(name.dropLast(6)) : name
    }

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "\(path): cannot be read (\(reason)); check its permissions"
        case .badLine(let path, let line, let reason):
            "\(path):\(line): \(reason); the log is left as it is: inspect that line, or start a new run"
        case .newerVersion(let path, let line, let reason):
            "\(path):\(line): \(reason); the log is left as it is"
        case .illegalEvent(let path, let line, let reason):
            "\(path):\(line): an event that cannot happen here (\(reason)); the log is left as it is: inspect that line, or start a new run"
        case .brokenChain(let path, let run, let problem):
            "\(path): \(problem); the log was changed after it was written, so it is read-only: nothing is added to it "
                + "(`runbook report \(run)` still shows what it says; `runbook start RUNBOOK` begins a new run)"
        case .locked(let run, let holder):
            "run \(run) is being walked by \(holder); finish or quit that walk first (or stop that process)"
        case .writeFailed(let path, let reason):
            "could not save progress to \(path): \(reason); the last answer was not recorded: "
                + "free space (or fix the state folder), then `runbook resume \(Self.run(ofLog: path))`"
        case .noSuchRun(let run, let suggestion):
            "no run named \(run)" + (suggestion.map { "; did you mean \($0)?" } ?? "; `runbook runs --all` lists them")
        case .runExists(let run):
            "a run named \(run) already exists; resume it with `runbook resume \(run)`, or pick another --run NAME"
        case .unstarted(let run, let path):
            "no run named \(run): \(path) holds no complete event (a start stopped before it saved anything, so nothing "
                + "was acknowledged); start it again with `runbook start RUNBOOK --run \(run)`"
        case .stateFolder(let path, let reason):
            "cannot use the state folder \(path) (\(reason)); pass --state-dir DIR or set RUNBOOK_STATE_DIR"
        case .notRegular(let path, let kind):
            "\(path): not a regular file (\(kind)); runbook never reads, follows or writes one: remove it, or move it out of the runs folder"
        case .interrupted(let run):
            "run \(run) was interrupted; its progress is saved: `runbook resume \(run)`"
        case .refused(let run, let reason):
            "internal error: the walk tried an event run \(run) refuses (\(reason)); nothing was recorded. "
                + "Please report it; `runbook resume \(run)` goes on from what is saved"
        }
    }
}
