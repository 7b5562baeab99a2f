import RunbookSupport

/// `Wait: 5m` (a pause before the step's prompt) or `Wait: up to 10m every 30s` (the step's check run
/// until it passes or the time is up), SPEC 11.
public struct Wait: Hashable, Sendable {
    /// How long the wait lasts at most, in whole seconds.
    public var seconds: Int
    /// With `every`: seconds between two runs of the step's check.
    public var every: Int?
    public var location: SourceLocation

    public init(seconds: Int, every: Int? = nil, location: SourceLocation) {
        self.seconds = seconds
        self.every = every
        self.location = location
    }

    /// As written after `Wait:`.
    public var written: String {
        every.map { "up to \(Self.duration(seconds)) every \(Self.duration($0))" } ?? Self.duration(seconds)
    }

    /// `90` → `90s`, `300` → `5m`, `3600` → `1h`: the largest unit that divides it.
    public static func duration(_ seconds: Int) -> String {
        if seconds >= 3600, seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds >= 60, seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// The longest wait a runbook may ask for: a day.
    public static let longest = 86_400

    /// Reads the text after `Wait:`.
    public static func parse(_ text: String, at location: SourceLocation) -> Result<Wait, FormatError> {
        let shape = "a wait is written Wait: 5m (or 30s, 1h), or Wait: up to 10m every 30s"
        let words = text.trimmed.lowercased().split(separator: " ").map(String.init)
        if words.count == 1, let seconds = seconds(in: words[0]) {
            return .success(Wait(seconds: seconds, location: location))
        }
        guard words.count == 5, words[0] == "up", words[1] == "to", words[3] == "every",
              let total = seconds(in: words[2]), let every = seconds(in: words[4]) else {
            return .failure(FormatError(shape + ", not `Wait: \(text.trimmed)`"))
        }
        guard every <= total else {
            return .failure(FormatError("the check runs every \(duration(every)), longer than the whole wait (\(duration(total))): make the wait longer"))
        }
        return .success(Wait(seconds: total, every: every, location: location))
    }

    /// `30s`, `5m`, `1h` in seconds, from 1 s to a day; nil otherwise.
    static func seconds(in word: String) -> Int? {
        guard let unit = word.last, let scale = ["s": 1, "m": 60, "h": 3600][String(unit)],
              let number = Int(word.dropLast()), number > 0 else { return nil }
        let (seconds, overflow) = number.multipliedReportingOverflow(by: scale)
        return !overflow && seconds <= longest ? seconds : nil
    }
}
