/// Durations for people: `42 s`, `3 min 5 s`, `1 h 2 min`.
public enum Elapsed {
    public static func describe(_ seconds: Double) -> String {
        let total = max(0, Int(seconds.rounded()))
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min \(total % 60) s" }
        return "\(total / 3600) h \(total % 3600 / 60) min"
    }
}
