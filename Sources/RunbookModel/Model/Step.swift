import RunbookSupport
/// One step of a runbook: an H2 heading and everything up to the next one.
public struct Step: Hashable, Sendable {
    /// Every field behind one reference: a step is copied wherever an array of them is walked
    /// (each lint rule, the walk), and a copy of seventeen fields was seventeen atomic retains and
    /// releases, most of `lint`'s time. Copied on write, so a `Step` still behaves as a value.
    private var box: Box

    /// The explicit `{#id}` of the heading, else the slug of its title.
    public var id: String {
        get { box.fields.id }
        _modify { yield &fields.id }
    }

    public var title: String {
        get { box.fields.title }
        _modify { yield &fields.title }
    }
    /// Where the heading stands.
    public var location: SourceLocation {
        get { box.fields.location }
        _modify { yield &fields.location }
    }
    /// Every `Where:` line of the step; the house rules want exactly one.
    public var wheres: [Located<String>] {
        get { box.fields.wheres }
        _modify { yield &fields.wheres }
    }
    /// The prose, line by line, blank lines kept as paragraph breaks.
    public var prose: [String] {
        get { box.fields.prose }
        _modify { yield &fields.prose }
    }

    public var actions: [CodeBlock] {
        get { box.fields.actions }
        _modify { yield &fields.actions }
    }

    public var outputs: [CodeBlock] {
        get { box.fields.outputs }
        _modify { yield &fields.outputs }
    }

    public var checks: [CodeBlock] {
        get { box.fields.checks }
        _modify { yield &fields.checks }
    }
    /// Every `Expect:` of the step, continuation lines joined; the house rules want at most one.
    public var expects: [Located<String>] {
        get { box.fields.expects }
        _modify { yield &fields.expects }
    }
    /// Every `Choose:` of the step; the house rules want at most one.
    public var choices: [Choice] {
        get { box.fields.choices }
        _modify { yield &fields.choices }
    }
    /// Every `Next:` line, its text after `Next:` as written (`#target`).
    public var nexts: [Located<String>] {
        get { box.fields.nexts }
        _modify { yield &fields.nexts }
    }
    /// Every `Via:` line, its text after `Via:` (`ssh USER@HOST`); the house rules want at most one, with a run block.
    public var vias: [Located<String>] {
        get { box.fields.vias }
        _modify { yield &fields.vias }
    }
    /// Every `{{NAME}}` in the step, in file order.
    public var references: [Located<String>] {
        get { box.fields.references }
        _modify { yield &fields.references }
    }
    /// SHA-256 of the step's source lines: a changed step gets a new digest.
    public var digest: String {
        get { box.fields.digest }
        _modify { yield &fields.digest }
    }
    /// Every `Capture:` of the step that reads as one, in order.
    public var captures: [Capture] {
        get { box.fields.captures }
        _modify { yield &fields.captures }
    }
    /// `Capture:` lines that do not, with why.
    public var malformedCaptures: [Located<String>] {
        get { box.fields.malformedCaptures }
        _modify { yield &fields.malformedCaptures }
    }
    /// Every `Wait:` of the step that reads as one; the house rules want at most one.
    public var waits: [Wait] {
        get { box.fields.waits }
        _modify { yield &fields.waits }
    }
    /// `Wait:` lines that do not, with why.
    public var malformedWaits: [Located<String>] {
        get { box.fields.malformedWaits }
        _modify { yield &fields.malformedWaits }
    }

    /// The step's wait, when it has one.
    public var wait: Wait? { waits.first }

    public init(
        id: String, title: String, location: SourceLocation, wheres: [Located<String>] = [],
        prose: [String] = [], actions: [CodeBlock] = [], outputs: [CodeBlock] = [], checks: [CodeBlock] = [],
        expects: [Located<String>] = [], choices: [Choice] = [], nexts: [Located<String>] = [],
        references: [Located<String>] = [], digest: String = ""
    ) {
        box = Box(Fields(id: id, title: title, location: location, wheres: wheres, prose: prose, actions: actions,
                         outputs: outputs, checks: checks, expects: expects, choices: choices, nexts: nexts,
                         references: references, digest: digest))
    }

    /// The place to run the step: the first non-empty `Where:`, or "".
    public var place: String {
        wheres.first { !$0.value.isEmpty }?.value ?? ""
    }

    public var action: CodeBlock? { actions.first }

    /// True when an action block's info string holds the word `run` (SPEC 10): runbook runs it for the operator.
    public var hasRunBlock: Bool {
        actions.contains { CodeBlock.info($0.info, hasWord: "run") }
    }

    /// The action blocks to show: with several (one per language, as alternatives), only the one whose
    /// language is `shell` (`RUNBOOK_SHELL`) when the step has it, else all of them.
    public func actions(for shell: String?) -> [CodeBlock] {
        guard actions.count > 1, let shell = shell?.trimmed.lowercased(), !shell.isEmpty else { return actions }
        let chosen = actions.filter { $0.language?.lowercased() == shell }
        return chosen.isEmpty ? actions : chosen
    }

    /// The step's run block (`sh run`, `bash run`): the first action block runbook may run for the operator.
    public var runBlock: CodeBlock? { actions.first(where: \.isRun) }
    /// Where the run block runs: the host of `Via: ssh USER@HOST`, or nil for this machine (and for a
    /// `Via:` that cannot be read, which lint refuses).
    public var via: Via? { vias.first.flatMap { Via.parse($0.value) } }
    /// What the operator should see: the first `Expect:` (lint refuses a second).
    public var expect: Located<String>? { expects.first }
    /// The step's decision, when it has one.
    public var choice: Choice? { choices.first }
    /// The target of `Next: #target` (a step id or `end`), when it reads as one.
    public var next: String? { nexts.first.flatMap { Step.target(in: $0.value) } }

    /// `#target` as written after `Next:` or an option's arrow: the id, or nil when it is not `#` and an id.
    ///
    /// Another runbook's id, written without `#`, is a hand-off: kept as `runbook:ID` (see `ChoiceOption.handOff`).
    public static func target(in text: String) -> String? {
        let trimmed = text.trimmed
        guard trimmed.hasPrefix("#") else {
            return Runbook.isValidID(trimmed) ? ChoiceOption.handOffPrefix + trimmed : nil
        }
        guard trimmed.count > 1 else { return nil }
        let id = String(trimmed.dropFirst())
        return id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } ? id : nil
    }

    /// Where the step may lead: its options' targets, its `Next:`, or nil to go on in file order.
    public var targets: [String]? {
        if let choice { return choice.options.map(\.target.value) }
        if let next { return [next] }
        return nil
    }
    public var output: CodeBlock? { outputs.first }
    /// The step's check block, parsed; `nil` when it has none or it is malformed.
    public var check: Check? {
        if case .success(let check)? = checks.first?.check { return check }
        return nil
    }

    /// The names of the variables the step refers to, without repeats, in order.
    public var variableNames: [String] {
        var seen = Set<String>()
        return references.map(\.value).filter { seen.insert($0).inserted }
    }

    /// The names among `declared` that the step's `sh check` reads as `$NAME` or `${NAME}`.
    ///
    /// A check's variables are exported to its shell, so reading one from there uses it as much as `{{NAME}}` does.
    public func shellNames(declared: [String]) -> [String] {
        let read = shellReads
        return read.isEmpty ? [] : declared.filter(read.contains)
    }

    /// Every name the step's `sh check` reads as `$NAME` or `${NAME}`, declared or not.
    public var shellReads: Set<String> {
        guard case .shell(let script)? = check else { return [] }
        let scalars = Array(script.unicodeScalars)
        func isNamePart(_ c: Unicode.Scalar) -> Bool {
            ("A"..."Z").contains(c) || ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "_"
        }
        var read = Set<String>()
        for (index, scalar) in scalars.enumerated() where scalar == "$" {
            var start = index + 1
            if start < scalars.count, scalars[start] == "{" {
                start += 1
                // `${#NAME}`, the length of NAME, reads it too.
                if start < scalars.count, scalars[start] == "#" { start += 1 }
            }
            var end = start
            while end < scalars.count, isNamePart(scalars[end]) { end += 1 }
            if end > start { read.insert(String(String.UnicodeScalarView(scalars[start..<end]))) }
        }
        return read
    }

    /// The stored fields of a step.
    struct Fields: Hashable, Sendable {
        var id: String
        var title: String
        var location: SourceLocation
        var wheres: [Located<String>] = []
        var prose: [String] = []
        var actions: [CodeBlock] = []
        var outputs: [CodeBlock] = []
        var checks: [CodeBlock] = []
        var expects: [Located<String>] = []
        var choices: [Choice] = []
        var nexts: [Located<String>] = []
        var vias: [Located<String>] = []
        var references: [Located<String>] = []
        var digest: String
        var captures: [Capture] = []
        var malformedCaptures: [Located<String>] = []
        var waits: [Wait] = []
        var malformedWaits: [Located<String>] = []
    }

    /// Shared by copies of a step until one of them changes.
    ///
    /// `@unchecked Sendable`: `fields` is only written through `Step.fields`, which first makes the
    /// box unique to the step being changed, so a box another thread can see is never written.
    final class Box: @unchecked Sendable {
        /// Unchecked: written only through `fields`' `_modify` when the box is not shared (copy on
        /// write), so two accesses never overlap; checked, each read of a step's field paid a dynamic
        /// exclusivity check (3% of a lint).
        @exclusivity(unchecked) var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    /// The fields for a change: the box is copied first when another step shares it.
    private var fields: Fields {
        get { box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            yield &box.fields
        }
    }

    public static func == (left: Step, right: Step) -> Bool {
        left.box === right.box || left.box.fields == right.box.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(box.fields)
    }
}

/// `Choose:` and its options: the decision an operator makes when the step is done.
public struct Choice: Hashable, Sendable {
    /// Where `Choose:` stands.
    public var location: SourceLocation
    /// Text after `Choose:` on its line, if any: the question.
    public var question: String
    public var options: [ChoiceOption]
    /// Items under `Choose:` that are not `` `KEY`: meaning → #target ``, with why.
    public var malformed: [Located<String>]

    public init(location: SourceLocation, question: String = "", options: [ChoiceOption] = [], malformed: [Located<String>] = []) {
        self.location = location
        self.question = question
        self.options = options
        self.malformed = malformed
    }
}

/// One option of a `Choose:`: `` `KEY`: meaning → #target ``, maybe ending `(if the check passes)`.
public struct ChoiceOption: Hashable, Sendable {
    public var key: String
    /// The text between the KEY and the arrow, without a condition.
    public var meaning: String
    /// A step id of the same runbook, or `end`.
    public var target: Located<String>
    /// Where the item stands.
    public var location: SourceLocation
    /// The check's verdict this option fits, or nil when it fits either.
    public var condition: ChoiceCondition?

    public init(key: String, meaning: String, target: Located<String>, location: SourceLocation,
                condition: ChoiceCondition? = nil) {
        self.key = key
        self.meaning = meaning
        self.target = target
        self.location = location
        self.condition = condition
    }

    /// `#end`: the run is complete.
    public static let end = "end"
    /// How a hand-off target is kept: `runbook:` and the other runbook's id (a step id never holds a colon).
    public static let handOffPrefix = "runbook:"

    /// The runbook a target hands off to, or nil when it is a step id or `end`.
    public static func handOff(_ target: String) -> String? {
        target.hasPrefix(handOffPrefix) ? String(target.dropFirst(handOffPrefix.count)) : nil
    }

    /// True when a target ends the run's path: `end`, or a hand-off to another runbook.
    public static func isFinal(_ target: String) -> Bool {
        target == end || target.hasPrefix(handOffPrefix)
    }
}
