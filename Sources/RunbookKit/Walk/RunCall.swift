import RunbookModel
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run block's command for the driver to run at `run`: the program, its arguments, the values it gets.
///
/// Here: `/bin/sh -c SCRIPT`, each `{{NAME}}` of the block written `${NAME}` and its value in the
/// environment. Over ssh: the system's `ssh -t USER@HOST COMMAND`, the non-secret values set at the
/// start of COMMAND (`export NAME='value'`); lint and the walk refuse a secret there.
public struct RunCall: Hashable, Sendable {
    /// `/bin/sh`, or `ssh` (looked up on `PATH` when it runs).
    public var program: String
    public var arguments: [String]
    /// Values added to runbook's own environment for the command.
    public var environment: [String: String]
    /// Every secret the walk knows: masked in the output as it streams.
    public var secrets: [String]
    /// The output kept in memory for the check; the rest is shown, not kept.
    public var limit: Int

    public static let outputLimit = 1 << 20

    public init(program: String, arguments: [String], environment: [String: String], secrets: [String],
                limit: Int = RunCall.outputLimit) {
        self.program = program
        self.arguments = arguments
        self.environment = environment
        self.secrets = secrets
        self.limit = limit
    }

    /// The command on this machine: `script` under `/bin/sh -c`, `values` in its environment.
    public static func here(_ script: String, values: [String: String], secrets: [String]) -> RunCall {
        RunCall(program: "/bin/sh", arguments: ["-c", script], environment: values, secrets: secrets)
    }

    /// The command on `via`'s host: `ssh -t USER@HOST COMMAND`, the (non-secret) `values` exported first.
    public static func over(_ via: Via, script: String, values: [String: String], secrets: [String]) -> RunCall {
        let exports = values.sorted { $0.key < $1.key }.map { "export \($0.key)=\(CurlRequest.shellQuoted($0.value)); " }
        return RunCall(program: "ssh", arguments: ["-t", via.destination, exports.joined() + script], environment: [:], secrets: secrets)
    }

    /// The command line as the operator may read it (a shell would run it so).
    public var commandLine: String {
        ([program] + arguments).map(CurlRequest.shellQuoted).joined(separator: " ")
    }

    /// The program's path: `program` itself when it holds a `/`, else the first on `searchPath`.
    public func executable(searchPath: String?) -> String? {
        program.contains("/") ? program : CurlCheck.executable(program, searchPath: searchPath)
    }

    /// Runs the command through pipes (no terminal): standard input empty, output and errors together,
    /// no time limit (a run is the operator's; Ctrl-C stops it through `RunningChildren`).
    public func runPiped() -> RunOutcome {
        let base = ProcessInfo.processInfo.environment
        guard let path = executable(searchPath: base["PATH"]) else { return .cannotStart(notFound) }
        let started = Date()
        let result = ChildProcess.run(path, arguments: arguments, environment: base.merging(environment) { _, new in new },
                                      mergingErrors: true, outputLimit: limit, timeout: .infinity, stoppingOnOverflow: false)
        let seconds = Date().timeIntervalSince(started)
        switch result {
        case .failure(.cannotRun(let reason)): return .cannotStart(reason)
        case .failure(.interrupted), .failure(.timedOut):
            return RunOutcome(status: 128 + Int(SIGTERM), seconds: seconds, output: "", cut: false, streamed: false, stopped: true)
        case .success(let outcome):
            return RunOutcome(status: Int(outcome.signalled ? 128 + outcome.status : outcome.status), seconds: seconds,
                              output: String(decoding: outcome.output, as: UTF8.self), cut: outcome.overflowed, streamed: false)
        }
    }

    /// What to say when `program` is nowhere on `PATH`.
    public var notFound: String {
        "\(program) is not installed (or not on PATH); do the step by hand as shown"
    }
}

/// How a command that `run` started ended, and what it printed (kept in memory only, never recorded).
public struct RunOutcome: Hashable, Sendable {
    /// The exit status; 128 + N when signal N ended it.
    public var status: Int
    public var seconds: Double
    /// What it printed, at most `RunCall.limit` bytes of it.
    public var output: String
    /// It printed more than was kept.
    public var cut: Bool
    /// The output was on screen as it came (a terminal); else the walk shows it.
    public var streamed: Bool
    /// Ctrl-C stopped it.
    public var stopped: Bool
    /// It could not start: why.
    public var failure: String?

    public init(status: Int, seconds: Double, output: String, cut: Bool, streamed: Bool, stopped: Bool = false,
                failure: String? = nil) {
        self.status = status
        self.seconds = seconds
        self.output = output
        self.cut = cut
        self.streamed = streamed
        self.stopped = stopped
        self.failure = failure
    }

    public static func cannotStart(_ reason: String) -> RunOutcome {
        RunOutcome(status: 127, seconds: 0, output: "", cut: false, streamed: false, failure: reason)
    }
}
