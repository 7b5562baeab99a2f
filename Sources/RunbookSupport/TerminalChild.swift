#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child with a pseudo-terminal of its own: it sees a terminal on standard input, output and error
/// (its controlling terminal, in a session of its own), and the parent reads and writes the other end.
///
/// For programs that insist on a terminal (a password prompt that turns echo off). Recorded in
/// `RunningChildren` like any child, so Ctrl-C stops it too.
public final class TerminalChild: Sendable {
    public let pid: pid_t
    /// The parent's end of the pseudo-terminal: what the child writes is read here, what is written here it reads.
    public let master: Int32
    private let waiter: ChildProcess.Waiter

    /// Starts `executable` on a new pseudo-terminal with exactly `environment`.
    public static func start(_ executable: String, arguments: [String] = [],
                             environment: [String: String]) -> Result<TerminalChild, ChildProcess.Failure> {
        guard let calls = PseudoTerminalCalls.shared else {
            return .failure(.cannotRun("cannot open a pseudo-terminal: the C library offers none"))
        }
        let master = calls.open(O_RDWR | O_NOCTTY)
        guard master >= 0 else { return .failure(.cannotRun("cannot open a pseudo-terminal: \(System.lastError)")) }
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        var name = [CChar](repeating: 0, count: 256)
        guard calls.grant(master) == 0, calls.unlock(master) == 0, calls.name(master, &name, name.count) == 0 else {
            let reason = System.lastError
            System.close(master)
            return .failure(.cannotRun("cannot open a pseudo-terminal: \(reason)"))
        }
        // The session is made before the file actions, so the first terminal the child opens becomes its own.
        let slave = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let started = RunningChildren.start {
            ChildProcess.spawn(executable, arguments: arguments, environment: environment,
                               actions: [.open(slave, flags: O_RDWR, to: 0), .duplicate(0, to: 1), .duplicate(0, to: 2)],
                               newSession: true)
        }
        switch started {
        case .success(let pid): return .success(TerminalChild(pid: pid, master: master))
        case .failure(let failure):
            System.close(master)
            return .failure(failure)
        }
    }

    private init(pid: pid_t, master: Int32) {
        self.pid = pid
        self.master = master
        waiter = ChildProcess.Waiter(pid)
    }

    /// Writes all of `bytes` to the child's terminal, as if typed.
    public func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { System.write(master, $0.baseAddress! + offset, bytes.count - offset) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            offset += count
        }
    }

    /// Reads what the child writes until its terminal closes (every process on it ended), keeping at
    /// most `limit` bytes.
    public func readToEnd(limit: Int = 1 << 20) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { System.read(master, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            // EIO, not 0, is how Linux says the last holder of the other end closed it.
            if count <= 0 { return bytes }
            bytes += buffer[0..<min(count, max(0, limit - bytes.count))]
        }
    }

    /// Relays until the child's terminal closes (every process on it ended): what the child writes goes
    /// to `show` and is kept, at most `limit` bytes; what `keys` gives (the operator's terminal) is
    /// written to the child, as typed. When `wake` is readable, `woken` runs (it must drain it).
    ///
    /// Returns what was kept, and whether more came than was kept.
    public func relay(keys: Int32, wake: Int32 = -1, woken: () -> Void = {}, limit: Int,
                      show: ([UInt8]) -> Void) -> (kept: [UInt8], cut: Bool) {
        var kept: [UInt8] = []
        var cut = false
        var keysOpen = keys >= 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            // poll skips a negative descriptor: keys once they ended, and a missing wake.
            var descriptors = [pollfd(fd: master, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: keysOpen ? keys : -1, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            if poll(&descriptors, 3, -1) < 0 {
                if errno == EINTR { continue }
                return (kept, cut)
            }
            if descriptors[2].revents != 0 { woken() }
            if descriptors[0].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { System.read(master, $0.baseAddress, $0.count) }
                if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                // EIO, not 0, is how Linux says the last holder of the other end closed it.
                if count <= 0 { return (kept, cut) }
                let chunk = Array(buffer[0..<count])
                show(chunk)
                let room = max(0, limit - kept.count)
                if count > room { cut = true }
                kept += chunk.prefix(room)
            }
            if keysOpen, descriptors[1].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { System.read(keys, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { keysOpen = false } else { write(Array(buffer[0..<count])) }
            }
        }
    }

    /// Gives the child's terminal a size (rows and columns), as the operator's terminal has.
    public func resize(rows: UInt16, columns: UInt16) {
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    /// Waits for the child to end (at most `timeout` seconds, then its group is killed): its exit
    /// status, or the signal that ended it.
    public func wait(timeout: Double) -> ChildProcess.Outcome {
        if !waiter.wait(seconds: timeout) {
            kill(-pid, SIGKILL)
            _ = waiter.wait(seconds: .infinity)
        }
        let ended = waiter.ended
        return ChildProcess.Outcome(status: ended.status, signalled: ended.signalled, output: [], errors: [], overflowed: false)
    }

    deinit { System.close(master) }
}

/// `posix_openpt`, `grantpt`, `unlockpt` and `ptsname_r`, found in the C library at run time: glibc
/// declares them only for `_XOPEN_SOURCE`, which the Glibc module is not built with.
private struct PseudoTerminalCalls: @unchecked Sendable {
    let open: @convention(c) (Int32) -> Int32
    let grant: @convention(c) (Int32) -> Int32
    let unlock: @convention(c) (Int32) -> Int32
    let name: @convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32

    static let shared: PseudoTerminalCalls? = {
        let library = dlopen(nil, RTLD_NOW)
        guard let open = dlsym(library, "posix_openpt"), let grant = dlsym(library, "grantpt"),
              let unlock = dlsym(library, "unlockpt"), let name = dlsym(library, "ptsname_r") else { return nil }
        return PseudoTerminalCalls(open: unsafeBitCast(open, to: (@convention(c) (Int32) -> Int32).self),
                                   grant: unsafeBitCast(grant, to: (@convention(c) (Int32) -> Int32).self),
                                   unlock: unsafeBitCast(unlock, to: (@convention(c) (Int32) -> Int32).self),
                                   name: unsafeBitCast(name, to: (@convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32).self))
    }()
}
