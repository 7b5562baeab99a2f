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
import RunbookSupport

/// The system's `git`, driven in one folder with explicit arguments and environment (STYLE 19).
///
/// Never a prompt: `GIT_TERMINAL_PROMPT=0`, no askpass, ssh in batch mode; `LC_ALL=C` so that errors
/// can be classified; `GIT_DIR`, `GIT_WORK_TREE` and `GIT_INDEX_FILE` unset so that the operator's
/// shell cannot point it at another repository; a time limit on every call. `runner` is replaced in
/// unit tests by a fake.
public struct Git: Sendable {
    /// What one call of git gave back.
    public struct Output: Sendable, Equatable {
        public var status: Int32
        public var output: String
        public var errors: String

        public init(status: Int32, output: String, errors: String = "") {
            self.status = status
            self.output = output
            self.errors = errors
        }

        /// Standard output's lines, empty ones dropped.
        public var lines: [String] { output.split(separator: "\n").map(String.init) }
    }

    /// Why a call of git gave no output.
    public enum Failure: Error, Equatable, Sendable {
        /// No `git` on the PATH.
        case missing
        case timedOut(command: String, seconds: Double)
        case cannotRun(String)
    }

    public typealias Runner = @Sendable (_ arguments: [String], _ environment: [String: String], _ timeout: Double)
        -> Result<Output, Failure>

    public var folder: String
    public var environment: [String: String]
    public var runner: Runner

    /// Git in `folder`, with the process's `environment` made safe for work nobody watches.
    public init(folder: String, environment: [String: String], runner: Runner? = nil) {
        self.folder = folder
        self.environment = Self.safe(environment)
        let executable = Self.find(in: environment["PATH"] ?? "/usr/bin:/bin")
        self.runner = runner ?? { arguments, environment, timeout in
            guard let executable else { return .failure(.missing) }
            switch ChildProcess.run(executable, arguments: arguments, environment: environment, outputLimit: 64 << 20,
                                    timeout: timeout) {
            case .success(let outcome):
                return .success(Output(status: outcome.signalled ? 128 + outcome.status : outcome.status,
                                       output: String(decoding: outcome.output, as: UTF8.self),
                                       errors: String(decoding: outcome.errors, as: UTF8.self)))
            case .failure(.timedOut):
                return .failure(.timedOut(command: arguments.dropFirst(2).first ?? "git", seconds: timeout))
            case .failure(.interrupted):
                return .failure(.cannotRun("git was interrupted"))
            case .failure(.cannotRun(let reason)):
                return .failure(.cannotRun(reason))
            }
        }
    }

    /// The environment git runs with: the operator's, made unable to prompt or to aim elsewhere.
    static func safe(_ environment: [String: String]) -> [String: String] {
        var safe = environment
        for name in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR",
                     "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES"] {
            safe[name] = nil
        }
        safe["GIT_TERMINAL_PROMPT"] = "0"
        safe["GIT_ASKPASS"] = ""
        safe["SSH_ASKPASS"] = ""
        safe["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=10"
        safe["LC_ALL"] = "C"
        safe["GIT_EDITOR"] = "true"
        return safe
    }

    /// The first executable `git` on `path`.
    static func find(in path: String) -> String? {
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = String(folder) + "/git"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Runs `git -C FOLDER ARGUMENTS`, within `timeout` seconds; extra environment variables on top.
    public func call(_ arguments: [String], timeout: Double = 10, with extra: [String: String] = [:]) -> Result<Output, Failure> {
        runner(["-C", folder] + arguments, environment.merging(extra) { _, new in new }, timeout)
    }

    /// The trimmed output of a call that must succeed, or nil.
    public func value(_ arguments: [String]) -> String? {
        guard case .success(let output) = call(arguments), output.status == 0 else { return nil }
        let value = output.output.trimmed
        return value.isEmpty ? nil : value
    }
}
