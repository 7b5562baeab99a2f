import RunbookModel
import RunbookSupport

/// Turns `Text` into what the terminal or the log receives: the one place that masks.
///
/// A piece the operator typed or the outside world answered is masked first (every known secret
/// value, and a cut piece of one at its ends), then its control characters are escaped, then it is
/// cut to its limit. The program's words and the runbook's text are never touched. On a terminal,
/// lines are wrapped at word boundaries to its width (a line of a command never is: it must paste
/// as written).
public struct Renderer: Sendable {
    public static let mask = "••••"
    /// A piece of a secret at least this long, cut off at the end or start of a piece, is masked too.
    static let shortestPiece = 4

    public var style: Style
    /// Secret values known to this walk, in memory only.
    public private(set) var secrets: [String] = []
    /// The terminal's width; nil in a pipe (no wrapping).
    public var width: Int?

    public init(style: Style, width: Int? = nil) {
        self.style = style
        self.width = width
    }

    public mutating func add(secret value: String) {
        guard !value.isEmpty, !secrets.contains(value) else { return }
        secrets.append(value)
        secrets.sort { $0.count > $1.count }
    }

    /// `text` masked: every known secret value, and a piece of one cut off at either end.
    public func masked(_ text: String) -> String {
        guard !secrets.isEmpty, !text.isEmpty else { return text }
        var result = text
        for secret in secrets { result = result.replacingEvery(secret, with: Renderer.mask) }
        for secret in secrets where secret.count > Renderer.shortestPiece {
            let characters = Array(result)
            // The end of the text is the start of a secret, or its start the end of one: a piece cut short.
            for length in stride(from: min(secret.count - 1, characters.count), through: Renderer.shortestPiece, by: -1) {
                if String(characters.suffix(length)) == String(secret.prefix(length)) {
                    result = String(characters.dropLast(length)) + Renderer.mask
                    break
                }
            }
            let again = Array(result)
            for length in stride(from: min(secret.count - 1, again.count), through: Renderer.shortestPiece, by: -1) {
                if String(again.prefix(length)) == String(secret.suffix(length)) {
                    result = Renderer.mask + String(again.dropFirst(length))
                    break
                }
            }
        }
        return result
    }

    /// A piece as shown: foreign pieces masked, escaped, then cut.
    func shown(_ piece: Text.Piece) -> String {
        var text = piece.text
        // A piece with a limit is shown on one line.
        if piece.limit != nil { text = text.split(whereSeparator: \.isNewline).joined(separator: " ") }
        if piece.source.isForeign { text = masked(text).escapingControlCharacters }
        if let limit = piece.limit, text.count > limit { text = String(text.prefix(limit)) + "…" }
        return text
    }

    /// The text as plain characters, masked: for the log, standard error and piped output.
    public func plain(_ text: Text) -> String {
        text.pieces.map(shown).joined()
    }

    /// One screen line (maybe wrapped into several), styled.
    public func line(_ text: Text) -> String {
        // Neighbouring pieces of one role are styled as one (a place is padded once, not per piece).
        var segments: [(String, Text.Role)] = []
        for piece in text.pieces {
            if let last = segments.last, last.1 == piece.role {
                segments[segments.count - 1].0 += shown(piece)
            } else {
                segments.append((shown(piece), piece.role))
            }
        }
        guard let width, width > 20, !text.pieces.contains(where: { $0.role == .code }),
              segments.reduce(0, { $0 + $1.0.count }) > width else {
            return segments.map { styled($0.0, $0.1) }.joined()
        }
        return wrapped(segments, width: width).map { $0.map { styled($0.0, $0.1) }.joined() }.joined(separator: "\n")
    }

    /// Lines joined with newlines, each ended by one.
    public func lines(_ texts: [Text]) -> String {
        texts.map { line($0) + "\n" }.joined()
    }

    private func styled(_ text: String, _ role: Text.Role) -> String {
        switch role {
        case .plain, .code: text
        case .bold: style.bold(text)
        case .dim: style.dim(text)
        case .place: style.enabled ? style.place(" " + text + " ") : text
        case .warning: style.warning(text)
        case .error: style.error(text)
        case .success: style.success(text)
        case .prose: style.inlineCode(text)
        }
    }

    /// Segments broken into lines of at most `width` characters at spaces; continuation lines are
    /// indented like the first (under the text of a list item).
    private func wrapped(_ segments: [(String, Text.Role)], width: Int) -> [[(String, Text.Role)]] {
        let whole = segments.map(\.0).joined()
        var indent = String(whole.prefix { $0 == " " })
        let rest = whole.dropFirst(indent.count)
        if rest.hasPrefix("- ") || rest.hasPrefix("* ") { indent += "  " }
        if let dot = rest.firstIndex(of: "."), rest[..<dot].allSatisfy(\.isNumber), !rest[..<dot].isEmpty,
           rest[dot...].hasPrefix(". ") {
            indent += String(repeating: " ", count: rest.distance(from: rest.startIndex, to: dot) + 2)
        }
        if indent.count > width / 2 { indent = "" }
        // Words keep their roles; a word is the spaces before it and a run of other characters.
        var words: [[(String, Text.Role)]] = []
        var word: [(String, Text.Role)] = []
        var inSpaces = true
        for (text, role) in segments {
            for character in text {
                if character == " " && !inSpaces && !word.isEmpty {
                    words.append(word)
                    word = []
                }
                inSpaces = character == " "
                if let last = word.last, last.1 == role {
                    word[word.count - 1].0.append(character)
                } else {
                    word.append((String(character), role))
                }
            }
        }
        if !word.isEmpty { words.append(word) }
        var lines: [[(String, Text.Role)]] = []
        var line: [(String, Text.Role)] = []
        var length = 0
        for word in words {
            let size = word.reduce(0) { $0 + $1.0.count }
            if length > 0 && length + size > width {
                lines.append(line)
                var trimmed = word
                trimmed[0].0 = String(trimmed[0].0.drop { $0 == " " })
                line = [(indent, .plain)] + trimmed
                length = indent.count + trimmed.reduce(0) { $0 + $1.0.count }
            } else {
                line += word
                length += size
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
