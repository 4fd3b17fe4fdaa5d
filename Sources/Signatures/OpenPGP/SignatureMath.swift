/// The cryptographic check of one OpenPGP signature: hash the signed pieces and the
/// signature's trailer, compare the quick-check bytes, then ask OpenSSL.
enum SignatureMath {
    /// The digest a v4 signature covers: `pieces` (the data, or key material and user IDs)
    /// followed by the signature's own trailer.
    static func digest(of signature: SignaturePacket, over pieces: [[UInt8]]) throws(SignatureError) -> [UInt8] {
        guard let hash = signature.hashAlgorithm else {
            throw .unsupported("hash algorithm \(signature.hashAlgorithmID)")
        }
        let context = try HashContext(hash)
        for piece in pieces { context.update(piece) }
        context.update(signature.trailer)
        return try context.finish()
    }

    /// True when `key` made `signature` over `pieces`. The two quick-check bytes are not
    /// trusted either way (real keys, GitHub's web-flow key among them, carry wrong ones and
    /// GnuPG ignores them); only the public-key check decides.
    static func verifies(_ signature: SignaturePacket, by key: PublicKeyPacket, over pieces: [[UInt8]]) -> Bool {
        guard let evp = key.key, let hash = signature.hashAlgorithm, compatible(signature.publicKeyAlgorithm, key.algorithm),
              let digest = try? digest(of: signature, over: pieces) else { return false }
        switch PublicKeyAlgorithm(rawValue: key.algorithm) {
        case .rsa, .rsaSignOnly:
            guard let value = signature.values.first else { return false }
            let width = (evp.bits + 7) / 8
            guard value.count <= width else { return false }
            return evp.verify(signature: value.leftPadded(to: width), digest: digest, hash: hash, rsa: true)
        case .dsa, .ecdsa:
            guard signature.values.count == 2 else { return false }
            let der = DERSignature.encode(r: signature.values[0], s: signature.values[1])
            return evp.verify(signature: der, digest: digest, hash: hash, rsa: false)
        case .eddsaLegacy:
            guard signature.values.count == 2, signature.values[0].count <= 32, signature.values[1].count <= 32 else { return false }
            let raw = signature.values[0].leftPadded(to: 32) + signature.values[1].leftPadded(to: 32)
            return evp.verify(signature: raw, message: digest, hash: nil)
        case .ed25519:
            guard let raw = signature.values.first, raw.count == 64 else { return false }
            return evp.verify(signature: raw, message: digest, hash: nil)
        default:
            return false
        }
    }

    private static func compatible(_ signatureAlgorithm: UInt8, _ keyAlgorithm: UInt8) -> Bool {
        let rsa: Set<UInt8> = [1, 3]
        if rsa.contains(signatureAlgorithm) { return rsa.contains(keyAlgorithm) }
        return signatureAlgorithm == keyAlgorithm
    }

    /// `text` with every line ending made CR LF, as text-mode (0x01) signatures hash it.
    static func canonicalText(_ data: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.count + data.count / 40)
        var previous: UInt8 = 0
        for byte in data {
            if byte == 0x0a, previous != 0x0d { output.append(0x0d) }
            output.append(byte)
            previous = byte
        }
        return output
    }
}
