#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RunbookKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Wire up: parse the arguments, run the command with this process's terminal, environment, clock and
// signals, map the outcome to an exit status.
signal(SIGPIPE, SIG_IGN)
// Past a file size limit a write fails with EFBIG, reported like a full disk, instead of killing us.
signal(SIGXFSZ, SIG_IGN)
let arguments = Array(CommandLine.arguments.dropFirst())
let terminal = Terminal()
do {
    let invocation = try Invocation.parse(arguments)
    let context = CommandContext(options: invocation.options, environment: Environment.current(), console: terminal,
                                 outputIsTerminal: terminal.outputIsTerminal, now: { Date() },
                                 installInterrupts: Interrupts.install)
    exit(invocation.run(in: context))
} catch {
    // One line: what is wrong, and where the usage is.
    let topic = error.command.map { "runbook help \($0)" } ?? "runbook help"
    terminal.warn("runbook: error: \(error.message) (usage: `\(topic)`)")
    exit(64)
}
