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
import RunbookRun
import RunbookSupport

/// Where the runbooks and the runs are, from the options and the environment.
public struct Folders: Hashable, Sendable {
    public var runbooks: String
    public var state: String
    /// The folder that must exist already for the state folder to be created below it: `$HOME` for the
    /// default, else the state folder's parent (`$XDG_STATE_HOME`'s parent for that one).
    public var stateBase: String
    /// Why no state folder could be chosen at all (`$HOME` unset, say); `state` is then empty.
    public var stateUnresolved: String?

    public init(runbooks: String, state: String) {
        self.runbooks = runbooks
        self.state = state
        stateBase = Self.parent(of: state)
    }

    /// `--dir`, else `$RUNBOOK_DIR`, else the nearest `runbooks/` from `currentFolder` upwards (as git
    /// finds `.git`), else `runbooks`; `--state-dir`, else `$RUNBOOK_STATE_DIR`,
    /// else `$XDG_STATE_HOME/runbook` (when absolute: the XDG spec says to ignore a relative one),
    /// else `$HOME/.local/state/runbook` (when `$HOME` is set and absolute).
    public init(options: GlobalOptions, environment: [String: String],
                currentFolder: String = System.currentFolder()) {
        func nonEmpty(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        runbooks = options.runbooksFolder ?? nonEmpty("RUNBOOK_DIR")
            ?? System.nearestFolder(named: "runbooks", from: currentFolder) ?? "runbooks"
        if let state = options.stateFolder ?? nonEmpty("RUNBOOK_STATE_DIR") {
            self.state = state
            stateBase = Self.parent(of: state)
        } else if let xdg = nonEmpty("XDG_STATE_HOME"), xdg.hasPrefix("/") {
            state = xdg + "/runbook"
            stateBase = Self.parent(of: xdg)
        } else if let home = nonEmpty("HOME"), home.hasPrefix("/") {
            state = home + "/.local/state/runbook"
            stateBase = home
        } else {
            // Never guess a home: a folder made under a wrong or missing one is a folder nobody finds.
            state = ""
            stateBase = ""
            stateUnresolved = nonEmpty("HOME").map { "$HOME (\($0)) is not an absolute path" } ?? "$HOME is not set"
        }
    }

    static func parent(of path: String) -> String {
        let parent = Path.folder(path)
        return parent.isEmpty ? "." : parent
    }

    private enum Kind: Equatable {
        case folder, missing, other
        case unusable(String)
    }

    private static func kind(_ path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return .missing }
            return .unusable(String(cString: strerror(errno)))
        }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .folder : .other
    }

    /// Why the state folder cannot hold runs, written for the operator; nil when it can.
    ///
    /// It is a folder, or it does not exist yet and `stateBase` does (the first `start` creates it, and
    /// nothing above it); a `runs` inside it is a folder. Nothing is ever written anywhere else.
    public func stateProblem() -> String? {
        let fix = "pass --state-dir DIR or set RUNBOOK_STATE_DIR"
        if let stateUnresolved { return "no state folder: \(stateUnresolved); \(fix)" }
        switch Self.kind(state) {
        case .folder:
            switch Self.kind(state + "/runs") {
            case .folder, .missing: return nil
            case .other: return "\(state)/runs is not a folder, so the state folder \(state) cannot hold runs; move it away, or \(fix)"
            case .unusable(let reason): return "cannot use \(state)/runs (\(reason)); check its permissions, or \(fix)"
            }
        case .other:
            return "the state folder \(state) is not a folder; \(fix) to a folder"
        case .unusable(let reason):
            return "cannot use the state folder \(state) (\(reason)); check its permissions, or \(fix)"
        case .missing:
            guard Self.kind(stateBase) == .folder else {
                return "the state folder \(state) does not exist, and \(stateBase), where it would be created, is not a folder; "
                    + "create it, or \(fix)"
            }
            return nil
        }
    }
}
