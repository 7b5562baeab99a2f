import RunbookModel
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One line of a run's log as stored: the event, when and by whom, and the hash chain.
///
/// Flat on purpose: every field a JSON key, so a log reads well with `jq` and `grep`.
struct LogLine: Codable, Equatable {
    /// The format version; a newer one is refused, never overwritten.
    static let currentVersion = 1
    /// The `prev` of a log's first line.
    static let origin = String(repeating: "0", count: 64)

    var v: Int
    var seq: Int
    /// SHA-256 of the line before, as stored (without its newline).
    var prev: String
    var at: String
    var tz: String
    var `operator`: String
    var host: String
    var event: String
    var run: String?
    var runbook: String?
    var path: String?
    var title: String?
    var runbookDigest: String?
    var steps: [StepRecord]?
    var step: String?
    var name: String?
    var value: String?
    var reason: String?
    var text: String?
    /// The runbook's secret variables, in runStarted and runResumed (absent when it has none, and in
    /// logs written before it was recorded): a variableRecorded for one is illegal.
    var secrets: [String]?
    var option: String?
    var target: String?
    /// The check's verdict that informed a choice: `passed` or `failed` (absent in older logs).
    var verdict: String?
    /// In a runResumed of `resume --take-over`: the operator and host whose walk it took over.
    var fromOperator: String?
    var fromHost: String?
    /// commandRan: the command's exit status (128 + N for signal N), the whole seconds it took, and
    /// `USER@HOST` when it ran over ssh. waitStarted: how long the wait lasts, in seconds.
    var status: Int?
    var seconds: Int?
    var via: String?
    /// In runStarted: the run this one was handed off from (absent when it was not).
    var from: String?

    /// Reads the times the log holds (written by `EventRecord.stamp`).
    static let dateStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    init(_ record: EventRecord, seq: Int, prev: String) {
        v = Self.currentVersion
        self.seq = seq
        self.prev = prev
        at = EventRecord.stamp(record.at)
        tz = record.timeZone
        `operator` = record.operatorName
        host = record.host
        event = record.event.name
        switch record.event {
        case .runStarted(let start):
            run = start.run
            runbook = start.runbook
            path = start.path
            title = start.title
            runbookDigest = start.runbookDigest
            steps = start.steps
            secrets = start.secrets.isEmpty ? nil : start.secrets
            from = start.from
        case .variableRecorded(let name, let value):
            self.name = name
            self.value = value
        case .stepCompleted(let step), .stepReopened(let step), .checkPassed(let step):
            self.step = step
        case .choiceMade(let step, let option, let target, let reason, let verdict):
            self.step = step
            self.option = option
            self.target = target
            self.reason = reason
            self.verdict = verdict?.rawValue
        case .stepSkipped(let step, let reason), .checkFailed(let step, let reason):
            self.step = step
            self.reason = reason
        case .noteAdded(let step, let text):
            self.step = step
            self.text = text
        case .commandRan(let step, let status, let seconds, let via):
            self.step = step
            self.status = status
            self.seconds = seconds
            self.via = via
        case .runPaused(let reason):
            self.reason = reason.rawValue
        case .waitStarted(let step, let seconds):
            self.step = step
            self.seconds = seconds
        case .waitEnded(let step, let how):
            self.step = step
            reason = how.rawValue
        case .runResumed(let digest, let steps, let secrets, let takeover):
            runbookDigest = digest
            self.steps = steps
            self.secrets = secrets.isEmpty ? nil : secrets
            fromOperator = takeover?.operatorName
            fromHost = takeover?.host
        case .runCompleted:
            break
        case .runHandedOff(let runbook, let run):
            self.runbook = runbook
            self.run = run
        case .runAbandoned(let reason):
            self.reason = reason
        }
    }

    /// The record this line holds, or why it cannot be one.
    func record() throws(LineError) -> EventRecord {
        try validate()
        guard let date = try? Self.dateStyle.parse(at) else { throw LineError("`at` is not an ISO 8601 time: \(at)") }
        func need<T>(_ value: T?, _ key: String) throws(LineError) -> T {
            guard let value else { throw LineError("\(event) needs `\(key)`") }
            return value
        }
        guard let stored = RunEvent.Kind(rawValue: event) else { throw LineError("unknown event `\(event)`") }
        let kind: RunEvent
        switch stored {
        case .runStarted:
            kind = .runStarted(RunStart(run: try need(run, "run"), runbook: try need(runbook, "runbook"),
                                        path: path ?? "", title: title ?? "",
                                        runbookDigest: try need(runbookDigest, "runbookDigest"),
                                        steps: try need(steps, "steps"), secrets: secrets ?? [], from: from))
        case .variableRecorded: kind = .variableRecorded(name: try need(name, "name"), value: try need(value, "value"))
        case .stepCompleted: kind = .stepCompleted(step: try need(step, "step"))
        case .choiceMade:
            var checked: StepProgress.CheckStatus?
            if let verdict {
                guard let known = StepProgress.CheckStatus(rawValue: verdict) else {
                    throw LineError("`verdict` is `passed` or `failed`, not `\(verdict)`")
                }
                checked = known
            }
            kind = .choiceMade(step: try need(step, "step"), option: try need(option, "option"), target: try need(target, "target"),
                               skipReason: reason, verdict: checked)
        case .stepSkipped: kind = .stepSkipped(step: try need(step, "step"), reason: try need(reason, "reason"))
        case .stepReopened: kind = .stepReopened(step: try need(step, "step"))
        case .noteAdded: kind = .noteAdded(step: try need(step, "step"), text: try need(text, "text"))
        case .checkPassed: kind = .checkPassed(step: try need(step, "step"))
        case .checkFailed: kind = .checkFailed(step: try need(step, "step"), reason: try need(reason, "reason"))
        case .commandRan:
            kind = .commandRan(step: try need(step, "step"), status: try need(status, "status"),
                               seconds: try need(seconds, "seconds"), via: via)
        case .runPaused:
            guard let pause = PauseReason(rawValue: try need(reason, "reason")) else {
                throw LineError("runPaused has an unknown reason `\(reason ?? "")`")
            }
            kind = .runPaused(reason: pause)
        case .waitStarted: kind = .waitStarted(step: try need(step, "step"), seconds: try need(seconds, "seconds"))
        case .waitEnded:
            guard let how = WaitEnd(rawValue: try need(reason, "reason")) else {
                throw LineError("waitEnded has an unknown reason `\(reason ?? "")`")
            }
            kind = .waitEnded(step: try need(step, "step"), how: how)
        case .runResumed:
            var takeover: Takeover?
            if fromOperator != nil || fromHost != nil {
                takeover = Takeover(operatorName: try need(fromOperator, "fromOperator"), host: try need(fromHost, "fromHost"))
            }
            kind = .runResumed(runbookDigest: try need(runbookDigest, "runbookDigest"), steps: try need(steps, "steps"),
                               secrets: secrets ?? [], takeover: takeover)
        case .runCompleted: kind = .runCompleted
        case .runHandedOff: kind = .runHandedOff(runbook: try need(runbook, "runbook"), run: try need(run, "run"))
        case .runAbandoned: kind = .runAbandoned(reason: try need(reason, "reason"))
        }
        return EventRecord(kind, at: date, timeZone: tz, operatorName: `operator`, host: host)
    }

    /// The line as stored, without its newline: JSON with sorted keys, as `JSONEncoder` with
    /// `.sortedKeys` and `.withoutEscapingSlashes` writes it (a test holds the two equal).
    ///
    /// Written by hand: JSONEncoder's generic machinery was an eighth of a start's instructions.
    func encoded() -> String {
        var json = JSONWriter()
        json.object { object in
            object.string("at", at)
            object.string("event", event)
            object.string("fromHost", fromHost)
            object.string("fromOperator", fromOperator)
            object.string("from", from)
            object.string("host", host)
            object.string("name", name)
            object.string("operator", `operator`)
            object.string("option", option)
            object.string("path", path)
            object.string("prev", prev)
            object.string("reason", reason)
            object.string("run", run)
            object.string("runbook", runbook)
            object.string("runbookDigest", runbookDigest)
            if let seconds { object.number("seconds", seconds) }
            if let secrets { object.array("secrets", secrets) { $0.string($1) } }
            object.number("seq", seq)
            if let status { object.number("status", status) }
            object.string("step", step)
            if let steps {
                object.array("steps", steps) { json, record in
                    json.object { step in
                        step.string("digest", record.digest)
                        step.string("id", record.id)
                        step.string("next", record.next)
                        if let options = record.options {
                            step.array("options", options) { json, option in
                                json.object { $0.string("key", option.key); $0.string("target", option.target) }
                            }
                        }
                        step.string("title", record.title)
                        step.string("where", record.place)
                    }
                }
            }
            object.string("target", target)
            object.string("text", text)
            object.string("title", title)
            object.string("tz", tz)
            object.number("v", v)
            object.string("value", value)
            object.string("verdict", verdict)
            object.string("via", via)
        }
        return json.text
    }

    /// Decodes one stored line; a line from a newer format is named as such, never guessed at.
    static func decode(_ bytes: Data) throws(LineError) -> LogLine {
        struct Version: Decodable { var v: Int }
        let decoder = JSONDecoder()
        let line: LogLine
        do {
            line = try decoder.decode(LogLine.self, from: bytes)
        } catch {
            // Only a failed line pays for a second look: is it from a newer format, or not a log line at all?
            guard let version = try? decoder.decode(Version.self, from: bytes) else {
                throw LineError("not a log line (not JSON with a version `v`)")
            }
            try check(version.v)
            switch error {
            case DecodingError.keyNotFound(let key, _):
                throw LineError("missing `\(key.stringValue)`")
            case DecodingError.typeMismatch(_, let context):
                throw LineError("`\(context.codingPath.map(\.stringValue).joined(separator: "."))` has the wrong type")
            default:
                throw LineError("not a log line")
            }
        }
        try check(line.v)
        try checkRaw(bytes, line: line)
        return line
    }

    private static func check(_ version: Int) throws(LineError) {
        guard version <= currentVersion else {
            throw LineError("written by a newer runbook (format \(version), this one reads \(currentVersion)); upgrade runbook", newer: true)
        }
    }
}

/// Why one log line cannot be read.
struct LineError: Error {
    var message: String
    var newer = false

    init(_ message: String, newer: Bool = false) {
        self.message = message
        self.newer = newer
    }
}
