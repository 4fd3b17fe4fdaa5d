/// A version 4 public key or subkey packet (RFC 4880 §5.5.2, RFC 9580 §5.5.2): creation
/// time, algorithm and key material, with its fingerprint and key id.
struct PublicKeyPacket: Sendable {
    let body: [UInt8]
    let created: UInt32
    let algorithm: UInt8
    /// The 20-byte v4 fingerprint: SHA-1 over 0x99, a two-byte length and the body.
    let fingerprint: [UInt8]
    /// The OpenSSL key, when the algorithm is one Capstan verifies with; nil otherwise.
    let key: EVPKey?
    /// Why `key` is nil.
    let unusableReason: String?
    let curve: Curve?
    /// Bytes of the public key material after the algorithm-specific header (secret keys follow it).
    let materialEnd: Int

    var keyID: [UInt8] { Array(fingerprint.suffix(8)) }
    var publicAlgorithm: PublicKeyAlgorithm? { PublicKeyAlgorithm(rawValue: algorithm) }

    /// The bytes hashed for key signatures: 0x99, two-byte length, body.
    var hashPrefix: [UInt8] {
        var bytes: [UInt8] = [0x99]
        bytes.appendUInt16(body.count)
        return bytes + body
    }

    /// Parses the public part of `body` (which may continue with secret material).
    init(body fullBody: [UInt8]) throws(SignatureError) {
        var reader = ByteReader(fullBody, what: "public key packet")
        let version = try reader.byte()
        guard version == 4 else { throw .unsupported("version \(version) OpenPGP key (only version 4 keys are read)") }
        created = try reader.uint32()
        algorithm = try reader.byte()
        var key: EVPKey?
        var reason: String?
        var curve: Curve?
        do throws(SignatureError) {
            switch PublicKeyAlgorithm(rawValue: algorithm) {
            case .rsa, .rsaSignOnly, .rsaEncryptOnly:
                let n = try reader.mpi(), e = try reader.mpi()
                key = try EVPKey.rsa(n: n, e: e)
            case .dsa:
                let p = try reader.mpi(), q = try reader.mpi(), g = try reader.mpi(), y = try reader.mpi()
                key = try EVPKey.dsa(p: p, q: q, g: g, y: y)
            case .elgamal:
                for _ in 0..<3 { _ = try reader.mpi() }
                reason = "Elgamal keys only encrypt"
            case .ecdsa:
                let oid = try Self.oid(&reader)
                curve = Curve(oid: oid)
                let point = try reader.mpi()
                if let group = curve?.openSSLGroup {
                    key = try EVPKey.ec(curve: group, point: point)
                } else {
                    reason = "ECDSA on \(Curve(oid: oid)) is not supported"
                }
            case .eddsaLegacy:
                let oid = try Self.oid(&reader)
                curve = Curve(oid: oid)
                let point = try reader.mpi()
                if case .ed25519 = Curve(oid: oid) {
                    guard point.count == 33, point[0] == 0x40 else {
                        throw .malformed(what: "EdDSA public key", reason: "expected a 0x40-prefixed 32-byte point")
                    }
                    key = try EVPKey.ed25519(publicKey: Array(point.dropFirst()))
                } else {
                    reason = "EdDSA on \(Curve(oid: oid)) is not supported"
                }
            case .ecdh:
                let oid = try Self.oid(&reader)
                curve = Curve(oid: oid)
                _ = try reader.mpi()
                let kdfLength = Int(try reader.byte())
                try reader.skip(kdfLength)
                reason = "ECDH keys only encrypt"
            case .ed25519:
                key = try EVPKey.ed25519(publicKey: try reader.take(32))
                curve = .ed25519
            case .x25519:
                try reader.skip(32)
                reason = "X25519 keys only encrypt"
            case .x448:
                try reader.skip(56)
                reason = "X448 keys only encrypt"
            case .ed448:
                try reader.skip(57)
                reason = "Ed448 is not supported"
            case nil:
                reason = "public-key algorithm \(algorithm) is not supported"
                _ = reader.rest()
            }
        } catch {
            if case .truncated = error { throw error }
            if case .malformed = error { throw error }
            key = nil
            reason = error.description
        }
        self.key = key
        self.unusableReason = reason
        self.curve = curve
        materialEnd = reader.offset
        body = Array(fullBody.prefix(materialEnd))
        var prefix: [UInt8] = [0x99]
        prefix.appendUInt16(body.count)
        fingerprint = try HashAlgorithm.sha1.digest(prefix + body)
    }

    private static func oid(_ reader: inout ByteReader) throws(SignatureError) -> [UInt8] {
        let length = Int(try reader.byte())
        guard length > 0, length < 255 else { throw .malformed(what: "curve OID", reason: "length \(length)") }
        return try reader.take(length)
    }
}
