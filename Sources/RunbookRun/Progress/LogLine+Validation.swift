import RunbookModel
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every field of a stored line checked for its type and range, beyond what decoding checks.
///
/// A log has no key: whoever can write the file can recompute the chain after changing a field.
/// What such a change cannot do is make a value legal that runbook would never write.
extension LogLine {
    /// Every key a line of this format may hold.
    static let knownKeys: Set<String> = [
        "v", "seq", "prev", "at", "tz", "operator", "host", "event", "run", "runbook", "path", "title",
        "runbookDigest", "steps", "step", "name", "value", "reason", "text", "secrets", "option", "target", "verdict",
        "fromOperator", "fromHost",
        "status", "seconds", "via", "from",
    ]

    /// The optional keys an event of `kind` carries; any other present is a field that does not belong to it.
    static func keys(of kind: RunEvent.Kind) -> Set<String> {
        switch kind {
        case .runStarted: ["run", "runbook", "path", "title", "runbookDigest", "steps", "secrets", "from"]
        case .runHandedOff: ["runbook", "run"]
        case .waitStarted: ["step", "seconds"]
        case .waitEnded: ["step", "reason"]
        case .variableRecorded: ["name", "value"]
        case .stepCompleted, .stepReopened, .checkPassed: ["step"]
        case .choiceMade: ["step", "option", "target", "reason", "verdict"]
        case .stepSkipped, .checkFailed: ["step", "reason"]
        case .noteAdded: ["step", "text"]
        case .commandRan: ["step", "status", "seconds", "via"]
        case .runPaused, .runAbandoned: ["reason"]
        case .runResumed: ["runbookDigest", "steps", "secrets", "fromOperator", "fromHost"]
        case .runCompleted: []
        }
    }

    /// The optional keys present in this line.
    var presentKeys: [String] {
        let values: [(String, Any?)] = [
            ("run", run), ("runbook", runbook), ("path", path), ("title", title), ("runbookDigest", runbookDigest),
            ("steps", steps), ("step", step), ("name", name), ("value", value), ("reason", reason), ("text", text),
            ("secrets", secrets), ("option", option), ("target", target), ("verdict", verdict),
            ("fromOperator", fromOperator), ("fromHost", fromHost),
            ("status", status), ("seconds", seconds), ("via", via), ("from", from),
        ]
        return values.filter { $0.1 != nil }.map(\.0)
    }

    /// Checks the raw text of a decoded line: no unknown, repeated or escaped keys, and `v` and `seq` written
    /// as the whole numbers runbook writes (decoding alone takes `1.0` or `1e0` for 1).
    static func checkRaw(_ bytes: Data, line: LogLine) throws(LineError) {
        guard let members = RawJSON.members([UInt8](bytes)) else {
            throw LineError("not a log line as runbook writes it (a key written with escapes)")
        }
        var seen = Set<String>()
        for member in members {
            guard seen.insert(member.name).inserted else { throw LineError("`\(member.name)` is written twice") }
            guard knownKeys.contains(member.name) else { throw LineError("unknown field `\(member.name)`") }
        }
        let raw = Dictionary(members.map { ($0.name, $0.scalar) }, uniquingKeysWith: { first, _ in first })
        guard line.v >= 1, raw["v"] == .some(String(line.v)) else {
            throw LineError("`v` is the format version, a whole number from 1, not \(raw["v"].flatMap { $0 } ?? "that")")
        }
        guard line.seq >= 1, raw["seq"] == .some(String(line.seq)) else {
            throw LineError("`seq` is the line's number, a whole number from 1, not \(raw["seq"].flatMap { $0 } ?? "that")")
        }
        if let seconds = line.seconds, raw["seconds"] != .some(String(seconds)) {
            throw LineError("`seconds` is a whole number, not \(raw["seconds"].flatMap { $0 } ?? "that")")
        }
    }

    /// Checks every field's range: what a hand edit with the chain recomputed could still get wrong.
    func validate() throws(LineError) {
        guard let kind = RunEvent.Kind(rawValue: event) else { throw LineError("unknown event `\(event)`") }
        let allowed = Self.keys(of: kind)
        guard Self.isDigest(prev) else { throw LineError("`prev` is not a SHA-256 in hex") }
        guard Self.isStoredTime(at) else {
            throw LineError("`at` is not a UTC time as runbook writes it (YYYY-MM-DDTHH:MM:SS.mmmZ): \(at)")
        }
        try Self.checkText(tz, "tz", allowEmpty: false, limit: 100)
        try Self.checkText(`operator`, "operator", allowEmpty: false, limit: 1000)
        try Self.checkText(host, "host", allowEmpty: true, limit: 1000)
        for key in presentKeys where !allowed.contains(key) {
            throw LineError("`\(key)` does not belong to \(event)")
        }
        if let runbook, !Runbook.isValidID(runbook) { throw LineError("`runbook` is not a runbook id: \(runbook)") }
        if let runbookDigest, !Self.isDigest(runbookDigest) { throw LineError("`runbookDigest` is not a SHA-256 in hex") }
        for record in steps ?? [] {
            guard !record.id.isEmpty else { throw LineError("a step in `steps` has an empty id") }
            guard Self.isDigest(record.digest) else { throw LineError("step `\(record.id)` has a digest that is not a SHA-256 in hex") }
        }
        if let option, !Runbook.isValidID(option) { throw LineError("`option` is not an option KEY: \(option)") }
        if let target, target.isEmpty { throw LineError("`target` is empty") }
        for name in secrets ?? [] where !Variable.isValidName(name) {
            throw LineError("`secrets` holds `\(name)`, which is not a variable name")
        }
        if let step, step.isEmpty { throw LineError("`step` is empty") }
        if let fromOperator { try Self.checkText(fromOperator, "fromOperator", allowEmpty: false, limit: 1000) }
        if let fromHost { try Self.checkText(fromHost, "fromHost", allowEmpty: true, limit: 1000) }
        if let status, !(0...255).contains(status) { throw LineError("`status` is an exit status, 0 to 255, not \(status)") }
        if let seconds {
            if kind == .waitStarted {
                guard (1...Wait.longest).contains(seconds) else { throw LineError("`seconds` is a wait of 1 s to a day, not \(seconds)") }
            } else if seconds < 0 {
                throw LineError("`seconds` is negative: \(seconds)")
            }
        }
        if let via, Via.parse("ssh " + via)?.destination != via { throw LineError("`via` is not USER@HOST: \(via)") }
        if let from, !RunState.isValidRunName(from) { throw LineError("`from` is not a run name: \(from)") }
        if kind == .runHandedOff, let run, !RunState.isValidRunName(run) { throw LineError("`run` is not a run name: \(run)") }
    }

    /// 64 lowercase hex digits.
    static func isDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Exactly `YYYY-MM-DDTHH:MM:SS.mmmZ`, and a real day and time: what `dateStyle` writes.
    ///
    /// Checked by hand: the parser takes `2026-02-30T99:00:00.000Z` (and moves it to March), and a parsed
    /// time formatted again can differ by a millisecond, so neither parsing nor a round trip can tell.
    static func isStoredTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 24 else { return false }
        let shape = Array("dddd-dd-ddTdd:dd:dd.dddZ".utf8)
        for (byte, expected) in zip(bytes, shape) {
            if expected == UInt8(ascii: "d") {
                guard (0x30...0x39).contains(byte) else { return false }
            } else if byte != expected {
                return false
            }
        }
        func number(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
        let (year, month, day) = (number(0..<4), number(5..<7), number(8..<10))
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...days[month - 1]).contains(day) else { return false }
        return number(11..<13) < 24 && number(14..<16) < 60 && number(17..<19) < 60
    }

    /// Text of a header field: no control characters (a newline or an escape would reach the screen), bounded.
    static func checkText(_ text: String, _ key: String, allowEmpty: Bool, limit: Int) throws(LineError) {
        guard allowEmpty || !text.isEmpty else { throw LineError("`\(key)` is empty") }
        guard text.unicodeScalars.count <= limit else { throw LineError("`\(key)` is longer than \(limit) characters") }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw LineError("`\(key)` holds a control character")
        }
    }
}

/// The top-level members of one JSON object, read from its text without decoding it.
enum RawJSON {
    /// Each member's name, and the text of its value when that is a number, `true`, `false` or `null`.
    ///
    /// For text already decoded as a JSON object; nil when a name is written with escapes (runbook never
    /// writes one, and `"\u0076"` would be a second way to write `v`).
    static func members(_ bytes: [UInt8]) -> [(name: String, scalar: String?)]? {
        var index = 0
        let count = bytes.count
        func skipSpace() {
            while index < count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }
        /// From an opening quote to after its closing one.
        func skipString() {
            index += 1
            while index < count {
                if bytes[index] == UInt8(ascii: "\\") {
                    index += 2
                } else if bytes[index] == UInt8(ascii: "\"") {
                    index += 1
                    return
                } else {
                    index += 1
                }
            }
        }
        /// One value; its text when it is a scalar other than a string.
        func skipValue() -> String? {
            guard index < count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                skipString()
                return nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        skipString()
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return nil
                        }
                    default:
                        break
                    }
                    index += 1
                }
                return nil
            default:
                let start = index
                while index < count, ![UInt8(ascii: ","), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                    index += 1
                }
                return String(decoding: bytes[start..<index], as: UTF8.self)
            }
        }
        var members: [(name: String, scalar: String?)] = []
        skipSpace()
        guard index < count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        skipSpace()
        if index < count, bytes[index] == UInt8(ascii: "}") { return members }
        while index < count {
            guard bytes[index] == UInt8(ascii: "\"") else { return nil }
            let start = index + 1
            skipString()
            let name = bytes[start..<max(start, index - 1)]
            guard !name.contains(UInt8(ascii: "\\")) else { return nil }
            skipSpace()
            guard index < count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipSpace()
            members.append((String(decoding: name, as: UTF8.self), skipValue()))
            skipSpace()
            guard index < count else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipSpace()
            } else if bytes[index] == UInt8(ascii: "}") {
                return members
            } else {
                return nil
            }
        }
        return nil
    }
}
