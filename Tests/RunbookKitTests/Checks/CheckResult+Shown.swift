import RunbookKit
import RunbookModel

/// A verdict as the operator reads it: the message and the log's reason rendered, no secret known.
struct Shown: Equatable, CustomStringConvertible {
    var passed: Bool
    var message: String
    var recorded: String

    static func pass(_ message: String) -> Shown { Shown(passed: true, message: message, recorded: message) }
    static func fail(_ message: String, recorded: String? = nil) -> Shown {
        Shown(passed: false, message: message, recorded: recorded ?? message)
    }

    var description: String { "\(passed) \(message) | \(recorded)" }
}

extension CheckResult {
    var shown: Shown {
        let renderer = Renderer(style: Style(enabled: false))
        return Shown(passed: passed, message: renderer.plain(message), recorded: renderer.plain(recorded))
    }
}
