import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A program on a real terminal: a detached tmux session on a private tmux server (PLATFORM.md recipe).
///
/// Each session gets its own server socket (`tmux -L`), so tests never touch anyone else's tmux;
/// `close()` kills the session and that server.
final class TmuxSession {
    static let tmux = "/usr/bin/tmux"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: tmux) }

    let name: String
    let socket: String
    private var closed = false

    /// Starts `command` (a shell command line) in a `width`x`height` pane that stays after the program exits.
    init(command: String, width: Int = 120, height: Int = 40) throws {
        let id = UUID().uuidString.prefix(8).lowercased()
        name = "rb-\(id)"
        socket = "runbook-e2e-\(id)"
        let started = TmuxSession.tmux(["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)",
                                        command, ";", "set-option", "-t", name, "remain-on-exit", "on"])
        guard started.status == 0 else {
            _ = TmuxSession.tmux(["-L", socket, "kill-server"])
            throw ServerError("tmux new-session failed (\(started.status)): \(started.output)")
        }
    }

    /// Runs tmux with `arguments` (at most 10 s); its exit status and output (stdout and stderr).
    ///
    /// Not with Foundation's `Process`: `new-session` forks the tmux server, which keeps every
    /// descriptor the client inherited, among them the socket `Process` watches to learn that its
    /// child exited (and any pipe for its output), so `waitUntilExit` would wait as long as the
    /// server lives. posix_spawn with only stdin, stdout and stderr open, and `waitpid`, instead.
    @discardableResult
    static func tmux(_ arguments: [String]) -> (status: Int32, output: String) {
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-out-\(UUID().uuidString)").path
        defer { unlink(capture) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Every other descriptor of this process is closed in the child (glibc ignores one already closed).
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
        for fd in open where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var environment = ProcessInfo.processInfo.environment
        environment["TMUX"] = nil
        let argv: [UnsafeMutablePointer<CChar>?] = ([tmux] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, tmux, &actions, &attributes, argv, envp)
        guard spawned == 0 else { return (-1, "posix_spawn \(tmux): \(String(cString: strerror(spawned)))") }

        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(10)
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno != EINTR) { break }
            if Date() >= deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(2_000)
        }
        let output = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
        // Exited normally: the low 7 bits are 0 and the exit code is in the next byte.
        return (status & 0x7F == 0 ? (status >> 8) & 0xFF : -1, output)
    }

    @discardableResult
    private func run(_ arguments: [String]) -> (status: Int32, output: String) {
        TmuxSession.tmux(["-L", socket] + arguments)
    }

    /// The whole pane, scrollback included, as plain text.
    func screen() -> String { run(["capture-pane", "-p", "-J", "-S", "-", "-t", name]).output }

    /// What the pane shows now, row by row: no scrollback, rows not joined.
    func visibleScreen() -> String { run(["capture-pane", "-p", "-t", name]).output }

    /// Polls the pane until `predicate` holds (at most `timeout` seconds); the last screen seen, and whether it held.
    @discardableResult
    func wait(timeout: Double = 10, until predicate: (String) -> Bool) -> (ok: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let text = screen()
            if predicate(text) { return (true, text) }
            if Date() >= deadline { return (false, text) }
            usleep(20_000)
        }
    }

    @discardableResult
    func wait(for text: String, timeout: Double = 10) -> (ok: Bool, screen: String) {
        wait(timeout: timeout) { $0.contains(text) }
    }

    /// Types `text` literally, then Enter.
    func type(_ text: String) {
        run(["send-keys", "-t", name, "-l", text])
        run(["send-keys", "-t", name, "Enter"])
    }

    /// Sends a key such as `C-c`.
    func key(_ key: String) { run(["send-keys", "-t", name, key]) }

    /// A format of the pane, e.g. `#{pane_pid}`.
    func format(_ format: String) -> String {
        run(["display-message", "-p", "-t", name, format]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    var panePID: pid_t? { pid_t(format("#{pane_pid}")) }

    /// Waits (at most `timeout` seconds) for the program to exit and be reaped by tmux; its exit status,
    /// or nil if it did not exit (or died by a signal).
    ///
    /// tmux marks a pane dead when its terminal closes and learns the status when it reaps the child
    /// on SIGCHLD. Closing the terminal also runs libutempter's helper, which sets SIGCHLD to SIG_DFL
    /// while it waits for the helper; a SIGCHLD that lands in that window is lost and the pane's process
    /// stays a zombie. Any later child of the server makes tmux reap every exited child, so a dead pane
    /// without a status gets a `run-shell true` to nudge it.
    func exitStatus(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let fields = format("#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}").split(separator: "|", omittingEmptySubsequences: false)
            if fields.count == 3, fields[0] == "1" {
                if !fields[1].isEmpty || !fields[2].isEmpty { return Int32(fields[1]) }
                run(["run-shell", "true"])
            }
            if Date() >= deadline { return nil }
            usleep(20_000)
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        run(["kill-session", "-t", name])
        run(["kill-server"])
    }

    deinit { close() }

    /// `text` quoted for a POSIX shell.
    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
}

extension Sandbox {
    /// The shell command line that runs the binary in the sandbox on a terminal, with its environment and `extra`.
    func terminalCommand(_ arguments: [String], env extra: [String: String] = [:]) -> String {
        var environment = self.environment(extra)
        environment["TERM"] = "screen"
        let assignments = environment.sorted { $0.key < $1.key }.map { TmuxSession.quote("\($0.key)=\($0.value)") }
        // exec: the pane's process is runbook itself, so Ctrl-C and the exit status are its own.
        return "cd \(TmuxSession.quote(root.path)) && exec env -i \(assignments.joined(separator: " ")) "
            + ([Sandbox.binary.path] + arguments).map(TmuxSession.quote).joined(separator: " ")
    }
}
