/// A version 4 secret key or subkey packet (RFC 4880 §5.5.3): the public part, then the
/// secret values, in the clear or protected by a passphrase (S2K + AES-CFB).
struct SecretKeyPacket {
    let publicPart: PublicKeyPacket
    private let body: [UInt8]

    init(body: [UInt8]) throws(SignatureError) {
        publicPart = try PublicKeyPacket(body: body)
        self.body = body
    }

    /// The decrypted secret values (MPIs, or raw bytes for algorithm 27), checksum verified.
    func secretValues(passphrase: String?) throws(SignatureError) -> [UInt8] {
        let name = publicPart.fingerprint.hexString.uppercased()
        var reader = ByteReader(body, what: "secret key packet")
        try reader.skip(publicPart.materialEnd)
        let usage = try reader.byte()
        switch usage {
        case 0:
            let rest = reader.rest()
            guard rest.count >= 2 else { throw .truncated(what: "secret key packet", offset: body.count) }
            let values = Array(rest.dropLast(2))
            guard Self.checksum(values) == Array(rest.suffix(2)) else {
                throw .malformed(what: "secret key \(name)", reason: "checksum of the secret values does not match")
            }
            return values
        case 254, 255:
            let cipher = try reader.byte()
            let keyLength: Int
            switch cipher {
            case 7: keyLength = 16
            case 8: keyLength = 24
            case 9: keyLength = 32
            default: throw .unsupported("secret key protected with symmetric algorithm \(cipher) (AES-128/192/256 are read)")
            }
            let s2k = try StringToKey(&reader)
            let iv = try reader.take(16)
            let encrypted = reader.rest()
            guard let passphrase else { throw .passphraseRequired(key: name) }
            let key = try s2k.key(passphrase: Array(passphrase.utf8), length: keyLength)
            let plain = try SymmetricCipher.decrypt(encrypted, key: key, iv: iv, mode: .cfb)
            if usage == 254 {
                guard plain.count >= 20 else { throw .wrongPassphrase(key: name) }
                let values = Array(plain.dropLast(20))
                guard try HashAlgorithm.sha1.digest(values) == Array(plain.suffix(20)) else { throw .wrongPassphrase(key: name) }
                return values
            }
            guard plain.count >= 2, Self.checksum(Array(plain.dropLast(2))) == Array(plain.suffix(2)) else {
                throw .wrongPassphrase(key: name)
            }
            return Array(plain.dropLast(2))
        case 253:
            throw .unsupported("AEAD-protected secret key \(name) (RFC 9580)")
        default:
            throw .unsupported("secret key \(name) protected by legacy scheme \(usage)")
        }
    }

    private static func checksum(_ bytes: [UInt8]) -> [UInt8] {
        let sum = bytes.reduce(0) { ($0 + Int($1)) & 0xffff }
        return [UInt8(sum >> 8), UInt8(sum & 0xff)]
    }

    /// An OpenSSL private key for signing, from the public part and the secret values.
    func privateKey(passphrase: String?) throws(SignatureError) -> EVPKey {
        let secret = try secretValues(passphrase: passphrase)
        var values = ByteReader(secret, what: "secret key values")
        var material = ByteReader(publicPart.body, what: "public key packet")
        try material.skip(6)
        switch publicPart.publicAlgorithm {
        case .rsa, .rsaSignOnly:
            let n = try material.mpi(), e = try material.mpi()
            return try EVPKey.rsa(n: n, e: e, d: try values.mpi())
        case .ecdsa:
            guard let group = publicPart.curve?.openSSLGroup else { throw .unsupported("ECDSA curve of this key") }
            try material.skip(Int(try material.byte()))
            let point = try material.mpi()
            return try EVPKey.ec(curve: group, point: point, scalar: try values.mpi())
        case .eddsaLegacy:
            guard case .ed25519 = publicPart.curve else { throw .unsupported("EdDSA curve of this key") }
            let seed = try values.mpi()
            guard seed.count <= 32 else { throw .malformed(what: "EdDSA secret key", reason: "longer than 32 bytes") }
            return try EVPKey.ed25519(seed: seed.leftPadded(to: 32))
        case .ed25519:
            return try EVPKey.ed25519(seed: try values.take(32))
        default:
            throw .unsupported("signing with \(publicPart.publicAlgorithm?.description ?? "algorithm \(publicPart.algorithm)") keys")
        }
    }
}
