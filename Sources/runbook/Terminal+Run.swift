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

/// `run` on the operator's terminal: the command gets a pseudo-terminal of its own.
extension Terminal {
    /// On a terminal: a pseudo-terminal for the command, the operator's terminal raw meanwhile (restored
    /// after, and by the signal path), its output streamed (secrets masked) and kept in memory for the
    /// check. Else pipes. Ctrl-C stops the command's process group and returns to the step.
    func runCommand(_ call: RunCall) -> RunOutcome {
        var result = RunOutcome.cannotStart("it did not start")
        let read = Interrupts.whileStoppable { () -> ConsoleRead in
            result = isInteractive && outputIsTerminal ? onTerminal(call) : call.runPiped()
            return .line("")
        }
        if read == .interrupted { result.stopped = true }
        return result
    }

    private func onTerminal(_ call: RunCall) -> RunOutcome {
        let base = ProcessInfo.processInfo.environment
        guard let path = call.executable(searchPath: base["PATH"]) else { return .cannotStart(call.notFound) }
        let started = Date()
        let child: TerminalChild
        switch TerminalChild.start(path, arguments: call.arguments, environment: base.merging(call.environment) { _, new in new }) {
        case .success(let started): child = started
        case .failure(.cannotRun(let reason)): return .cannotStart(reason)
        case .failure: return .cannotStart("it was stopped before it started")
        }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { child.resize(rows: size.ws_row, columns: size.ws_col) }
        let raw = SavedTerminal.raw()
        defer { if raw { SavedTerminal.restore() } }
        var mask = StreamMask(secrets: call.secrets)
        var last: UInt8 = UInt8(ascii: "\n")
        let (kept, cut) = child.relay(keys: STDIN_FILENO, wake: Interrupts.wakeDescriptor, woken: { _ = Interrupts.takeStop() },
                                      limit: call.limit) { chunk in
            let shown = mask.pass(chunk)
            Terminal.write(bytes: shown)
            last = shown.last ?? last
        }
        let rest = mask.finish()
        Terminal.write(bytes: rest)
        // The walk's next words start a line of their own.
        if (rest.last ?? last) != UInt8(ascii: "\n") { Terminal.write(bytes: Array("\r\n".utf8)) }
        let ended = child.wait(timeout: .infinity)
        let output = String(decoding: kept, as: UTF8.self).replacingEvery("\r\n", with: "\n")
        return RunOutcome(status: Int(ended.signalled ? 128 + ended.status : ended.status), seconds: Date().timeIntervalSince(started),
                          output: output, cut: cut, streamed: true)
    }

    /// Writes all of `bytes` to standard output.
    static func write(bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { System.write(STDOUT_FILENO, $0.baseAddress! + offset, bytes.count - offset) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            offset += count
        }
    }
}
