/// OpenBSD's `bcrypt_pbkdf`, the key derivation OpenSSH uses for passphrase-protected
/// private keys (kdfname "bcrypt", PROTOCOL.key): a PBKDF2-like loop whose pseudo-random
/// function is a bcrypt-style hash (eksblowfish keyed by the SHA-512 of the passphrase and
/// of salt‖counter), with the output bytes spread across blocks so that every block is
/// needed for every part of the key. SHA-512 comes from OpenSSL; Blowfish is `Blowfish`.
enum BcryptPBKDF {
    /// The most rounds Capstan spends on a key file; OpenSSH's default is 16 and `ssh-keygen
    /// -a` users pick 64-256. A file asking for more is refused rather than left to run for hours.
    static let maximumRounds = 10_000

    /// bcrypt's output: 32 bytes per block.
    private static let blockSize = 32

    /// `length` bytes derived from `passphrase` and `salt` with `rounds` iterations.
    static func derive(passphrase: [UInt8], salt: [UInt8], rounds: Int, length: Int,
                       maximumRounds: Int = maximumRounds) throws(SignatureError) -> [UInt8] {
        guard !passphrase.isEmpty else { throw .malformed(what: "bcrypt KDF", reason: "empty passphrase") }
        guard !salt.isEmpty, salt.count <= 1 << 20 else {
            throw .malformed(what: "bcrypt KDF options", reason: "salt of \(salt.count) bytes")
        }
        guard rounds >= 1 else { throw .malformed(what: "bcrypt KDF options", reason: "\(rounds) rounds") }
        guard rounds <= maximumRounds else {
            throw .unsupported("bcrypt KDF with \(rounds) rounds (at most \(maximumRounds))")
        }
        guard length >= 1, length <= blockSize * blockSize else {
            throw .malformed(what: "bcrypt KDF", reason: "\(length) key bytes requested")
        }
        let stride = (length + blockSize - 1) / blockSize
        let perBlock = (length + stride - 1) / stride
        let hashedPassphrase = Digest.hash(passphrase, .sha512)
        var key = [UInt8](repeating: 0, count: length)
        var block: UInt32 = 1
        var filled = 0
        while filled < length {
            var counterSalt = salt
            counterSalt.appendUInt32(block)
            var output = hash(passphrase: hashedPassphrase, salt: Digest.hash(counterSalt, .sha512))
            var accumulated = output
            for _ in 1..<rounds {
                output = hash(passphrase: hashedPassphrase, salt: Digest.hash(output, .sha512))
                for index in accumulated.indices { accumulated[index] ^= output[index] }
            }
            // Byte i of this block lands at i * stride + (block - 1): blocks interleave.
            for index in 0..<perBlock {
                let destination = index * stride + Int(block - 1)
                guard destination < length else { break }
                key[destination] = accumulated[index]
                filled += 1
            }
            block += 1
        }
        return key
    }

    /// The magic text bcrypt encrypts; its 32 bytes are the hash's width.
    private static let magic = Array("OxychromaticBlowfishSwatDynamite".utf8)

    /// One bcrypt-style hash of two SHA-512 digests: eksblowfish setup (salted expansion,
    /// then 64 alternating expansions by salt and passphrase), then 64 encryptions of `magic`.
    /// Words come out little-endian, as OpenBSD's implementation writes them.
    static func hash(passphrase: [UInt8], salt: [UInt8]) -> [UInt8] {
        var state = Blowfish()
        state.expand(key: passphrase, salt: salt)
        for _ in 0..<64 {
            state.expand(key: salt)
            state.expand(key: passphrase)
        }
        var text = [UInt32](repeating: 0, count: magic.count / 4)
        var cursor = BlowfishWordStream(magic)
        for index in text.indices { text[index] = cursor.next() }
        for _ in 0..<64 { state.encrypt(block: &text) }
        var output = [UInt8]()
        output.reserveCapacity(magic.count)
        for word in text {
            output += [UInt8(word & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word >> 16 & 0xFF), UInt8(word >> 24)]
        }
        return output
    }
}
