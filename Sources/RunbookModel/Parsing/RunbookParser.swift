import RunbookSupport
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

/// Reads the runbook subset of Markdown into a `Runbook`.
///
/// Parsing never fails on content: whatever breaks the house rules is kept in
/// the value for the linter to report, with its line and column.
public enum RunbookParser {
    /// Reads and parses the file at `path`; throws a `RunbookFileError` for unreadable input.
    ///
    /// Without `digests` the runbook's and its steps' digests stay empty: `lint` needs none, and
    /// hashing every step was a quarter of its time.
    public static func parse(contentsOf path: String, digests: Bool = true) throws(RunbookFileError) -> Runbook {
        let source = try SourceFile.read(path)
        return parse(source: source, id: SourceFile.id(ofPath: path), path: path, digests: digests)
    }

    /// Parses runbook text (LF or CRLF line endings).
    public static func parse(source: String, id: String, path: String = "", digests: Bool = true) -> Runbook {
        var builder = Builder(id: id, path: path, digests: digests)
        let lines = splitLines(source)
        for (index, line) in lines.enumerated() {
            builder.consume(line, number: index + 1)
        }
        return builder.finish(digest: digests ? SHA256.hex(Builder.joinedBytes(lines)) : "")
    }

    /// The file at `path` read only as far as `list` needs: its title, its tags and its steps (each
    /// with its id, title and location, nothing else). Headings, fences and the preamble are read
    /// by the same rules as `parse`, so the three are the same; digests, code blocks, prose, checks
    /// and list items are left out.
    public static func outline(contentsOf path: String) throws(RunbookFileError) -> Runbook {
        let source = try SourceFile.read(path)
        var builder = Builder(id: SourceFile.id(ofPath: path), path: path, outline: true)
        for (index, line) in splitLines(source).enumerated() {
            builder.consume(line, number: index + 1)
        }
        return builder.finish(digest: "")
    }

    static func splitLines(_ source: String) -> [String] {
        // Split the UTF-8 bytes: "\r\n" is one Character in Swift, and Character splitting is slow;
        // the generic `split` of the UTF-8 view was still a seventh of `lint`, so the contiguous
        // bytes are cut by hand, each line made a `String` straight from its bytes.
        var source = source
        source.makeContiguousUTF8()
        return source.utf8.withContiguousStorageIfAvailable(lines(of:)) ?? []
    }

    /// The lines of `bytes` (LF or CRLF), without their endings; a last line left empty is dropped.
    private static func lines(of bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var lines: [String] = []
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let cut = end > start && bytes[end - 1] == UInt8(ascii: "\r") ? end - 1 : end
            lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<cut]), as: UTF8.self))
            start = end + 1
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The slug of a step title: lowercase, every run of characters other than a-z and 0-9 one `-`, trimmed.
    public static func slug(_ title: String) -> String {
        var slug = ""
        var pendingDash = false
        for scalar in title.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingDash && !slug.isEmpty { slug.append("-") }
                pendingDash = false
                slug.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return slug
    }
}

/// The parser's state while it reads a file line by line.
struct Builder {
    enum Section { case beforeTitle, preamble, guardrails, variables, step }

    struct Fence {
        var marker: Character
        var count: Int
        var indent: Int
        var info: String
        var location: SourceLocation
        var lines: [String] = []
    }

    var runbook: Runbook
    var section = Section.beforeTitle
    var fence: Fence?
    var step: Step?
    var stepSource: [String] = []
    var inExpect = false
    /// The current step's last `Expect:` and its continuation lines, joined when the next `Expect:`
    /// comes or the step ends: joining line by line would copy the text so far for every line.
    var expectParts: [String] = []
    /// Reading the options after `Choose:`: list items, blank lines between them allowed.
    var inChoice = false
    /// Inside an HTML comment that spans lines: hidden, as in rendered Markdown.
    var inComment = false
    var items: [(section: Section, text: String, location: SourceLocation)] = []
    /// Only the title, the tags and the steps' headings (`RunbookParser.outline`).
    let outline: Bool
    /// In an outline, whether each step read so far holds what makes a section a step (a field such
    /// as `Where:`, or a block): sections at either end without any are context, as in a full parse.
    var outlineStepLike: [Bool] = []
    var currentStepLike = false

    /// Whether the steps' digests are computed (`RunbookParser.parse(digests:)`).
    let digests: Bool

    init(id: String, path: String, outline: Bool = false, digests: Bool = true) {
        runbook = Runbook(id: id, path: path)
        self.outline = outline
        self.digests = digests
    }

    mutating func consume(_ written: String, number: Int) {
        var line = written
        if fence == nil, inComment || written.utf8Contains("<!--") {
            let (kept, open) = Self.strippingComments(written, inComment: inComment)
            inComment = open
            if kept.trimmed.isEmpty {
                record(written, number: number, references: false)
                return
            }
            line = kept
        }
        // Most lines start with neither a fence nor a heading: one look at the first byte after up
        // to three spaces spares them the Character walks below.
        let lead = Self.firstByteAfterSpaces(line)
        let mayFence = lead == UInt8(ascii: "`") || lead == UInt8(ascii: "~")
        if let open = fence, mayFence, Self.closes(line, open) {
            record(line, number: number)
            fence = nil
            finishBlock(open, closed: true)
            return
        }
        if let indent = fence?.indent {
            if outline { return }
            record(line, number: number)
            // Appended in place: a copy of the open block held here would copy all its lines per line.
            let content = Self.dropIndent(line, indent)
            fence?.lines.append(content)
            return
        }
        if mayFence, let opened = Self.opens(line, number: number) {
            if outline { currentStepLike = true }
            record(line, number: number)
            fence = opened
            inExpect = false
            inChoice = false
            // A code block in the preamble is not shown; it ends the paragraph before it.
            if section == .preamble { runbook.preamble.append("") }
            return
        }
        if lead == UInt8(ascii: "#"), let (level, text, column) = Self.heading(line) {
            heading(level: level, text: text, at: SourceLocation(line: number, column: column), line: line)
            return
        }
        if outline, section != .preamble {
            if section == .step, !currentStepLike, Self.marksAStep(line) { currentStepLike = true }
            return
        }
        record(line, number: number)
        let trimmed = line.trimmed
        switch section {
        case .beforeTitle:
            if !trimmed.isEmpty, runbook.textBeforeTitle == nil {
                runbook.textBeforeTitle = SourceLocation(line: number, column: Self.indent(of: line) + 1)
            }
        case .preamble:
            if let tags = Self.field("Tags:", in: trimmed) {
                runbook.tags += tags.split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty }
                runbook.preamble.append("")  // the Tags line ends a paragraph
            } else {
                runbook.preamble.append(line)
            }
        case .guardrails, .variables:
            listItem(line, trimmed: trimmed, number: number)
        case .step:
            stepLine(line, trimmed: trimmed, number: number)
        }
    }

    /// Keeps a line of the current step for its digest and its `{{NAME}}` references.
    mutating func record(_ line: String, number: Int, references: Bool = true) {
        // A pattern, not `step != nil`: the comparison took a copy of the whole step per line.
        guard case .some = step, !outline else { return }
        if digests { stepSource.append(line) }
        guard references else { return }
        for (name, column) in Variable.references(in: line) {
            step?.references.append(Located(name, at: SourceLocation(line: number, column: column)))
        }
    }

    mutating func heading(level: Int, text: String, at location: SourceLocation, line: String) {
        if level == 1 {
            runbook.titleHeadings.append(location)
            if runbook.titleHeadings.count == 1 {
                finishStep()
                runbook.title = text
                section = .preamble
                return
            }
        }
        if level != 2 {
            record(line, number: location.line)
            if section == .step { step?.prose.append(line) }
            if section == .preamble { runbook.preamble.append(line) }
            return
        }
        finishStep()
        if section == .beforeTitle, runbook.textBeforeTitle == nil { runbook.textBeforeTitle = location }
        // Lowercased only when the length could match: a heading per step made it show in profiles.
        let reserved = text.utf8.count == 10 || text.utf8.count == 9 ? text.lowercased() : ""
        switch reserved {
        case "guardrails": section = .guardrails
        case "variables": section = .variables
        default:
            section = .step
            var title = text
            var id = ""
            if text.hasSuffix("}"), let open = Self.lastOpening(in: text) {
                id = String(text[text.index(open, offsetBy: 2)..<text.index(before: text.endIndex)]).trimmed
                title = String(text[..<open]).trimmed
            } else {
                id = RunbookParser.slug(text)
            }
            if id.isEmpty { id = "step-\(runbook.steps.count + 1)" }
            step = Step(id: id, title: title, location: location)
            record(line, number: location.line)
        }
    }

    mutating func listItem(_ line: String, trimmed: String, number: Int) {
        if trimmed.isEmpty { return }
        let indent = Self.indent(of: line)
        if let bullet = trimmed.first, "-*+".contains(bullet), trimmed.dropFirst().first == " " {
            let text = trimmed.dropFirst(2).trimmed
            items.append((section, text, SourceLocation(line: number, column: indent + 1)))
        } else if indent > 0, let last = items.indices.last, items[last].section == section {
            items[last].text += " " + trimmed
        }
    }

    mutating func stepLine(_ line: String, trimmed: String, number: Int) {
        let column = Self.indent(of: line) + 1
        if inChoice, let last = step?.choices.indices.last {
            if trimmed.isEmpty { return }
            if let bullet = trimmed.first, "-*+".contains(bullet), trimmed.dropFirst().first == " " {
                let location = SourceLocation(line: number, column: column)
                switch Self.option(trimmed.dropFirst(2).trimmed, line: number, column: column + 2 + (trimmed.count - 2 - trimmed.dropFirst(2).trimmed.count) ) {
                case .success(let option): step?.choices[last].options.append(option)
                case .failure(let problem): step?.choices[last].malformed.append(Located(problem.message, at: location))
                }
                return
            }
            inChoice = false
        }
        // Every field starts with one of these letters: other lines skip the seven comparisons.
        let mayBeField = trimmed.utf8.first.map(Self.isFieldInitial) ?? false
        if mayBeField, let question = Self.field("Choose:", in: trimmed) {
            step?.choices.append(Choice(location: SourceLocation(line: number, column: column), question: question))
            inChoice = true
            inExpect = false
        } else if mayBeField, let target = Self.field("Next:", in: trimmed) {
            step?.nexts.append(Located(target, at: SourceLocation(line: number, column: column)))
            inExpect = false
        } else if mayBeField, let text = Self.field("Capture:", in: trimmed) {
            let location = SourceLocation(line: number, column: column)
            switch Capture.parse(text, at: location) {
            case .success(let capture): step?.captures.append(capture)
            case .failure(let problem): step?.malformedCaptures.append(Located(problem.message, at: location))
            }
            inExpect = false
        } else if mayBeField, let text = Self.field("Wait:", in: trimmed) {
            let location = SourceLocation(line: number, column: column)
            switch Wait.parse(text, at: location) {
            case .success(let wait): step?.waits.append(wait)
            case .failure(let problem): step?.malformedWaits.append(Located(problem.message, at: location))
            }
            inExpect = false
        } else if mayBeField, let place = Self.field("Where:", in: trimmed) {
            step?.wheres.append(Located(place, at: SourceLocation(line: number, column: column)))
            inExpect = false
        } else if mayBeField, let via = Self.field("Via:", in: trimmed) {
            step?.vias.append(Located(via, at: SourceLocation(line: number, column: column)))
            inExpect = false
        } else if mayBeField, let expect = Self.field("Expect:", in: trimmed) {
            finishExpect()
            step?.expects.append(Located(expect, at: SourceLocation(line: number, column: column)))
            expectParts = [expect]
            inExpect = true
        } else if trimmed.isEmpty {
            inExpect = false
            if let last = step?.prose.last, !last.isEmpty { step?.prose.append("") }
        } else if inExpect, step?.expects.isEmpty == false {
            expectParts.append(trimmed)
        } else {
            step?.prose.append(line)
        }
    }

    /// The first letters of `Choose:`, `Next:`, `Capture:`, `Wait:`, `Where:`, `Via:` and `Expect:`.
    static func isFieldInitial(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "C"), UInt8(ascii: "N"), UInt8(ascii: "W"), UInt8(ascii: "V"), UInt8(ascii: "E"): true
        default: false
        }
    }

    /// A line that only a step holds (`Where:`, `Expect:`, `Choose:`, `Next:`, `Capture:`, `Via:`,
    /// `Wait:`), looked at by its first bytes.
    static func marksAStep(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard let first = trimmed.utf8.first, "WECNV".utf8.contains(first) else { return false }
        return ["Where:", "Expect:", "Choose:", "Next:", "Capture:", "Via:", "Wait:"].contains { trimmed.hasPrefix($0) }
    }

    mutating func finishBlock(_ open: Fence, closed: Bool) {
        if !closed { runbook.unclosedFences.append(open.location) }
        guard section == .step, !outline else { return }
        let kind = CodeBlock.kind(ofInfo: open.info)
        var block = CodeBlock(kind: kind, info: open.info, lines: open.lines, location: open.location, isClosed: closed)
        switch kind {
        case .action: step?.actions.append(block)
        case .output: step?.outputs.append(block)
        case .check:
            block.check = CheckParser.parse(block)
            step?.checks.append(block)
        }
    }

    /// Joins the last `Expect:` of the step with its continuation lines.
    mutating func finishExpect() {
        if let last = step?.expects.indices.last, !expectParts.isEmpty {
            step?.expects[last].value = expectParts.filter { !$0.isEmpty }.joined(separator: " ")
        }
        expectParts = []
    }

    mutating func finishStep() {
        finishExpect()
        // Taken, not copied: the step is set to nil below anyway.
        guard var done = step.take() else { return }
        if outline {
            runbook.steps.append(done)
            outlineStepLike.append(currentStepLike)
            currentStepLike = false
            step = nil
            return
        }
        while done.prose.last?.trimmed.isEmpty == true { done.prose.removeLast() }
        while done.prose.first?.trimmed.isEmpty == true { done.prose.removeFirst() }
        if digests {
            while stepSource.last?.trimmed.isEmpty == true { stepSource.removeLast() }
            done.digest = SHA256.hex(Self.joinedBytes(stepSource.lazy.map { $0.trimmingTrailingWhitespace() }))
        }
        runbook.steps.append(done)
        step = nil
        stepSource = []
        inExpect = false
        inChoice = false
    }

    mutating func finish(digest: String) -> Runbook {
        if let open = fence {
            fence = nil
            finishBlock(open, closed: false)
        }
        finishStep()
        if outline {
            // Context sections at either end are not steps (ContextSection.separate, without the prose).
            let leading = outlineStepLike.prefix { !$0 }.count
            let trailing = leading == outlineStepLike.count ? 0 : outlineStepLike.reversed().prefix { !$0 }.count
            runbook.steps = Array(runbook.steps.dropFirst(leading).dropLast(trailing))
            return runbook
        }
        runbook.preamble = Self.paragraphs(runbook.preamble)
        ContextSection.separate(&runbook)
        runbook.digest = digest
        var variables: [Variable] = []
        for item in items {
            if item.section == .guardrails {
                if let guardrail = Self.guardrail(item.text, at: item.location) {
                    runbook.guardrails.append(guardrail)
                } else {
                    runbook.malformedItems.append(Located(
                        "a guardrail item needs its forbidden pattern in backticks: - `PATTERN`: reason", at: item.location))
                }
            } else if let variable = Self.variable(item.text, at: item.location) {
                variables.append(variable)
            } else {
                runbook.malformedItems.append(Located(
                    "a variable item is written - `NAME`: description, with NAME in [A-Z_][A-Z0-9_]*", at: item.location))
            }
        }
        runbook.variables = variables
        return runbook
    }

    /// The UTF-8 bytes of `lines` joined with "\n": what `joined(separator:)` gives, without the
    /// `String` it built and `SHA256` copied again (a step's digest is made once per step at `start`).
    static func joinedBytes(_ lines: some Collection<String>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(lines.count) { $0 + $1.utf8.count })
        for (index, line) in lines.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: "\n")) }
            bytes.append(contentsOf: line.utf8)
        }
        return bytes
    }

    // MARK: - Line shapes

    /// The line without its HTML comments (`<!-- … -->`), and whether a comment is still open at its end.
    static func strippingComments(_ line: String, inComment: Bool) -> (String, Bool) {
        // On bytes: the markers are ASCII, so every cut falls between whole characters.
        let bytes = Array(line.utf8)
        var kept: [UInt8] = []
        var offset = 0
        var open = inComment
        while offset < bytes.count {
            if open {
                guard let close = line.utf8Offset(of: "-->", from: offset) else { return (String(decoding: kept, as: UTF8.self), true) }
                offset = close + 3
                open = false
            } else {
                guard let start = line.utf8Offset(of: "<!--", from: offset) else { break }
                kept += bytes[offset..<start]
                offset = start + 4
                open = true
            }
        }
        if !open, offset < bytes.count { kept += bytes[offset...] }
        return (String(decoding: kept, as: UTF8.self), open)
    }

    /// Where the last `{#` of `text` starts: the explicit id of a heading.
    static func lastOpening(in text: String) -> String.Index? {
        // ASCII text: every byte is a Character, so the last `{#` of its bytes is the one.
        var copy = text
        let ascii: Int?? = copy.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var offset = bytes.count - 1
            while offset > 0 {
                if bytes[offset] == UInt8(ascii: "#"), bytes[offset - 1] == UInt8(ascii: "{") { return .some(offset - 1) }
                offset -= 1
            }
            return .some(nil)
        }
        if let ascii { return ascii.map { text.utf8.index(text.startIndex, offsetBy: $0) } }
        var index = text.endIndex
        while index > text.startIndex {
            let previous = text.index(before: index)
            if text[previous] == "#", previous > text.startIndex, text[text.index(before: previous)] == "{" {
                return text.index(before: previous)
            }
            index = previous
        }
        return nil
    }

    /// Lines without blank lines at either end or two in a row.
    static func paragraphs(_ lines: [String]) -> [String] {
        var kept: [String] = []
        for line in lines {
            let blank = line.trimmed.isEmpty
            if blank && (kept.isEmpty || kept.last == "") { continue }
            kept.append(blank ? "" : line)
        }
        if kept.last == "" { kept.removeLast() }
        return kept
    }

    /// The first byte of `line` after at most three spaces (nil past them or at the end): a fence or
    /// a heading starts there, or nowhere.
    static func firstByteAfterSpaces(_ line: String) -> UInt8? {
        var spaces = 0
        for byte in line.utf8 {
            if byte != UInt8(ascii: " ") { return byte }
            spaces += 1
            if spaces > 3 { return nil }
        }
        return nil
    }

    static func indent(of line: String) -> Int {
        // Spaces and tabs are ASCII: counted on bytes unless a non-ASCII byte follows them (a
        // combining mark would make the last of them part of another Character).
        let spaces = line.utf8.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
        if let next = line.utf8.dropFirst(spaces).first, next >= 0x80 { return line.prefix { $0 == " " || $0 == "\t" }.count }
        return spaces
    }

    static func dropIndent(_ line: String, _ count: Int) -> String {
        var dropped = 0
        var rest = Substring(line)
        while dropped < count, rest.first == " " {
            rest = rest.dropFirst()
            dropped += 1
        }
        return String(rest)
    }

    /// `Name:` at the start of a (trimmed) line, and the rest of it.
    static func field(_ name: StaticString, in trimmed: String) -> String? {
        // On bytes: a step line is asked for seven fields, and most lines are none. The name is
        // ASCII, so its bytes at the start are its Characters, unless what follows them joins the
        // last one into a Character of its own (a combining mark): then `hasPrefix` says, as before.
        let count = name.utf8CodeUnitCount
        var line = trimmed
        let next: UInt8?? = line.withUTF8 { bytes in
            guard bytes.count >= count, memcmp(bytes.baseAddress!, name.utf8Start, count) == 0 else { return nil }
            return .some(bytes.count > count ? bytes[count] : nil)
        }
        guard let next else { return nil }
        if let next, next >= 0x80, !trimmed.hasPrefix(name.description) { return nil }
        return Substring(trimmed.utf8.dropFirst(count)).trimmed
    }

    static func opens(_ line: String, number: Int) -> Fence? {
        if let ascii = asciiOpens(line, number: number) { return ascii }
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        guard let marker = rest.first, marker == "`" || marker == "~" else { return nil }
        let count = rest.prefix { $0 == marker }.count
        guard count >= 3 else { return nil }
        let info = rest.dropFirst(count).trimmed
        if marker == "`", info.contains("`") { return nil }
        return Fence(marker: marker, count: count, indent: indent, info: info,
                     location: SourceLocation(line: number, column: indent + 1))
    }

    static func closes(_ line: String, _ fence: Fence) -> Bool {
        if let ascii = asciiCloses(line, fence) { return ascii }
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return false }
        let rest = line.dropFirst(indent)
        let count = rest.prefix { $0 == fence.marker }.count
        return count >= fence.count && rest.dropFirst(count).allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// `opens(_:number:)` on the bytes of an ASCII line; nil for other lines (the `Character` walk).
    static func asciiOpens(_ line: String, number: Int) -> Fence?? {
        var line = line
        return line.withUTF8 { bytes -> Fence?? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var index = 0
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            let indent = index
            guard indent <= 3, index < bytes.count, bytes[index] == UInt8(ascii: "`") || bytes[index] == UInt8(ascii: "~") else { return .some(nil) }
            let marker = bytes[index]
            while index < bytes.count, bytes[index] == marker { index += 1 }
            let count = index - indent
            guard count >= 3 else { return .some(nil) }
            let (start, end) = asciiTrimmed(bytes, index, bytes.count)
            let info = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if marker == UInt8(ascii: "`"), info.contains(marker) { return .some(nil) }
            return .some(Fence(marker: Character(Unicode.Scalar(marker)), count: count, indent: indent,
                               info: String(decoding: info, as: UTF8.self), location: SourceLocation(line: number, column: indent + 1)))
        }
    }

    /// `closes(_:_:)` on the bytes of an ASCII line; nil for other lines (the `Character` walk).
    static func asciiCloses(_ line: String, _ fence: Fence) -> Bool? {
        guard let marker = fence.marker.asciiValue else { return nil }
        var line = line
        return line.withUTF8 { bytes -> Bool? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var index = 0
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            guard index <= 3 else { return false }
            let start = index
            while index < bytes.count, bytes[index] == marker { index += 1 }
            guard index - start >= fence.count else { return false }
            return bytes[index...].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        }
    }

    /// An ATX heading: level, text without closing hashes, and the column of its first `#`.
    static func heading(_ line: String) -> (Int, String, Int)? {
        if let ascii = asciiHeading(line) { return ascii }
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        let level = rest.prefix { $0 == "#" }.count
        guard (1...6).contains(level) else { return nil }
        let after = rest.dropFirst(level)
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        var text = after.trimmed
        // A closing run of `#` counts only after a space: `## Step ##` is "Step", `## C#` stays "C#".
        let hashes = text.reversed().prefix { $0 == "#" }.count
        if hashes == text.count {
            text = ""
        } else if hashes > 0, let before = text.dropLast(hashes).last, before == " " || before == "\t" {
            text = text.dropLast(hashes).trimmed
        }
        return (level, text, indent + 1)
    }

    /// `heading(_:)` on the bytes of an ASCII line (nil for other lines, which take the
    /// `Character` walk): in ASCII every byte is a Character, so the cuts are the same.
    static func asciiHeading(_ line: String) -> (Int, String, Int)?? {
        var line = line
        return line.withUTF8 { bytes -> (Int, String, Int)?? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var index = 0
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            let indent = index
            guard indent <= 3 else { return .some(nil) }
            while index < bytes.count, bytes[index] == UInt8(ascii: "#") { index += 1 }
            let level = index - indent
            guard (1...6).contains(level) else { return .some(nil) }
            guard index == bytes.count || bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") else { return .some(nil) }
            var (start, end) = asciiTrimmed(bytes, index, bytes.count)
            // A closing run of `#` counts only after a space: `## Step ##` is "Step", `## C#` stays "C#".
            var hashes = 0
            while hashes < end - start, bytes[end - 1 - hashes] == UInt8(ascii: "#") { hashes += 1 }
            if hashes == end - start {
                end = start
            } else if hashes > 0, bytes[end - hashes - 1] == UInt8(ascii: " ") || bytes[end - hashes - 1] == UInt8(ascii: "\t") {
                (start, end) = asciiTrimmed(bytes, start, end - hashes)
            }
            return .some((level, String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self), indent + 1))
        }
    }

    /// The bounds of `bytes[start..<end]` without ASCII whitespace at either end.
    static func asciiTrimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var (start, end) = (start, end)
        while start < end, String.isASCIIWhitespace(bytes[start]) { start += 1 }
        while end > start, String.isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
        return (start, end)
    }

    /// The first inline code span of `text`, and the text around it.
    static func codeSpan(in text: String) -> (code: String, before: String, after: String)? {
        guard let open = text.firstIndex(of: "`") else { return nil }
        let afterOpen = text.index(after: open)
        guard let close = text[afterOpen...].firstIndex(of: "`") else { return nil }
        return (String(text[afterOpen..<close]), String(text[..<open]), String(text[text.index(after: close)...]))
    }

    /// One option of `Choose:`: `` `KEY`: meaning → #target `` (`->` works as well as `→`).
    ///
    /// `column` is where the text after the bullet starts, so the target gets its own column.
    static func option(_ text: String, line: Int, column: Int) -> Result<ChoiceOption, FormatError> {
        let shape = "an option is written - `KEY`: meaning → #target"
        guard text.hasPrefix("`"), let span = codeSpan(in: text), !span.code.isEmpty else {
            return .failure(FormatError(shape + ", with the KEY in backticks"))
        }
        var rest = Substring(span.after)
        guard rest.first == ":" else { return .failure(FormatError(shape + ": a colon after the KEY")) }
        rest = rest.dropFirst()
        // The condition closes the line; written before the arrow, it reads as well and is taken too.
        var condition: ChoiceCondition?
        if let split = ChoiceCondition.split(Substring(rest.trimmingTrailingWhitespace())) {
            rest = split.rest
            condition = split.condition
        }
        let arrows = ["→", "->"].compactMap { rest.lastRange(of: $0) }
        guard let arrow = arrows.max(by: { $0.lowerBound < $1.lowerBound }) else {
            return .failure(FormatError(shape + ": the arrow and the #target are missing"))
        }
        var meaning = rest[..<arrow.lowerBound].trimmed
        if condition == nil, let split = ChoiceCondition.split(Substring(meaning)) {
            meaning = split.rest.trimmed
            condition = split.condition
        }
        let written = rest[arrow.upperBound...].trimmed
        guard let target = Step.target(in: written) else {
            if written.hasPrefix("#"), written.contains("(") {
                return .failure(FormatError("an option's condition is written (if the check passes) or (if the check fails), at the end of the line"))
            }
            return .failure(FormatError(shape + ": `\(written)` is not a target (#step-id, #end, or another runbook's id)"))
        }
        let targetColumn = column + text.distance(from: text.startIndex, to: text.lastRange(of: written)?.lowerBound ?? text.startIndex)
        return .success(ChoiceOption(key: span.code, meaning: meaning, target: Located(target, at: SourceLocation(line: line, column: targetColumn)),
                                     location: SourceLocation(line: line, column: column - 2), condition: condition))
    }

    static func guardrail(_ text: String, at location: SourceLocation) -> Guardrail? {
        guard let span = codeSpan(in: text), !span.code.isEmpty else { return nil }
        // "- Never `X`: why" keeps its leading words, without a stray " : " where the pattern was.
        let separators = " \t:—–-"
        let before = span.before.trimming(separators)
        let after = span.after.trimming(separators)
        let colon = span.after.trimmed.first.map { ":—–-".contains($0) } ?? false
        let reason = [before, after].filter { !$0.isEmpty }.joined(separator: colon ? ": " : " ")
        return Guardrail(pattern: span.code, reason: reason, location: location)
    }

    static func variable(_ text: String, at location: SourceLocation) -> Variable? {
        guard text.hasPrefix("`"), let span = codeSpan(in: text), Variable.isValidName(span.code) else { return nil }
        var rest = span.after.trimmed
        var isSecret = false
        if rest.hasPrefix("("), let close = rest.firstIndex(of: ")") {
            isSecret = rest[rest.index(after: rest.startIndex)..<close].lowercased().contains("secret")
            rest = String(rest[rest.index(after: close)...])
        }
        rest = rest.trimming(" \t:—–-")
        // `Default:` and `Format:` close the item, in either order; what stands before them is the description.
        let markers = ["Default:", "Format:"]
        var fields: [String: String] = [:]
        for marker in markers {
            guard let range = rest.firstRange(of: marker) else { continue }
            var tail = String(rest[range.upperBound...])
            for other in markers where other != marker {
                if let end = tail.firstRange(of: other) { tail = String(tail[..<end.lowerBound]) }
            }
            fields[marker] = tail.trimmed
        }
        if let first = markers.compactMap({ rest.firstRange(of: $0)?.lowerBound }).min() { rest = String(rest[..<first]) }
        /// A value in backticks as written; bare text without its closing full stop.
        func value(_ text: String) -> String {
            if let span = codeSpan(in: text), span.before.trimmed.isEmpty { return span.code }
            return text.hasSuffix(".") ? String(text.dropLast()) : text
        }
        let format = fields["Format:"].map { text in
            ValueFormat.parse(text.hasPrefix("`") ? "`" + value(text) + "`" : value(text))
        }
        return Variable(name: span.code, description: rest.trimmed, defaultValue: fields["Default:"].map(value),
                        isSecret: isSecret, format: format, location: location)
    }
}
