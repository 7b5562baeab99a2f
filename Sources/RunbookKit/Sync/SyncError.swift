/// Why sharing runs through git did not happen this time; each message is one line saying what next.
///
/// None of them stops a walk: the run is saved in the state folder, and the next sync sends it.
public enum SyncError: Error, Hashable, Sendable, CustomStringConvertible {
    case gitMissing
    /// The state folder is no git work tree.
    case notShared(folder: String)
    /// The remote could not be reached (no network, no such host, no such repository).
    case unreachable(remote: String, detail: String)
    /// The remote refused the credentials (or would have asked for them).
    case credentials(remote: String, detail: String)
    case timedOut(command: String, seconds: Double)
    /// Git's own lock is held by another git in the folder: never deleted, waited for at the next sync.
    case busy(folder: String)
    /// The team's copy of a file differs from this laptop's on the same lines (a log edited by hand).
    case conflict(file: String)
    /// The push was refused again after fetching and rebasing.
    case rejected(remote: String)
    case failed(command: String, detail: String)

    public var description: String {
        switch self {
        case .gitMissing:
            "git is not installed (or not on the PATH): runs are saved in the state folder only; install git, then `runbook sync`"
        case .notShared(let folder):
            "the state folder \(folder) is not shared through git; set one up from the team's runs repository with "
                + "`runbook join URL` (or `git clone URL \(folder)`)"
        case .unreachable(let remote, let detail):
            "cannot reach the team repository \(remote) (\(detail)); runs are saved here and shared at the next sync"
        case .credentials(let remote, let detail):
            "the team repository \(remote) refused this laptop's credentials (\(detail)); check access with `git fetch` in "
                + "the state folder; runs are saved here and shared at the next sync"
        case .timedOut(let command, let seconds):
            "git \(command) did not finish within \(Int(seconds)) s; runs are saved here and shared at the next sync"
        case .busy(let folder):
            "git is busy in \(folder) (its index.lock is held by another git); runs are saved here and shared at the next sync"
        case .conflict(let file):
            "the team's copy of \(file) differs from this laptop's (edited by hand?): nothing was changed here; "
                + "compare the two (`git diff @{u} -- \(file)` in the state folder), then `runbook sync`"
        case .rejected(let remote):
            "\(remote) refused the push again after a fetch and a rebase; runs are saved here: try `runbook sync` in a moment"
        case .failed(let command, let detail):
            "git \(command) failed: \(detail); runs are saved here and shared at the next sync"
        }
    }

    /// What a failed git call means, from its `LC_ALL=C` message.
    static func classify(command: String, remote: String, errors: String, folder: String) -> SyncError {
        let text = errors.lowercased()
        let line = errors.split(separator: "\n").map { $0.trimmed }
            .first { $0.hasPrefix("fatal:") || $0.hasPrefix("error:") || $0.hasPrefix("ERROR") }
            .map { String($0.drop { $0 != ":" }.dropFirst()).trimmed }
            ?? errors.split(separator: "\n").first.map(String.init) ?? "no message"
        if text.contains("index.lock") { return .busy(folder: folder) }
        let refused = ["authentication failed", "permission denied", "terminal prompts disabled", "could not read username",
                       "could not read password", "host key verification failed", "403", "401"]
        if refused.contains(where: text.contains) { return .credentials(remote: remote, detail: line) }
        let unreachable = ["could not resolve", "connection refused", "could not read from remote", "does not appear to be a git",
                           "network is unreachable", "timed out", "no route to host", "unable to access", "not found"]
        if unreachable.contains(where: text.contains) { return .unreachable(remote: remote, detail: line) }
        return .failed(command: command, detail: line)
    }
}
