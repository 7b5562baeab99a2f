extension StringProtocol {
    /// The text with control characters written as escapes: `\r`, `\n`, `\t`, else `\u{1B}` and the like.
    ///
    /// For what reaches a screen in one line (diagnostics, errors, listings): a lone carriage return
    /// or an escape sequence from a file or an argument is shown, never obeyed, and a line stays one.
    @inlinable public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: \.isControl) else { return String(self) }
        var escaped = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.isControl: escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

extension Unicode.Scalar {
    /// C0 and C1 controls and DEL (general category Cc).
    @inlinable public var isControl: Bool { properties.generalCategory == .control }
}
