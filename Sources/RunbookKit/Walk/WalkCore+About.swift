import RunbookModel
import RunbookSupport

/// `about`: the runbook's context sections (SPEC 11), listed or shown one at a time.
extension WalkCore {
    mutating func about(_ topic: String) -> Request {
        let sections = runbook.context
        guard !sections.isEmpty else {
            say("This runbook has no background sections (Meaning, Impact, See also…): everything is in its steps.")
            return prompt()
        }
        guard !topic.isEmpty else {
            say("Background sections of this runbook; type about NAME (or its number) to read one:")
            say(sections.enumerated().map { "  \($0.offset + 1). \(runbook: $0.element.title, role: .bold)" })
            return prompt()
        }
        let wanted = topic.lowercased()
        let found = Int(wanted).flatMap { sections.indices.contains($0 - 1) ? sections[$0 - 1] : nil }
            ?? sections.first { $0.title.lowercased() == wanted || $0.id == wanted }
            ?? sections.first { $0.title.lowercased().hasPrefix(wanted) }
        guard let section = found else {
            let names = sections.map(\.title).joined(separator: ", ")
            say("No section \(typed: topic) here: type about alone to list them (\(runbook: names)).")
            return prompt()
        }
        say("")
        say(StepScreen.context(section, values: state.variables, runbook: runbook))
        say("")
        return prompt()
    }
}
