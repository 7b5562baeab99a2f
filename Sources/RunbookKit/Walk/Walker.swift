import RunbookModel
import RunbookRun
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Drives a walk: the terminal, the checks, the gate to the log, around the pure `WalkCore`.
///
/// Every event is appended to the log (and flushed) before the screen moves on. The walker runs on
/// one thread and owns its state; an interrupt reaches only its `gate` (or, during a question or a
/// check, the console, which stops just that).
public final class Walker {
    /// Where the run stands: what the log holds, even when an append failed.
    public var state: RunState { saved ?? core.state }
    /// The log, which an interrupt can seal from another thread.
    public let gate: WalkGate
    private var core: WalkCore
    private let console: Console
    private let checks: CheckRunner
    private var renderer: Renderer
    /// The state the walk began from and what it appended since: the saved state, worked out again
    /// only when an append fails (the core is then ahead of the log).
    private let initial: RunState
    private var appended: [EventRecord] = []
    private var saved: RunState?

    public init(runbook: Runbook, state: RunState, sink: EventSink, console: Console, style: Style, person: Operator,
                checks: CheckRunner, checkTimeout: Double = 10, assigned: [String: String] = [:],
                environment: [String: String] = [:]) {
        core = WalkCore(runbook: runbook, state: state, person: person, interactive: console.isInteractive,
                        checkTimeout: checkTimeout, given: assigned, environment: environment)
        gate = WalkGate(sink: sink, person: person, state: state)
        initial = state
        self.console = console
        self.checks = checks
        renderer = Renderer(style: style, width: console.width)
    }

    /// Walks from the current step until the run completes, pauses or fails.
    public func walk() -> WalkOutcome {
        var input = WalkCore.Input.begin
        while true {
            let output = core.handle(input)
            for record in output.records {
                do {
                    try gate.append(record.entry, position: record.position)
                    appended.append(record.entry)
                } catch {
                    var state = initial
                    for entry in appended { try? state.apply(entry) }
                    saved = state
                    return .failed(error.description)
                }
            }
            for secret in core.secretValues { renderer.add(secret: secret) }
            if !output.screen.isEmpty { console.write(renderer.lines(output.screen)) }
            for warning in output.warnings { console.warn(renderer.plain(warning)) }
            switch output.request {
            case .prompt(let label), .answer(let label, _):
                console.write(renderer.line(label))
            case .finish, .pasteLine, .check, .run, .wait:
                break
            }
            if case .finish = output.request {} else {
                // A new run's first event is flushed while its first screen is drawn: nothing is read or run before it is on disk.
                do { try gate.settle() } catch { return .failed(error.description) }
            }
            switch output.request {
            case .finish(let outcome):
                return outcome
            case .prompt:
                input = read(console.readLine().map(ConsoleRead.line) ?? .ended, echo: true)
            case .answer(_, let secret):
                input = read(console.readInterruptibly(secret: secret), echo: !secret)
                if secret && !console.isInteractive, case .line = input { console.write("\n") }
            case .pasteLine:
                input = read(console.readInterruptibly(secret: false), echo: false)
            case .check(let call):
                input = console.runInterruptibly { call.run(with: checks) }.map(WalkCore.Input.checked) ?? .interrupted
                // The terminal showed `^C` where the cursor was: the word that says so starts a line of its own.
                if input == .interrupted { console.write("\n") }
            case .run(let call):
                input = .ran(console.runCommand(call))
            case .wait(let until, let every, let poll):
                input = waitFor(until, every: every, poll: poll)
            }
        }
    }

    /// What was read, as the core takes it; from a pipe nothing echoes a line, so it is written (masked),
    /// and a transcript reads like a session.
    private func read(_ read: ConsoleRead, echo: Bool) -> WalkCore.Input {
        switch read {
        case .line(let line):
            if echo && !console.isInteractive { console.write(renderer.line(Text(core.echoed(line), source: .typed)) + "\n") }
            return .line(line)
        case .ended: return .ended
        case .interrupted:
            console.write("\n")
            return .interrupted
        }
    }

    /// Waits until `until`; with `poll`, runs it every `every` seconds until it passes. The schedule is
    /// worked out from the clock once, so a clock that stands still (a test's) still ends the wait.
    private func waitFor(_ until: Date, every: Double?, poll: CheckCall?) -> WalkCore.Input {
        func countdown(_ left: Int) -> String { "Waiting: \(Elapsed.describe(Double(left))) left (Enter or Ctrl-C stops waiting)" }
        var last: CheckResult?
        if let every, every > 0, let poll {
            var next = core.person.now().addingTimeInterval(every)
            while next < until {
                let how = console.wait(until: next, countdown: countdown)
                guard how == .elapsed else { return .waited(how, last) }
                guard let result = console.runInterruptibly({ poll.run(with: checks) }) else { return .waited(.interrupted, last) }
                last = result
                if result.passed { return .waited(.checkPassed, result) }
                next = next.addingTimeInterval(every)
            }
        }
        let how = console.wait(until: until, countdown: countdown)
        if how == .elapsed, let every, every > 0, let poll {
            // The last try, when the time is up.
            guard let result = console.runInterruptibly({ poll.run(with: checks) }) else { return .waited(.interrupted, last) }
            return .waited(result.passed ? .checkPassed : .elapsed, result)
        }
        return .waited(how, last)
    }

    public func summary() -> String { core.summary() }

    /// The secret values this walk knows (in memory only), carried to a run a hand-off starts.
    public var secrets: [String: String] { core.variables.secretValues }
}
