/// Pure-Swift SHA-256 (FIPS 180-4), since CryptoKit is unavailable on Linux toolchains.
///
/// The input is gathered once into a contiguous array; whole 64-byte blocks are compressed
/// straight from that storage and only the final one or two padded blocks are copied.
/// The message schedule lives in a stack buffer, so hashing does no per-block allocation.
public enum SHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// Returns the 32-byte SHA-256 digest of `bytes`.
    ///
    /// Inlined into the caller, so the bytes are gathered by code made for their type: generic code
    /// called from another module took each byte through a witness table (300 K instructions for the
    /// 800 bytes of a first event).
    @inlinable public static func hash<S: Sequence>(_ bytes: S) -> [UInt8] where S.Element == UInt8 {
        hash(message: Array(bytes))
    }

    @usableFromInline static func hash(message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        let wholeBytes = message.count / 64 * 64
        message.withUnsafeBufferPointer { compress(UnsafeBufferPointer(rebasing: $0[..<wholeBytes]), into: &h) }
        // Padding: 0x80, zeros up to 56 mod 64, then the bit length as a big-endian UInt64.
        var tail = Array(message[wholeBytes...])
        tail.append(0x80)
        tail.append(contentsOf: repeatElement(0, count: (tail.count <= 56 ? 56 : 120) - tail.count))
        let bitLength = UInt64(message.count) &* 8
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength &>> UInt64(shift))) }
        tail.withUnsafeBufferPointer { compress($0, into: &h) }
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for word in h {
            for shift: UInt32 in [24, 16, 8, 0] { digest.append(UInt8(truncatingIfNeeded: word &>> shift)) }
        }
        return digest
    }

    /// Returns the SHA-256 digest of `bytes` as 64 lowercase hex characters.
    @inlinable public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        hex(message: Array(bytes))
    }

    @usableFromInline static func hex(message: [UInt8]) -> String {
        // One buffer of 64 digits: a two-element array per byte was most of a short hash's cost.
        let digest = hash(message: message)
        return String(unsafeUninitializedCapacity: 64) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for (index, byte) in digest.enumerated() {
                buffer[2 * index] = digits.utf8Start[Int(byte >> 4)]
                buffer[2 * index + 1] = digits.utf8Start[Int(byte & 0x0f)]
            }
            return 64
        }
    }

    /// Returns the SHA-256 digest of the UTF-8 encoding of `string` as 64 lowercase hex characters.
    public static func hex(_ string: String) -> String { hex(message: Array(string.utf8)) }

    /// Runs the compression function over every 64-byte block in `data` (count must be a multiple of 64).
    private static func compress(_ data: UnsafeBufferPointer<UInt8>, into h: inout [UInt32]) {
        @inline(__always) func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x &>> n) | (x &<< (32 &- n)) }
        k.withUnsafeBufferPointer { k in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                for start in stride(from: 0, to: data.count, by: 64) {
                    let block = UnsafeRawPointer(data.baseAddress! + start)
                    for t in 0..<16 { w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self)) }
                    for t in 16..<64 {
                        let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] &>> 3)
                        let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] &>> 10)
                        w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
                    }
                    var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
                    /// One round, the eight words renamed by the caller instead of moved: shifting
                    /// them along a tuple every round was a third of the round's instructions.
                    @inline(__always) func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                                                 _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ t: Int) {
                        // Ch and Maj in their shorter equivalent forms: g ^ (e & (f ^ g)), (a & b) | (c & (a | b)).
                        let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ (g ^ (e & (f ^ g))) &+ k[t] &+ w[t]
                        d &+= t1
                        h = t1 &+ (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) | (c & (a | b)))
                    }
                    for t in stride(from: 0, to: 64, by: 8) {
                        round(a, b, c, &d, e, f, g, &hh, t)
                        round(hh, a, b, &c, d, e, f, &g, t + 1)
                        round(g, hh, a, &b, c, d, e, &f, t + 2)
                        round(f, g, hh, &a, b, c, d, &e, t + 3)
                        round(e, f, g, &hh, a, b, c, &d, t + 4)
                        round(d, e, f, &g, hh, a, b, &c, t + 5)
                        round(c, d, e, &f, g, hh, a, &b, t + 6)
                        round(b, c, d, &e, f, g, hh, &a, t + 7)
                    }
                    h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
                }
            }
        }
    }
}
