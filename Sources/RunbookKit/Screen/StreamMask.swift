import RunbookSupport

/// Masks secret values in output that arrives in pieces (a command's output as it streams): a secret
/// split across two pieces is masked too, since the end of a piece that could begin a secret waits for
/// the next one (or for `finish`). The renderer's rule for whole lines, for bytes on their way.
public struct StreamMask: Sendable {
    private let secrets: [[UInt8]]
    private var held: [UInt8] = []
    private static let mask = Array(Renderer.mask.utf8)

    public init(secrets: [String]) {
        self.secrets = Set(secrets.filter { !$0.isEmpty }).map { Array($0.utf8) }.sorted { $0.count > $1.count }
    }

    /// What of `bytes` (after what was held back) can be shown now, masked.
    public mutating func pass(_ bytes: [UInt8]) -> [UInt8] {
        guard !secrets.isEmpty else { return bytes }
        let text = held + bytes
        var shown: [UInt8] = []
        var index = 0
        scan: while index < text.count {
            for secret in secrets {
                if text.count - index >= secret.count, text[index..<(index + secret.count)].elementsEqual(secret) {
                    shown += Self.mask
                    index += secret.count
                    continue scan
                }
                // The rest is the start of a secret: held back until more comes.
                if text.count - index < secret.count, secret.starts(with: text[index...]) {
                    held = Array(text[index...])
                    return shown
                }
            }
            shown.append(text[index])
            index += 1
        }
        held = []
        return shown
    }

    /// What is still held back once the output ended: the start of a secret, masked; anything else as it is.
    public mutating func finish() -> [UInt8] {
        defer { held = [] }
        guard !held.isEmpty else { return [] }
        return held.count >= Renderer.shortestPiece ? Self.mask : held
    }
}
