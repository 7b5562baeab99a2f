/// Compact JSON, written straight into one buffer of bytes: what a log line needs, and no more.
///
/// Keys are written in the order given (the caller gives them sorted); strings are escaped as
/// `JSONEncoder` escapes them with `.withoutEscapingSlashes`. Objects and arrays write into the same
/// buffer as the writer they are part of (moved in and out, never copied).
struct JSONWriter {
    private var bytes: [UInt8] = []

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func object(_ members: (inout Members) -> Void) {
        var object = Members(bytes: take())
        object.bytes.append(UInt8(ascii: "{"))
        members(&object)
        object.bytes.append(UInt8(ascii: "}"))
        bytes = object.bytes
    }

    mutating func string(_ value: String) {
        Self.quote(value, into: &bytes)
    }

    private mutating func take() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &bytes)
        return taken
    }

    /// The members of one object, a comma between each two.
    struct Members {
        fileprivate var bytes: [UInt8]
        private var empty = true

        fileprivate init(bytes: [UInt8]) { self.bytes = bytes }

        private mutating func key(_ name: StaticString) {
            if !empty { bytes.append(UInt8(ascii: ",")) }
            empty = false
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }

        /// A string member, left out when the value is nil.
        mutating func string(_ name: StaticString, _ value: String?) {
            guard let value else { return }
            key(name)
            JSONWriter.quote(value, into: &bytes)
        }

        mutating func number(_ name: StaticString, _ value: Int) {
            key(name)
            bytes.append(contentsOf: String(value).utf8)
        }

        mutating func array<Element>(_ name: StaticString, _ elements: [Element], _ write: (inout JSONWriter, Element) -> Void) {
            key(name)
            var json = JSONWriter()
            swap(&json.bytes, &bytes)
            json.bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { json.bytes.append(UInt8(ascii: ",")) }
                write(&json, element)
            }
            json.bytes.append(UInt8(ascii: "]"))
            swap(&json.bytes, &bytes)
        }
    }

    /// `value` as a JSON string: quotes, backslashes and control characters escaped, the rest as is.
    static func quoted(_ value: String) -> String {
        var bytes: [UInt8] = []
        quote(value, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func quote(_ value: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { text in
            let hex: StaticString = "0123456789abcdef"
            var plain = 0  // where the bytes not yet copied start
            for (index, byte) in text.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[plain..<index]))
                plain = index + 1
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), byte]
                case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
                case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
                default:
                    bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                              hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0x0F)]]
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[plain...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
