import Foundation
import RunbookKit
import RunbookSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard input and output as the walk's `Console`: a terminal or a pipe alike.
final class Terminal: Console, @unchecked Sendable {
    let isInteractive = isatty(STDIN_FILENO) == 1
    let outputIsTerminal = isatty(STDOUT_FILENO) == 1

    func write(_ text: String) { Terminal.write(text, to: STDOUT_FILENO) }

    /// One line on standard error; control characters in it (from a file, an argument, a log) are shown escaped.
    func warn(_ line: String) { Terminal.write(line.escapingControlCharacters + "\n", to: STDERR_FILENO) }

    func readLine() -> String? { Swift.readLine(strippingNewline: true) }

    /// Reads a line without echo on a terminal; the saved settings are restored by the signal path too.
    func readSecret() -> String? {
        guard isInteractive else { return readLine() }
        var settings = termios()
        guard tcgetattr(STDIN_FILENO, &settings) == 0 else { return readLine() }
        SavedTerminal.shared.save(settings)
        var quiet = settings
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ECHONL)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        defer { SavedTerminal.shared.restore() }
        return readLine()
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

/// The terminal settings to restore when a secret prompt is interrupted.
final class SavedTerminal: @unchecked Sendable {
    static let shared = SavedTerminal()
    private let lock = NSLock()
    private var saved: termios?

    func save(_ settings: termios) {
        lock.lock()
        saved = settings
        lock.unlock()
    }

    func restore() {
        lock.lock()
        defer { lock.unlock() }
        guard var settings = saved else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &settings)
        saved = nil
    }
}

/// Ctrl-C, SIGTERM and SIGHUP while walking: progress is on disk already; say how to resume, exit 130.
///
/// A DispatchSource handles them on another thread, so a `readLine` blocked on the main thread
/// is never disturbed (a `sigaction` handler without SA_RESTART makes it spin).
enum Interrupts {
    private static let sources = Sources()

    final class Sources: @unchecked Sendable {
        var list: [DispatchSourceSignal] = []
    }

    static func install(_ onSignal: @escaping @Sendable () -> String) {
        // Block them in this thread (and so in threads it starts) first: libdispatch reads them with a
        // signalfd from its manager thread, and a signal delivered to the main thread instead (waiting in
        // readLine, where it is not blocked) is consumed there and lost; blocked, it stays pending for the
        // signalfd, even when it arrives before the source is registered.
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for number in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&blocked, number) }
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                SavedTerminal.shared.restore()
                let message = onSignal()
                Terminal.write("\n" + message + "\n", to: STDERR_FILENO)
                RunningChildren.terminateAll()
                exit(130)
            }
            source.resume()
            sources.list.append(source)
        }
    }
}
