import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every child this process runs, by process group, so Ctrl-C and the exit path can stop them.
///
/// A child is recorded while it is started (under the same lock, so an interrupt either sees it or
/// comes before it) and forgotten when it is reaped. `ChildProcess.run` of a child stopped here
/// returns `.interrupted`.
public enum RunningChildren {
    private struct Table {
        /// Each running child's process group, and whether it was told to stop.
        var groups: [pid_t: Bool] = [:]
        /// Set by `terminateAll`: the process is leaving, nothing new starts.
        var closed = false
    }

    private static let table = Locked(Table())

    /// The process groups of the children running now.
    public static var groups: [pid_t] { table.current.groups.keys.sorted() }

    /// Stops every running child's process group: SIGTERM now, SIGKILL a second later to the groups
    /// still running. Their `run` returns `.interrupted`; children started afterwards run as usual.
    public static func interruptRunning() {
        let stopped = signalAll()
        guard !stopped.isEmpty else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { killSurvivors(of: stopped) }
    }

    /// For the exit path: stops every running child's group as `interruptRunning` does, and returns
    /// once they have ended (SIGKILL after a second for those that have not); the caller exits next.
    ///
    /// No child starts after it, and a `run` whose child it stopped never returns: the exit comes
    /// first, so the thread that waited on the child cannot go on to write or print anything.
    public static func terminateAll() {
        let stopped = signalAll(closing: true)
        guard !stopped.isEmpty else { return }
        for _ in 0..<100 where stopped.contains(where: isRecorded) {
            usleep(10_000)
        }
        // Leaders that ignored SIGTERM, and whatever the stopped leaders left in their groups.
        for group in stopped { kill(-group, SIGKILL) }
    }

    /// Starts a child with `spawn` and records its group; after `terminateAll`, waits for the exit.
    static func start(_ spawn: () -> Result<pid_t, ChildProcess.Failure>) -> Result<pid_t, ChildProcess.Failure> {
        let started: Result<pid_t, ChildProcess.Failure>? = table.withLock { table in
            guard !table.closed else { return nil }
            let started = spawn()
            if case .success(let pid) = started { table.groups[pid] = false }
            return started
        }
        guard let started else { waitForExit() }
        return started
    }

    /// The failure of a child stopped here; on the exit path, never returns (see `terminateAll`).
    static func interrupted() -> ChildProcess.Failure {
        if table.current.closed { waitForExit() }
        return .interrupted
    }

    private static func waitForExit() -> Never {
        while true { pause() }
    }

    /// Runs `body` while no child can start (descriptors made there are marked close-on-exec in time).
    static func whileNoneStarts<T>(_ body: () -> T) -> T {
        table.withLock { _ in body() }
    }

    /// Forgets a child that was reaped; true when it had been told to stop.
    static func finished(_ group: pid_t) -> Bool {
        table.withLock { $0.groups.removeValue(forKey: group) ?? false }
    }

    /// Sends SIGTERM to every running group and marks it stopped; returns those groups.
    private static func signalAll(closing: Bool = false) -> [pid_t] {
        table.withLock { table in
            if closing { table.closed = true }
            for group in table.groups.keys {
                table.groups[group] = true
                kill(-group, SIGTERM)
            }
            return Array(table.groups.keys)
        }
    }

    /// True while the group's leader has not been reaped: its number cannot have been reused.
    private static func isRecorded(_ group: pid_t) -> Bool {
        table.current.groups[group] != nil
    }

    private static func killSurvivors(of groups: [pid_t]) {
        for group in groups where isRecorded(group) { kill(-group, SIGKILL) }
    }
}
