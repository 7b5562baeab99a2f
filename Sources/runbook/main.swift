import Foundation
import RunbookKit
#if canImport(Glibc)
import Glibc
#endif

// Wire up: parse the arguments, run the command, map the outcome to an exit status.
signal(SIGPIPE, SIG_IGN)
let arguments = Array(CommandLine.arguments.dropFirst())
let terminal = Terminal()
let environment = ProcessInfo.processInfo.environment
do {
    let invocation = try Invocation.parse(arguments)
    let app = App(invocation: invocation, environment: environment, terminal: terminal)
    exit(app.run())
} catch {
    terminal.warn("runbook: error: \(error.message)")
    if let command = error.command {
        terminal.warn(HelpText.usage(of: command).split(separator: "\n").first.map(String.init) ?? "")
    } else {
        terminal.warn("Usage: runbook [--dir DIR] [--state-dir DIR] [--no-color] COMMAND (runbook help lists them)")
    }
    exit(64)
}
