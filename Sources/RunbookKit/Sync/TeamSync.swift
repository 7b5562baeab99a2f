#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RunbookSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shares a state folder's runs through its git repository (SPEC 9): commit what grew, fetch, rebase,
/// push, retried when the push is rejected.
///
/// Only run logs are ever added (`runs/**/*.jsonl`): locks and half-written files stay out, and a log
/// never holds a secret. Each walk writes a file of its own, so the rebase never meets two writers of
/// one file. It is done without checking anything out that a walk may be appending to: the rebased
/// tree is computed by `git merge-tree`, committed with `git commit-tree`, and only the files that came
/// from the team are written to the work tree (`git read-tree -u -m`). A real `git rebase` would
/// rewrite this laptop's own logs under a walk that holds them open, and its later lines would be lost.
public struct TeamSync: Sendable {
    public let git: Git
    public let folder: String
    /// Seconds a network call (fetch, push) may take.
    public var networkTimeout: Double

    /// What a sync sent and received, by run: the number of events.
    public struct Report: Hashable, Sendable {
        public var sent: [String: Int] = [:]
        public var received: [String: Int] = [:]
        /// Committed here only: the repository has no remote to push to.
        public var localOnly = false
        public var remote = "origin"
    }

    public init(folder: String, environment: [String: String], networkTimeout: Double = 15, runner: Git.Runner? = nil) {
        self.folder = folder
        git = Git(folder: folder, environment: environment, runner: runner)
        self.networkTimeout = networkTimeout
    }

    /// The files sync may add: run logs, nothing else.
    static let logs = ":(glob)runs/**/*.jsonl"

    /// True when the state folder is a git work tree.
    public static func isShared(_ folder: String) -> Bool {
        System.exists(folder + "/.git")
    }

    /// Where pushes go and fetches come from: the branch, its remote, and the remote branch it tracks.
    struct Upstream {
        var branch: String
        var remote: String?
        var remoteBranch: String
        var tracking: String? { remote.map { "refs/remotes/\($0)/\(remoteBranch)" } }
    }

    func upstream() throws(SyncError) -> Upstream {
        let branch = try check(["symbolic-ref", "--quiet", "--short", "HEAD"], "symbolic-ref").output
            .trimmed
        let configured = git.value(["config", "--get", "branch.\(branch).remote"])
        let remote = configured ?? (git.value(["remote"])?.split(separator: "\n").contains("origin") == true ? "origin" : nil)
        let merge = git.value(["config", "--get", "branch.\(branch).merge"]).map { $0.hasPrefix("refs/heads/") ? String($0.dropFirst(11)) : $0 }
        return Upstream(branch: branch, remote: remote, remoteBranch: merge ?? branch)
    }

    // MARK: Pull

    /// Fetches and takes in what the team pushed; returns the events received, by run.
    public func pull() throws(SyncError) -> [String: Int] {
        let received: [String: Int]? = try withSyncLock(wait: true) { () throws(SyncError) -> [String: Int] in
            let upstream = try upstream()
            guard upstream.remote != nil else { return [:] }
            try fetch(upstream)
            return try integrate(upstream, message: nil)
        }
        return received ?? [:]
    }

    // MARK: Sync

    /// Commits what grew, authored by `author`, then fetches, rebases and pushes.
    ///
    /// `wait`: wait for another sync of this folder to end (a background sync skips instead, and returns
    /// an empty report).
    public func sync(author: String, host: String, wait: Bool = true) throws(SyncError) -> Report {
        guard Self.isShared(folder) else { throw .notShared(folder: folder) }
        let result: Report? = try withSyncLock(wait: wait) { () throws(SyncError) -> Report in
            ensureExcludes()
            let upstream = try upstream()
            var report = Report(remote: upstream.remote ?? "")
            guard let remote = upstream.remote else {
                try commit(author: author, host: host)
                report.localOnly = true
                return report
            }
            // The team's commits first: this laptop's commit then lands on top of them, and is rebased
            // only when someone pushed between this fetch and the push.
            do throws(SyncError) {
                try fetch(upstream)
            } catch {
                // Offline: what grew is committed here all the same, and pushed by the next sync.
                try commit(author: author, host: host)
                throw error
            }
            report.received.merge(try integrate(upstream, message: "runbook sync"), uniquingKeysWith: +)
            try commit(author: author, host: host)
            for attempt in 1...3 {
                if attempt > 1 {
                    try fetch(upstream)
                    report.received.merge(try integrate(upstream, message: "runbook sync"), uniquingKeysWith: +)
                }
                guard let head = git.value(["rev-parse", "--verify", "--quiet", "HEAD"]) else { return report }
                let base = upstream.tracking.flatMap { ref in git.value(["rev-parse", "--verify", "--quiet", ref]) }
                if head == base { return report }
                let sending = (try? base.map { base throws(SyncError) in try counts(["diff", "--numstat", base, head, "--", Self.logs]) }
                               ?? counts(allIn: head)) ?? [:]
                let tracked = git.value(["config", "--get", "branch.\(upstream.branch).remote"]) != nil
                let push = try call(["push", "--porcelain", "--quiet"] + (tracked ? [] : ["-u"])
                                    + [remote, "HEAD:refs/heads/\(upstream.remoteBranch)"], "push", timeout: networkTimeout)
                if push.status == 0 {
                    report.sent.merge(sending, uniquingKeysWith: +)
                    return report
                }
                let text = (push.output + push.errors).lowercased()
                // Someone pushed first (or the remote refused this once): fetch, rebase, try again.
                let rejected = text.contains("[rejected]") || text.contains("non-fast-forward") || text.contains("fetch first")
                    || text.contains("[remote rejected]")
                guard rejected, attempt < 3 else {
                    if rejected { throw .rejected(remote: remote) }
                    throw SyncError.classify(command: "push", remote: remote, errors: push.errors + push.output, folder: folder)
                }
            }
            throw .rejected(remote: remote)
        }
        return result ?? Report()
    }

    /// Commits the run logs that grew, in one commit naming each run and how many events it gained.
    func commit(author: String, host: String) throws(SyncError) {
        _ = try check(["add", "--ignore-removal", "--", Self.logs], "add")
        let grown = try counts(["diff", "--cached", "--numstat", "--", Self.logs])
        guard !grown.isEmpty else { return }
        let summary = grown.sorted { $0.key < $1.key }.map { "\($0.key) +\($0.value)" }.joined(separator: ", ")
        let body = grown.sorted { $0.key < $1.key }.map { "- \($0.key): \($0.value) event\($0.value == 1 ? "" : "s")" }
            .joined(separator: "\n")
        _ = try check(identity(author: author, host: host) + ["-c", "commit.gpgSign=false", "commit", "--quiet", "--no-verify",
                                                             "-m", "runbook: \(summary)", "-m", body],
                      "commit", with: authorEnvironment(author: author, host: host))
    }

    /// `-c user.name=… -c user.email=…` when git has no identity here: a commit must never fail on it.
    func identity(author: String, host: String) -> [String] {
        var flags: [String] = []
        if git.value(["config", "user.name"]) == nil { flags += ["-c", "user.name=\(author)"] }
        if git.value(["config", "user.email"]) == nil { flags += ["-c", "user.email=\(Self.email(author, host))"] }
        return flags
    }

    /// The operator authors the commit; git's own identity commits it.
    func authorEnvironment(author: String, host: String) -> [String: String] {
        ["GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": git.value(["config", "user.email"]) ?? Self.email(author, host)]
    }

    static func email(_ author: String, _ host: String) -> String {
        String(author.lowercased().map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : "." }) + "@" + (host.isEmpty ? "localhost" : host)
    }

    func fetch(_ upstream: Upstream) throws(SyncError) {
        guard let remote = upstream.remote else { return }
        let fetched = try call(["fetch", "--quiet", "--no-tags", remote], "fetch", timeout: networkTimeout)
        guard fetched.status == 0 else {
            // An empty team repository has nothing to fetch yet: not an error.
            if fetched.errors.contains("couldn't find remote ref") { return }
            throw SyncError.classify(command: "fetch", remote: remote, errors: fetched.errors, folder: folder)
        }
    }

    /// Takes in the team's commits after a fetch, as a rebase of this laptop's commits onto them would;
    /// returns the events received, by run.
    func integrate(_ upstream: Upstream, message: String?) throws(SyncError) -> [String: Int] {
        guard let tracking = upstream.tracking, let theirs = git.value(["rev-parse", "--verify", "--quiet", tracking]) else { return [:] }
        guard let ours = git.value(["rev-parse", "--verify", "--quiet", "HEAD"]) else {
            // Nothing committed here yet: the team's history becomes ours.
            let received = try counts(allIn: theirs)
            _ = try check(["read-tree", "-u", "-m", theirs], "read-tree")
            _ = try check(["update-ref", "HEAD", theirs], "update-ref")
            return received
        }
        if ours == theirs || isAncestor(theirs, of: ours) { return [:] }
        let received = try counts(["diff", "--numstat", ours, theirs, "--", Self.logs])
        let target: String
        if isAncestor(ours, of: theirs) {
            target = theirs
        } else {
            let merged = try call(["merge-tree", "--write-tree", "--name-only", "--no-messages", "--allow-unrelated-histories", theirs, ours], "merge-tree")
            guard merged.status == 0, let tree = merged.lines.first else {
                let file = merged.lines.dropFirst().first ?? "a run log"
                if merged.status == 1 { throw .conflict(file: file) }
                throw SyncError.classify(command: "merge-tree", remote: upstream.remote ?? "", errors: merged.errors, folder: folder)
            }
            // This laptop's commits not yet pushed, squashed onto the team's: one commit per sync.
            let text = git.value(["log", "--format=%B", "\(theirs)..\(ours)"]) ?? (message ?? "runbook sync")
            let author = git.value(["log", "-1", "--format=%an%x00%ae", ours])?.split(separator: "\0").map(String.init) ?? []
            var environment: [String: String] = [:]
            if author.count == 2 { environment = ["GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1]] }
            let name = author.first ?? "runbook"
            let made = try check(identity(author: name, host: System.hostName()) + ["-c", "commit.gpgSign=false", "commit-tree", tree,
                                                                                 "-p", theirs, "-m", text],
                                 "commit-tree", with: environment)
            target = made.output.trimmed
        }
        // Only files that differ between the two commits are written: the team's, never one a walk here holds open.
        let read = try call(["read-tree", "-u", "-m", ours, target], "read-tree")
        if read.status != 0 {
            // `Entry 'runs/…' not uptodate`: a file changed here by hand that the team changed too. Nothing was written.
            if let quoted = read.errors.split(separator: "'").dropFirst().first, read.errors.contains("Entry") {
                throw .conflict(file: String(quoted))
            }
            throw SyncError.classify(command: "read-tree", remote: upstream.remote ?? "", errors: read.errors, folder: folder)
        }
        _ = try check(["update-ref", "-m", "runbook sync", "HEAD", target, ours], "update-ref")
        return received
    }

    func isAncestor(_ ancestor: String, of commit: String) -> Bool {
        if case .success(let output) = git.call(["merge-base", "--is-ancestor", ancestor, commit]) { return output.status == 0 }
        return false
    }

    /// Events by run from `git diff --numstat` lines: lines added to `runs/RUN.jsonl` or `runs/RUN/…`.
    func counts(_ arguments: [String]) throws(SyncError) -> [String: Int] {
        Self.counts(numstat: try check(arguments, arguments.first ?? "diff").output)
    }

    func counts(allIn commit: String) throws(SyncError) -> [String: Int] {
        try counts(["diff", "--numstat", "4b825dc642cb6eb9a060e54bf8d69288fbee4904", commit, "--", Self.logs])
    }

    static func counts(numstat: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in numstat.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 2)
            guard fields.count == 3, let added = Int(fields[0]), added > 0, fields[2].hasPrefix("runs/") else { continue }
            let path = fields[2].dropFirst(5)
            let run = path.contains("/") ? String(path.prefix { $0 != "/" }) : String(path.dropLast(6))
            counts[run, default: 0] += added
        }
        return counts
    }

    /// Locks and files being born are never shared; written to the clone's own exclude file, never committed.
    func ensureExcludes() {
        let path = folder + "/.git/info/exclude"
        let wanted = ["*.lock", ".*.new"]
        let current = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let missing = wanted.filter { !current.split(separator: "\n").contains(Substring($0)) }
        guard !missing.isEmpty else { return }
        _ = System.makeFolders(folder + "/.git/info")
        let text = current + (current.isEmpty || current.hasSuffix("\n") ? "" : "\n") + "# runbook\n" + missing.joined(separator: "\n") + "\n"
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    // MARK: Calls

    func call(_ arguments: [String], _ command: String, timeout: Double = 10,
              with extra: [String: String] = [:]) throws(SyncError) -> Git.Output {
        switch git.call(arguments, timeout: timeout, with: extra) {
        case .success(let output): return output
        case .failure(.missing): throw .gitMissing
        case .failure(.timedOut(_, let seconds)): throw .timedOut(command: command, seconds: seconds)
        case .failure(.cannotRun(let reason)): throw .failed(command: command, detail: reason)
        }
    }

    /// A call that must exit 0.
    func check(_ arguments: [String], _ command: String, with extra: [String: String] = [:]) throws(SyncError) -> Git.Output {
        let output = try call(arguments, command, with: extra)
        guard output.status == 0 else { throw SyncError.classify(command: command, remote: "", errors: output.errors, folder: folder) }
        return output
    }

    /// Runs `body` holding this folder's sync lock (`.git/runbook-sync.lock`, never git's own); without
    /// `wait`, returns nil at once when another sync holds it.
    func withSyncLock<T>(wait: Bool, _ body: () throws(SyncError) -> T) throws(SyncError) -> T? {
        let fd = open(folder + "/.git/runbook-sync.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return try body() }
        defer { System.close(fd) }
        var waited = 0.0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard wait, waited < networkTimeout * 2 else {
                if wait { throw .timedOut(command: "sync (another sync of this folder is running)", seconds: waited) }
                return nil
            }
            usleep(50_000)
            waited += 0.05
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
