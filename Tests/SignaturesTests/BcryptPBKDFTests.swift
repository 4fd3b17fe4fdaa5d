import Testing
@testable import Signatures

/// Blowfish and OpenBSD's bcrypt_pbkdf, checked against answers computed elsewhere.
@Suite struct BlowfishTests {
    @Test func initialStateIsPisHexDigits() {
        // π = 3.243F6A88 85A308D3 13198A2E 03707344 …; S-box 0 starts where the P-array ends.
        #expect(Array(BlowfishPi.pArray.prefix(4)) == [0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344])
        #expect(BlowfishPi.pArray.count == 18)
        #expect(BlowfishPi.sBoxes.count == 1024)
    }

    /// Eric Young's published Blowfish ECB test vectors (key, plaintext, ciphertext).
    static let vectors: [(key: UInt64, plaintext: UInt64, ciphertext: UInt64)] = [
        (0x0000000000000000, 0x0000000000000000, 0x4EF997456198DD78),
        (0xFFFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF, 0x51866FD5B85ECB8A),
        (0x3000000000000000, 0x1000000000000001, 0x7D856F9A613063F2),
        (0xFEDCBA9876543210, 0x0123456789ABCDEF, 0x0ACEAB0FC6A0A28D),
    ]

    @Test("the standard key schedule and block function match the published vectors", arguments: vectors.indices)
    func publishedVector(_ index: Int) {
        let vector = Self.vectors[index]
        var key = [UInt8]()
        for shift in stride(from: 56, through: 0, by: -8) { key.append(UInt8(vector.key >> UInt64(shift) & 0xFF)) }
        var cipher = Blowfish()
        cipher.expand(key: key)
        let (left, right) = cipher.encrypt(UInt32(vector.plaintext >> 32), UInt32(vector.plaintext & 0xFFFF_FFFF))
        #expect(UInt64(left) << 32 | UInt64(right) == vector.ciphertext)
    }
}

@Suite struct BcryptPBKDFTests {
    /// Expected bytes from the Python `bcrypt` package 5.0.0 (`bcrypt.kdf(password=…, salt=…,
    /// desired_key_bytes=…, rounds=…, ignore_few_rounds=True).hex()`), an independent
    /// implementation of the same OpenBSD function. Lengths cover one block (32), the
    /// interleaving across two (44: aes256-gcm, 48: aes256-ctr) and chacha20-poly1305's 64.
    static let vectors: [(passphrase: String, salt: String, rounds: Int, length: Int, expected: String)] = [
        ("password", "73616c74", 4, 32, "5bbf0cc293587f1c3635555c27796598d47e579071bf427e9d8fbe842aba34d9"),
        ("password", "73616c74", 4, 48,
         "5ba4bfc60c7ac272931458407f4c1c4936ea356c55125c5a279b791d65bf9842d49d7e1b572a9052715ebfa9421e7e94"),
        ("correct horse battery staple", "000102030405060708090a0b0c0d0e0f", 16, 48,
         "800e37c007983f658e60a0bb3d6d9da43b1adf37371d89ce9a5506d6ed3efcf91f79d8b9d7617ea8f98bf45c362a3153"),
        ("pässwörd", "a1b2c3d4e5f60718293a4b5c6d7e8f90", 1, 64,
         "927d4e83be1779c93ab6f72d4c8008d503f0f3576d89d64668c3f163fb1a5eb3f2b54d9760e7422cfef4b65e43befe2a38a156a55ae5f95f4de746c3193fb0f3"),
        ("x", "00", 2, 44, "088b26953f6f3f29f7561c521919bc1cb02b7c8fc25a986e2b4ac08b2cc024536792e023896a3ab1d36b75e6"),
        ("password", "73616c74", 1, 1, "7a"),
    ]

    @Test("derived bytes match an independent implementation", arguments: vectors.indices)
    func knownAnswer(_ index: Int) throws {
        let vector = Self.vectors[index]
        let key = try BcryptPBKDF.derive(passphrase: Array(vector.passphrase.utf8), salt: Self.bytes(vector.salt),
                                         rounds: vector.rounds, length: vector.length)
        #expect(key.hexString == vector.expected)
    }

    @Test func roundsBeyondTheLimitAreRefusedBeforeAnyWork() {
        #expect(throws: SignatureError.unsupported("bcrypt KDF with 4294967295 rounds (at most \(BcryptPBKDF.maximumRounds))")) {
            try BcryptPBKDF.derive(passphrase: Array("p".utf8), salt: [1], rounds: 4_294_967_295, length: 48)
        }
    }

    @Test func zeroRoundsAndAnEmptySaltAreMalformed() {
        #expect(throws: SignatureError.self) { try BcryptPBKDF.derive(passphrase: Array("p".utf8), salt: [1], rounds: 0, length: 48) }
        #expect(throws: SignatureError.self) { try BcryptPBKDF.derive(passphrase: Array("p".utf8), salt: [], rounds: 1, length: 48) }
    }

    static func bytes(_ hex: String) -> [UInt8] {
        var bytes = [UInt8]()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}
