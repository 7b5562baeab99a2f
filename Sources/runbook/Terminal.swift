#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RunbookKit
import RunbookSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard input and output as the walk's `Console`: a terminal or a pipe alike.
///
/// Lines are read with `read(2)` behind `poll`, beside a pipe that Ctrl-C writes to: a question, a
/// paste or a check stops at Ctrl-C and the walk goes on at the step's prompt, as in a shell.
final class Terminal: Console {
    let isInteractive = isatty(STDIN_FILENO) == 1
    let outputIsTerminal = isatty(STDOUT_FILENO) == 1
    private var buffer: [UInt8] = []
    private var atEnd = false

    var width: Int? {
        guard outputIsTerminal else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    func write(_ text: String) { Terminal.write(text, to: STDOUT_FILENO) }

    /// One line on standard error; control characters in it (from a file, an argument, a log) are shown escaped.
    func warn(_ line: String) { Terminal.write(line.escapingControlCharacters + "\n", to: STDERR_FILENO) }

    func readLine() -> String? {
        if case .line(let line) = nextLine(interruptible: false) { return line }
        return nil
    }

    /// Reads a line without echo on a terminal; the saved settings are restored by the signal path too.
    func readSecret() -> String? {
        if case .line(let line) = readInterruptibly(secret: true) { return line }
        return nil
    }

    func readInterruptibly(secret: Bool) -> ConsoleRead {
        Interrupts.whileStoppable {
            guard secret, isInteractive, let quiet = SavedTerminal.silence() else { return nextLine(interruptible: true) }
            defer { SavedTerminal.restore() }
            _ = quiet
            return nextLine(interruptible: true)
        }
    }

    func runInterruptibly(_ body: () -> CheckResult) -> CheckResult? {
        var result: CheckResult?
        let read = Interrupts.whileStoppable { () -> ConsoleRead in
            result = body()
            return .line("")
        }
        return read == .interrupted ? nil : result
    }

    /// Waits until `deadline`: on a terminal, one countdown line rewritten in place each second, ended by
    /// Enter (the line typed is dropped); in a pipe, nothing is read or shown. Ctrl-C ends it either way.
    func wait(until deadline: Date, countdown: (Int) -> String) -> WaitEnd {
        var how = WaitEnd.elapsed
        let shows = isInteractive && outputIsTerminal
        let read = Interrupts.whileStoppable { () -> ConsoleRead in
            // Enter echoed a line break below the countdown: go up to clear it.
            defer { if shows { write((how == .ended ? "\u{1B}[1A" : "") + "\r\u{1B}[K") } }
            while true {
                let left = deadline.timeIntervalSinceNow
                if left <= 0 { return .line("") }
                if shows { write("\r" + countdown(Int(left.rounded(.up))) + "\u{1B}[K") }
                // Wake at the next whole second, to redraw the countdown.
                let fraction = left - left.rounded(.down)
                let timeout = Int32(fraction > 0.001 ? fraction * 1000 : 1000)
                var descriptors = [pollfd(fd: Interrupts.wakeDescriptor, events: Int16(POLLIN), revents: 0),
                                   pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
                let ready = poll(&descriptors, nfds_t(isInteractive && !atEnd ? 2 : 1), timeout)
                if ready < 0 && errno != EINTR { return .line("") }
                if descriptors[0].revents != 0, Interrupts.takeStop() { return .interrupted }
                if isInteractive, !atEnd, descriptors[1].revents != 0 {
                    _ = nextLine(interruptible: false)
                    how = .ended
                    return .line("")
                }
            }
        }
        return read == .interrupted ? .interrupted : how
    }

    /// The next line of standard input without its line break (a last line without one counts), nil
    /// at its end; when `interruptible`, Ctrl-C ends the wait with `.interrupted`.
    private func nextLine(interruptible: Bool) -> ConsoleRead {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = buffer[..<newline]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                let text = String(decoding: line, as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .line(text)
            }
            if atEnd {
                guard !buffer.isEmpty else { return .ended }
                defer { buffer = [] }
                return .line(String(decoding: buffer, as: UTF8.self))
            }
            var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: Interrupts.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&descriptors, nfds_t(interruptible ? 2 : 1), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                atEnd = true
                continue
            }
            if interruptible, descriptors[1].revents != 0, Interrupts.takeStop() { return .interrupted }
            guard descriptors[0].revents != 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { System.read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { atEnd = true } else { buffer += chunk[..<count] }
        }
    }

    /// Writes all of `text`; a closed pipe on the other end is not an error worth a crash.
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { System.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(count)
        }
    }
}

/// The terminal settings to restore after a question without echo, sealed on the way out: once the
/// exit path restored them, no later question can turn echo off again.
enum SavedTerminal {
    private struct Saved {
        var settings: termios?
        var sealed = false
    }

    private static let saved = Locked(Saved())

    /// Turns echo off (a newline still echoes), keeping the settings to restore; nil when it could not.
    static func silence() -> termios? {
        saved.withLock { saved -> termios? in
            var settings = termios()
            guard !saved.sealed, tcgetattr(STDIN_FILENO, &settings) == 0 else { return nil }
            saved.settings = settings
            var quiet = settings
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ECHONL)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
            return quiet
        }
    }

    /// Raw input for a command that `run` started on a terminal of its own: keys go to it as typed
    /// (its terminal echoes them); Ctrl-C still signals runbook, which stops the command. False when it could not.
    static func raw() -> Bool {
        saved.withLock { saved -> Bool in
            var settings = termios()
            guard !saved.sealed, tcgetattr(STDIN_FILENO, &settings) == 0 else { return false }
            saved.settings = settings
            var raw = settings
            raw.c_lflag &= ~tcflag_t(ECHO | ECHONL | ICANON | IEXTEN)
            raw.c_iflag &= ~tcflag_t(ICRNL | IXON | INLCR | IGNCR)
            withUnsafeMutableBytes(of: &raw.c_cc) { characters in
                characters[Int(VMIN)] = 1
                characters[Int(VTIME)] = 0
            }
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw)
            return true
        }
    }

    static func restore(sealing: Bool = false) {
        saved.withLock { saved in
            if var settings = saved.settings { tcsetattr(STDIN_FILENO, TCSANOW, &settings) }
            saved.settings = nil
            if sealing { saved.sealed = true }
        }
    }
}

/// Ctrl-C, SIGTERM and SIGHUP while walking.
///
/// At the step's prompt, Ctrl-C pauses the run: progress is on disk already; say how to resume, exit
/// 130. During a question, a paste or a check, it stops only that: the read ends, the check's process
/// group is stopped, and the walk goes on at the prompt. SIGTERM and SIGHUP always pause and exit.
/// A thread of our own takes them with `sigwait`, so a read blocked on the main thread is never
/// disturbed (a `sigaction` handler without SA_RESTART makes `readLine` spin). It was a DispatchSource:
/// that started libdispatch's queues and manager thread at every walk for three signals.
enum Interrupts {
    private struct Stop {
        /// A question, a paste or a check is under way: Ctrl-C stops it.
        var stoppable = false
        var stopped = false
    }

    private static let stop = Locked(Stop())
    /// What a signal does now: a hand-off walks a new run, whose gate the next `install` names.
    private static let handler = Locked<(@Sendable () -> String)?>(nil)
    /// Ctrl-C writes a byte here, which wakes a read waiting in `poll`.
    private static let wake: (read: Int32, write: Int32) = {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return (-1, -1) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC); _ = fcntl(end, F_SETFL, O_NONBLOCK) }
        return (ends[0], ends[1])
    }()

    static var wakeDescriptor: Int32 { wake.read }

    /// Runs `body` so that Ctrl-C stops it: `.interrupted` when it did.
    static func whileStoppable(_ body: () -> ConsoleRead) -> ConsoleRead {
        drain()
        stop.withLock { $0 = Stop(stoppable: true, stopped: false) }
        let read = body()
        let stopped = stop.withLock { stop -> Bool in
            defer { stop = Stop() }
            return stop.stopped
        }
        drain()
        return stopped && read != .ended ? .interrupted : read
    }

    /// True (once) when Ctrl-C stopped what was under way.
    static func takeStop() -> Bool {
        drain()
        return stop.current.stopped
    }

    private static func drain() {
        var byte: UInt8 = 0
        while System.read(wake.read, &byte, 1) > 0 {}
    }

    static func install(_ onSignal: @escaping @Sendable () -> String) {
        _ = wake
        let first = handler.withLock { handler -> Bool in
            defer { handler = onSignal }
            return handler == nil
        }
        guard first else { return }
        // Blocked in this thread, and so in every thread started after it: each stays pending until the
        // signal thread takes it. Ignored too, so a thread started before (none is, on a walk's path)
        // could never be ended by one.
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&signals, number) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        for number in [SIGINT, SIGTERM, SIGHUP] { signal(number, SIG_IGN) }
        let waited = signals
        System.startThread {
            var signals = waited
            while true {
                var number: Int32 = 0
                guard sigwait(&signals, &number) == 0 else { continue }
                if number == SIGINT, stopUnderWay() { continue }
                SavedTerminal.restore(sealing: true)
                // The gate first: a check ended by the next line can record nothing more.
                let message = handler.current?() ?? ""
                RunningChildren.terminateAll()
                Terminal.write("\n" + message + "\n", to: STDERR_FILENO)
                exit(130)
            }
        }
    }

    /// Ctrl-C during a question, a paste or a check: stops it, says nothing yet (the walk says it).
    private static func stopUnderWay() -> Bool {
        let stoppable = stop.withLock { stop -> Bool in
            guard stop.stoppable else { return false }
            stop.stopped = true
            return true
        }
        guard stoppable else { return false }
        var byte: UInt8 = 1
        _ = System.write(wake.write, &byte, 1)
        RunningChildren.interruptRunning()
        return true
    }
}
