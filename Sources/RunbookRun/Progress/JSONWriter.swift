/// Compact JSON, written straight into a string: what a log line needs, and no more.
///
/// Keys are written in the order given (the caller gives them sorted); strings are escaped as
/// `JSONEncoder` escapes them with `.withoutEscapingSlashes`.
struct JSONWriter {
    private(set) var text = ""

    mutating func object(_ members: (inout Members) -> Void) {
        var object = Members()
        members(&object)
        text += "{" + object.text + "}"
    }

    mutating func string(_ value: String) {
        text += Self.quoted(value)
    }

    /// The members of one object, a comma between each two.
    struct Members {
        fileprivate var text = ""

        private mutating func key(_ name: String) {
            if !text.isEmpty { text += "," }
            text += "\"" + name + "\":"
        }

        /// A string member, left out when the value is nil.
        mutating func string(_ name: String, _ value: String?) {
            guard let value else { return }
            key(name)
            text += JSONWriter.quoted(value)
        }

        mutating func number(_ name: String, _ value: Int) {
            key(name)
            text += String(value)
        }

        mutating func array<Element>(_ name: String, _ elements: [Element], _ write: (inout JSONWriter, Element) -> Void) {
            key(name)
            var json = JSONWriter()
            json.text = "["
            for (index, element) in elements.enumerated() {
                if index > 0 { json.text += "," }
                write(&json, element)
            }
            text += json.text + "]"
        }
    }

    /// `value` as a JSON string: quotes, backslashes and control characters escaped, the rest as is.
    static func quoted(_ value: String) -> String {
        // Most values (ids, titles, digests, times) hold nothing to escape: one look at their bytes.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + value + "\""
        }
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        bytes.reserveCapacity(value.utf8.count + 8)
        let hex: StaticString = "0123456789abcdef"
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0..<0x20:
                bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
                bytes += [hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0x0F)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }
}
