/// Blowfish's state (P-array and S-boxes) and the two key-schedule steps bcrypt builds on.
/// OpenSSL 3 keeps Blowfish only in its legacy provider and has no "expensive key schedule",
/// so Capstan carries this small block function for `bcrypt_pbkdf` (OpenSSH key files).
/// The state holds key material derived from a passphrase: it is never printed.
struct Blowfish {
    /// P-array (18 words) followed by the four S-boxes (256 words each), starting from π's digits.
    private var words: [UInt32] = BlowfishPi.pArray + BlowfishPi.sBoxes

    private static let sBase = 18

    /// Encrypts one 64-bit block given as two big-endian halves.
    func encrypt(_ left: UInt32, _ right: UInt32) -> (UInt32, UInt32) {
        words.withUnsafeBufferPointer { Self.encipher(left, right, $0) }
    }

    /// Encrypts consecutive word pairs of `block` in place (ECB), as bcrypt does with its text.
    func encrypt(block: inout [UInt32]) {
        words.withUnsafeBufferPointer { state in
            for index in stride(from: 0, to: block.count - 1, by: 2) {
                (block[index], block[index + 1]) = Self.encipher(block[index], block[index + 1], state)
            }
        }
    }

    /// The standard Blowfish key schedule step ("expand0state"): `key` is XORed into the
    /// P-array cyclically, then every P and S word is replaced by successive encryptions.
    mutating func expand(key: [UInt8]) {
        expand(key: key, salt: nil)
    }

    /// eksblowfish's salted step ("expandstate"): as `expand(key:)`, but 64 bits of `salt`
    /// (taken cyclically) are XORed into the block before each encryption.
    mutating func expand(key: [UInt8], salt: [UInt8]) {
        expand(key: key, salt: Optional(salt))
    }

    private mutating func expand(key: [UInt8], salt: [UInt8]?) {
        precondition(!key.isEmpty && salt?.isEmpty != true, "Blowfish key and salt are never empty here")
        var keyCursor = BlowfishWordStream(key)
        var saltCursor = salt.map { BlowfishWordStream($0) }
        words.withUnsafeMutableBufferPointer { state in
            for index in 0..<Self.sBase {
                state[index] ^= keyCursor.next()
            }
            var left: UInt32 = 0, right: UInt32 = 0
            for index in stride(from: 0, to: state.count, by: 2) {
                if saltCursor != nil {
                    left ^= saltCursor!.next()
                    right ^= saltCursor!.next()
                }
                (left, right) = Self.encipher(left, right, UnsafeBufferPointer(state))
                state[index] = left
                state[index + 1] = right
            }
        }
    }

    /// The 16-round Feistel network over `state` (P-array then S-boxes).
    @inline(__always)
    private static func encipher(_ left: UInt32, _ right: UInt32, _ state: UnsafeBufferPointer<UInt32>) -> (UInt32, UInt32) {
        var left = left, right = right
        for round in 0..<16 {
            left ^= state[round]
            let f = ((state[sBase + Int(left >> 24)] &+ state[sBase + 256 + Int(left >> 16 & 0xFF)])
                ^ state[sBase + 512 + Int(left >> 8 & 0xFF)]) &+ state[sBase + 768 + Int(left & 0xFF)]
            right ^= f
            swap(&left, &right)
        }
        return (right ^ state[17], left ^ state[16])
    }
}

/// Reads big-endian 32-bit words from bytes, wrapping around at the end (Blowfish's
/// "stream2word").
struct BlowfishWordStream {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> UInt32 {
        var word: UInt32 = 0
        for _ in 0..<4 {
            word = word << 8 | UInt32(bytes[offset])
            offset = (offset + 1) % bytes.count
        }
        return word
    }
}
