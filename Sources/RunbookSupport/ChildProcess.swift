import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program run to its end in a process group of its own, or stopped: what it wrote and how it ended.
///
/// On `posix_spawn`, not Foundation's `Process`: the child gets its own process group, so a time
/// limit or a Ctrl-C ends everything it started (`kill(-group)`), not only the shell on top; its
/// signal mask and dispositions are reset (the executable blocks and ignores SIGINT, SIGTERM and
/// SIGHUP, and an ignored signal stays ignored across `exec`); the environment is exactly the one
/// given; and standard input is fed from a buffer. Its pipes are read on threads of their own, not
/// the global queue: on 2 cores, two blocked readers use up its width.
public enum ChildProcess {
    /// How a child ended and what it wrote.
    public struct Outcome: Sendable, Equatable {
        /// The exit status, or the signal's number when `signalled`.
        public var status: Int32
        /// Ended by a signal (`status` is its number), not by exiting.
        public var signalled: Bool
        public var output: [UInt8]
        /// Standard error; empty when it is merged into `output`.
        public var errors: [UInt8]
        /// `output` passed its limit: the child was killed and the rest dropped.
        public var overflowed: Bool

        public init(status: Int32, signalled: Bool, output: [UInt8], errors: [UInt8], overflowed: Bool) {
            self.status = status
            self.signalled = signalled
            self.output = output
            self.errors = errors
            self.overflowed = overflowed
        }
    }

    /// Why a child gave no outcome.
    public enum Failure: Error, Equatable, Sendable {
        /// It could not be started: the reason, in one line.
        case cannotRun(String)
        /// Still running at the time limit: its group was stopped (SIGTERM, then SIGKILL a second later).
        case timedOut
        /// Stopped by `RunningChildren.interruptRunning()` or `terminateAll()` (Ctrl-C).
        case interrupted
    }

    /// Runs `executable` with exactly `environment`, `input` on its standard input (none when nil), and
    /// waits at most `timeout` seconds.
    ///
    /// Output past `outputLimit` bytes (standard error past `errorLimit`) kills the child's group and
    /// sets `overflowed` (without `stoppingOnOverflow`, the rest is only dropped). When the child exits,
    /// whatever it left running in its group is killed too.
    public static func run(_ executable: String, arguments: [String] = [], environment: [String: String],
                           input: [UInt8]? = nil, mergingErrors: Bool = false, outputLimit: Int,
                           errorLimit: Int = 64 << 10, timeout: Double, stoppingOnOverflow: Bool = true) -> Result<Outcome, Failure> {
        guard let output = PipeEnds() else { return .failure(.cannotRun("cannot run \(executable): \(System.lastError)")) }
        let errors = mergingErrors ? nil : PipeEnds()
        let feed = input == nil ? nil : PipeEnds()
        var actions: [FileAction] = [.duplicate(output.write, to: 1), .duplicate(errors?.write ?? output.write, to: 2)]
        actions.append(feed.map { .duplicate($0.read, to: 0) } ?? .open("/dev/null", flags: O_RDONLY, to: 0))
        let started = RunningChildren.start {
            spawn(executable, arguments: arguments, environment: environment, actions: actions, newSession: false)
        }
        // The child holds its own copies; the parent keeps only its ends.
        System.close(output.write)
        if let errors { System.close(errors.write) }
        if let feed { System.close(feed.read) }
        let pid: pid_t
        switch started {
        case .success(let started): pid = started
        case .failure(let failure):
            System.close(output.read)
            if let errors { System.close(errors.read) }
            if let feed { System.close(feed.write) }
            return .failure(failure)
        }
        let child = Waiter(pid)
        let stopGroup: @Sendable () -> Void = { if stoppingOnOverflow { _ = kill(-pid, SIGKILL) } }
        let out = Reader(output.read, limit: outputLimit, overflow: stopGroup)
        let err = errors.map { Reader($0.read, limit: errorLimit, overflow: stopGroup) }
        if let feed, let input { Feeder.start(input, to: feed.write) }

        var timedOut = false
        if !child.wait(seconds: timeout) {
            timedOut = true
            kill(-pid, SIGTERM)
            if !child.wait(seconds: 1) { kill(-pid, SIGKILL) }
            _ = child.wait(seconds: .infinity)
        }
        // What the child left running in its group ends with it (it would hold the pipes open).
        kill(-pid, SIGKILL)
        let ended = child.ended
        if ended.interrupted { return .failure(RunningChildren.interrupted()) }
        if timedOut { return .failure(.timedOut) }
        let written = out.wait()
        return .success(Outcome(status: ended.status, signalled: ended.signalled, output: written,
                                errors: err?.wait() ?? [], overflowed: out.overflowed || (err?.overflowed ?? false)))
    }
}

extension ChildProcess {
    /// What `posix_spawn` does to the child's descriptors before it runs the program.
    enum FileAction {
        case duplicate(Int32, to: Int32)
        case open(String, flags: Int32, to: Int32)
    }

    /// glibc's `POSIX_SPAWN_SETSID` (a macro Swift does not import); Darwin's is 0x400.
    #if canImport(Glibc)
    static let setSessionFlag: Int32 = 0x80
    #else
    static let setSessionFlag: Int32 = 0x400
    #endif

    /// Starts `executable` in a process group of its own (a session of its own with `newSession`), with
    /// the signal mask cleared and the signals runbook handles or ignores back to their defaults.
    static func spawn(_ executable: String, arguments: [String], environment: [String: String], actions: [FileAction],
                      newSession: Bool) -> Result<pid_t, Failure> {
        let texts = [executable] + arguments + environment.flatMap { [$0.key, $0.value] }
        if texts.contains(where: { $0.utf8.contains(0) }) {
            return .failure(.cannotRun("cannot run \(executable): an argument or a value holds a NUL character"))
        }
        #if canImport(Glibc)
        var fileActions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var fileActions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&fileActions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&fileActions)
            posix_spawnattr_destroy(&attributes)
        }
        for action in actions {
            switch action {
            case .duplicate(let fd, let target): posix_spawn_file_actions_adddup2(&fileActions, fd, target)
            case .open(let path, let flags, let target): posix_spawn_file_actions_addopen(&fileActions, target, path, flags, 0)
            }
        }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        if newSession {
            flags |= setSessionFlag
        } else {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &fileActions, &attributes, argv, envp)
        guard result == 0 else { return .failure(.cannotRun("cannot run \(executable): \(String(cString: strerror(result)))")) }
        return .success(pid)
    }

    /// The two ends of a pipe, both closed on `exec` (the child gets its copies through `dup2`).
    final class PipeEnds: Sendable {
        let read: Int32
        let write: Int32

        init?() {
            // pipe2 is not imported; children are spawned under RunningChildren's lock, and this one is
            // taken too, so no child of ours starts between pipe and fcntl and inherits an end.
            var ends: [Int32] = [0, 0]
            let made = RunningChildren.whileNoneStarts {
                guard pipe(&ends) == 0 else { return false }
                for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
                return true
            }
            guard made else { return nil }
            read = ends[0]
            write = ends[1]
        }
    }

    /// Reaps a child on a thread of its own, so the caller can wait for it with a time limit.
    final class Waiter: Sendable {
        struct Ended {
            var status: Int32 = 0
            var signalled = false
            var interrupted = false
        }

        private let done = DispatchSemaphore(value: 0)
        private let result = Locked(Ended())

        init(_ pid: pid_t) {
            System.startThread { [done, result] in
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                // Forgotten as soon as it is reaped: from here on its number may be reused.
                let interrupted = RunningChildren.finished(pid)
                let signal = status & 0x7f
                result.current = Ended(status: signal == 0 ? (status >> 8) & 0xff : signal, signalled: signal != 0,
                                       interrupted: interrupted)
                done.signal()
            }
        }

        /// True when the child ended within `seconds`.
        func wait(seconds: Double) -> Bool {
            if seconds == .infinity {
                done.wait()
            } else if done.wait(timeout: .now() + seconds) == .timedOut {
                return false
            }
            done.signal()
            return true
        }

        /// How it ended; only once `wait` returned true.
        var ended: Ended { result.current }
    }

    /// Reads a pipe to its end on a thread of its own, keeping at most `limit` bytes; past that it
    /// calls `overflow` once (which stops the writer) and drops the rest. It closes the pipe at its end.
    final class Reader: Sendable {
        private let data = Locked<(bytes: [UInt8], overflowed: Bool)>(([], false))
        private let done = DispatchSemaphore(value: 0)

        init(_ fd: Int32, limit: Int, overflow: @escaping @Sendable () -> Void) {
            System.startThread { [data, done] in
                var bytes: [UInt8] = []
                var overflowed = false
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = buffer.withUnsafeMutableBytes { System.read(fd, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    if overflowed { continue }
                    if bytes.count + count > limit {
                        overflowed = true
                        bytes += buffer[0..<(limit - bytes.count)]
                        overflow()
                        continue
                    }
                    bytes += buffer[0..<count]
                }
                System.close(fd)
                data.current = (bytes, overflowed)
                done.signal()
            }
        }

        /// Everything read, once the pipe has ended (at most 2 s after the child exited: a child that
        /// left its group could hold the pipe open).
        func wait() -> [UInt8] {
            if done.wait(timeout: .now() + 2) == .success { done.signal() }
            return data.current.bytes
        }

        var overflowed: Bool { data.current.overflowed }
    }

    /// Writes a child's standard input from a buffer on a thread of its own, then closes it.
    enum Feeder {
        static func start(_ input: [UInt8], to fd: Int32) {
            System.startThread {
                // A child that exits without reading makes the write fail with EPIPE; blocked here, the
                // SIGPIPE that comes with it stays on this thread and goes with it, never ending the process.
                var pipeSignal = sigset_t()
                sigemptyset(&pipeSignal)
                sigaddset(&pipeSignal, SIGPIPE)
                pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
                var offset = 0
                while offset < input.count {
                    let count = input.withUnsafeBytes { System.write(fd, $0.baseAddress! + offset, input.count - offset) }
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    offset += count
                }
                System.close(fd)
            }
        }
    }
}
