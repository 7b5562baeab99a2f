/// Text that knows where each of its pieces came from.
///
/// The program's words and a runbook's text are shown as they are. What the operator typed and what
/// the outside world answered (a response, a command's output, a paste) is marked, so that the one
/// renderer can mask secrets in it, escape its control characters and cut it, in that order. Built by
/// interpolation: literal segments are the program's words; a `String` must say its source
/// (`\(typed: line)`, `\(outside: body)`, `\(runbook: title)`), so a piece from outside can never
/// pass as the program's own.
public struct Text: Hashable, Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public enum Source: Hashable, Sendable {
        /// The program's own words.
        case program
        /// A runbook's text (titles, prose, commands, Where).
        case runbook
        /// What the operator typed.
        case typed
        /// A response, a command's output, a paste.
        case outside

        /// Pieces from the operator or the outside world may hold a secret.
        public var isForeign: Bool { self == .typed || self == .outside }
    }

    /// How a piece is shown when colour is on.
    public enum Role: Hashable, Sendable {
        case plain, bold, dim, place, warning, error, success
        /// Prose: inline code spans are highlighted.
        case prose
        /// A line of a command: never wrapped, so it pastes as written.
        case code
    }

    public struct Piece: Hashable, Sendable {
        public var text: String
        public var source: Source
        public var role: Role
        /// Shown cut to this many characters (after masking), with `…`.
        public var limit: Int?

        public init(_ text: String, source: Source, role: Role = .plain, limit: Int? = nil) {
            self.text = text
            self.source = source
            self.role = role
            self.limit = limit
        }
    }

    public var pieces: [Piece]

    public init(pieces: [Piece] = []) {
        self.pieces = pieces
    }

    public init(_ text: String, source: Source, role: Role = .plain, limit: Int? = nil) {
        pieces = text.isEmpty ? [] : [Piece(text, source: source, role: role, limit: limit)]
    }

    public init(stringLiteral value: String) {
        self.init(value, source: .program)
    }

    public init(stringInterpolation: Interpolation) {
        pieces = stringInterpolation.pieces
    }

    public struct Interpolation: StringInterpolationProtocol {
        var pieces: [Piece] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { pieces.append(Piece(literal, source: .program)) }
        }

        public mutating func appendInterpolation(_ text: Text) {
            pieces += text.pieces
        }

        /// A number, the program's word. Not generic: called from another module, a generic one ran
        /// unspecialized, and its first use scanned the binary's protocol conformances.
        public mutating func appendInterpolation(_ number: Int) {
            pieces.append(Piece(String(number), source: .program))
        }

        /// An exit status or a signal's number.
        public mutating func appendInterpolation(_ number: Int32) {
            pieces.append(Piece(String(number), source: .program))
        }

        public mutating func appendInterpolation(program text: String, role: Role = .plain) {
            if !text.isEmpty { pieces.append(Piece(text, source: .program, role: role)) }
        }

        public mutating func appendInterpolation(runbook text: String, role: Role = .plain) {
            if !text.isEmpty { pieces.append(Piece(text, source: .runbook, role: role)) }
        }

        public mutating func appendInterpolation(typed text: String, limit: Int? = nil) {
            if !text.isEmpty { pieces.append(Piece(text, source: .typed, limit: limit)) }
        }

        public mutating func appendInterpolation(outside text: String, limit: Int? = nil) {
            if !text.isEmpty { pieces.append(Piece(text, source: .outside, limit: limit)) }
        }
    }

    /// The pieces joined as they are, unmasked: for tests and the program's own text only.
    public var description: String { pieces.map(\.text).joined() }

    public var isEmpty: Bool { pieces.allSatisfy { $0.text.isEmpty } }

    /// The same text with every piece shown in `role`.
    public func styled(_ role: Role) -> Text {
        Text(pieces: pieces.map { var piece = $0; piece.role = role; return piece })
    }

    public static func + (left: Text, right: Text) -> Text {
        Text(pieces: left.pieces + right.pieces)
    }

    public static func += (left: inout Text, right: Text) {
        left.pieces += right.pieces
    }

    /// The texts joined with `separator` between them.
    public static func joined(_ texts: [Text], separator: Text = "") -> Text {
        var result = Text()
        for (index, text) in texts.enumerated() {
            if index > 0 { result += separator }
            result += text
        }
        return result
    }
}
