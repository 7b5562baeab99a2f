import RunbookModel
import RunbookRun
import RunbookSupport
/// A runbook, or a run, as a Mermaid flowchart: GitHub and most wikis draw it inline.
///
/// One node per step, labelled with its title and where it runs, coloured by place so the switches
/// between the laptop and the droplet show; an edge per way on: the file order, `Next:`, and each
/// option of `Choose:` labelled with its KEY. A run's chart marks the steps done, skipped, current
/// and bypassed (a step walked on an earlier pass as walked), draws the choices that stand in bold,
/// a hand-off as an edge to a node naming the other runbook,
/// those of earlier passes of a loop dashed and those `back` undid dotted.
public enum MermaidChart {
    /// The chart of a runbook as written.
    ///
    /// An option with a condition labels its edge with it: `ok, if the check passes`.
    public static func runbook(_ runbook: Runbook) -> String {
        let conditions = runbook.steps.map { step in
            Dictionary((step.choice?.options ?? []).compactMap { option in option.condition.map { (option.key, $0) } },
                       uniquingKeysWith: { first, _ in first })
        }
        return chart(runbook.steps.map(StepRecord.init), marks: nil, conditions: conditions)
    }

    /// The chart of a run: the runbook as the run knows it, with where the run stands.
    public static func run(_ state: RunState) -> String {
        chart(state.steps.map(\.record), marks: state)
    }

    /// Fills for places, in the order places first appear.
    static let palette = ["#dbeafe", "#fde68a", "#d1fae5", "#fbcfe8", "#e9d5ff", "#fed7aa", "#e5e7eb"]

    /// `conditions` holds, per step, the condition of each option KEY that has one.
    static func chart(_ steps: [StepRecord], marks state: RunState?, conditions: [[String: ChoiceCondition]] = []) -> String {
        var lines = ["flowchart TD"]
        let node = Dictionary(steps.enumerated().map { ($1.id, "s\($0 + 1)") }, uniquingKeysWith: { first, _ in first })
        // A hand-off leads to a node of its own, named after the other runbook, one per runbook.
        var handOffs: [String] = []
        for step in steps {
            for id in (step.options ?? []).map(\.target) + (step.next.map { [$0] } ?? []) {
                if let other = ChoiceOption.handOff(id), !handOffs.contains(other) { handOffs.append(other) }
            }
        }
        func target(_ id: String) -> String {
            if let other = ChoiceOption.handOff(id), let index = handOffs.firstIndex(of: other) { return "h\(index + 1)" }
            return id == ChoiceOption.end ? "finish" : node[id] ?? "finish"
        }
        lines.append("    begin((start))")
        for (index, step) in steps.enumerated() {
            let passes = state?.passes(of: step.id) ?? 0
            lines.append("    s\(index + 1)[\"\(label(step.title))<br/>\(label(step.place))\(passes > 1 ? "<br/>walked \(passes) times" : "")\"]")
        }
        lines.append("    finish((end))")
        for (index, other) in handOffs.enumerated() {
            lines.append("    h\(index + 1)[[\"runbook \(label(other))\"]]")
        }
        var edges: [(from: String, to: String, key: String?, label: String?)] = []
        if !steps.isEmpty { edges.append(("begin", "s1", nil, nil)) }
        for (index, step) in steps.enumerated() {
            let from = "s\(index + 1)"
            if let options = step.options, !options.isEmpty {
                let conditioned = index < conditions.count ? conditions[index] : [:]
                edges += options.map { option in
                    (from, target(option.target), option.key, conditioned[option.key].map { "\(option.key), if the check \($0.rawValue)" })
                }
            } else if let next = step.next {
                edges.append((from, target(next), nil, nil))
            } else {
                edges.append((from, index + 1 < steps.count ? "s\(index + 2)" : "finish", nil, nil))
            }
        }
        for edge in edges {
            lines.append("    \(edge.from) -->" + ((edge.label ?? edge.key).map { "|\(label($0))|" } ?? "") + " \(edge.to)")
        }
        // Places: one colour each, named in a comment so the chart's source reads too.
        var places: [String] = []
        for step in steps where !places.contains(step.place) { places.append(step.place) }
        for (number, place) in places.enumerated() {
            let members = steps.indices.filter { steps[$0].place == place }.map { "s\($0 + 1)" }
            lines.append("    %% p\(number + 1): \(place.replacingEvery("\n", with: " "))")
            lines.append("    classDef p\(number + 1) fill:\(palette[number % palette.count]),stroke:#64748b,color:#0f172a")
            lines.append("    class \(members.joined(separator: ",")) p\(number + 1)")
        }
        guard let state else { return lines.joined(separator: "\n") + "\n" }
        // Where the run stands: a class per status, and the choices that stand drawn in bold.
        let styles: [(StepProgress.Status, String, String)] = [
            (.done, "done", "stroke:#15803d,stroke-width:3px"),
            (.skipped, "skipped", "stroke:#ca8a04,stroke-width:3px,stroke-dasharray:6 3"),
            (.bypassed, "bypassed", "fill:#f8fafc,stroke:#94a3b8,stroke-dasharray:3 3,color:#94a3b8"),
        ]
        // A step walked on an earlier pass and bypassed since is drawn as walked, never only as bypassed.
        let walkedEarlier = Set(state.visits.filter { !$0.undone }.map(\.step))
        for (status, name, style) in styles {
            let members = state.steps.indices.filter {
                state.steps[$0].status == status && !(status == .bypassed && walkedEarlier.contains(state.steps[$0].id))
            }.map { "s\($0 + 1)" }
            guard !members.isEmpty else { continue }
            lines.append("    classDef \(name) \(style)")
            lines.append("    class \(members.joined(separator: ",")) \(name)")
        }
        let earlier = state.steps.indices.filter { state.steps[$0].status == .bypassed && walkedEarlier.contains(state.steps[$0].id) }
        if !earlier.isEmpty {
            lines.append("    classDef walked stroke:#15803d,stroke-width:2px,stroke-dasharray:6 3")
            lines.append("    class \(earlier.map { "s\($0 + 1)" }.joined(separator: ",")) walked")
        }
        if state.status == .active, let current = state.currentIndex {
            lines.append("    classDef current stroke:#dc2626,stroke-width:4px")
            lines.append("    class s\(current + 1) current")
        }
        // Choices: the ones that stand in bold; taken on an earlier pass (a loop) dashed; undone by `back` dotted.
        func made(_ index: Int, undone: Bool) -> Bool {
            guard let key = edges[index].key, let from = Int(edges[index].from.dropFirst()) else { return false }
            let id = state.steps[from - 1].id
            return state.visits.contains { $0.step == id && $0.option == key && $0.undone == undone }
        }
        let taken = edges.indices.filter { index in
            guard let key = edges[index].key, let from = Int(edges[index].from.dropFirst()) else { return false }
            return state.steps[from - 1].choice?.key == key
        }
        let before = edges.indices.filter { !taken.contains($0) && made($0, undone: false) }
        let undone = edges.indices.filter { !taken.contains($0) && !before.contains($0) && made($0, undone: true) }
        for (indexes, style) in [(taken, "stroke:#15803d,stroke-width:3px"), (before, "stroke:#15803d,stroke-width:2px,stroke-dasharray:6 3"),
                                 (undone, "stroke:#dc2626,stroke-width:1px,stroke-dasharray:2 2")] where !indexes.isEmpty {
            lines.append("    linkStyle \(indexes.map(String.init).joined(separator: ",")) \(style)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text safe inside a quoted Mermaid label: quotes, `#`, brackets, backticks and the like as entity codes.
    static func label(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\"": result += "#quot;"
            case "#": result += "#35;"
            case "<": result += "#lt;"
            case ">": result += "#gt;"
            case "&": result += "#amp;"
            case "`": result += "#96;"
            case "|": result += "#124;"
            case "[": result += "#91;"
            case "]": result += "#93;"
            case "\n", "\r", "\t": result += " "
            default: result += String(character).escapingControlCharacters
            }
        }
        return result
    }
}
