/// A version 4 signature packet (RFC 4880 §5.2.3, RFC 9580 §5.2.3) with its subpackets
/// decoded and its algorithm-specific values kept raw.
struct SignaturePacket: Sendable {
    enum SignatureType: UInt8 {
        case binary = 0x00
        case text = 0x01
        case genericCertification = 0x10
        case personaCertification = 0x11
        case casualCertification = 0x12
        case positiveCertification = 0x13
        case subkeyBinding = 0x18
        case primaryKeyBinding = 0x19
        case directKey = 0x1f
        case keyRevocation = 0x20
        case subkeyRevocation = 0x28
        case certificationRevocation = 0x30
    }

    let type: UInt8
    let publicKeyAlgorithm: UInt8
    let hashAlgorithmID: UInt8
    /// Version through the hashed subpacket area: what the signature's own trailer hashes.
    let hashedHeader: [UInt8]
    let hashed: [SignatureSubpacket]
    let unhashed: [SignatureSubpacket]
    let leftHash: [UInt8]
    /// The signature values: [s] for RSA, [r, s] for DSA/ECDSA/EdDSA, [r‖s] for Ed25519.
    let values: [[UInt8]]

    var signatureType: SignatureType? { SignatureType(rawValue: type) }
    var hashAlgorithm: HashAlgorithm? { HashAlgorithm(rawValue: hashAlgorithmID) }

    init(body: [UInt8]) throws(SignatureError) {
        var reader = ByteReader(body, what: "signature packet")
        let version = try reader.byte()
        guard version == 4 else { throw .unsupported("version \(version) signature (only version 4 is read)") }
        type = try reader.byte()
        publicKeyAlgorithm = try reader.byte()
        hashAlgorithmID = try reader.byte()
        let hashedLength = try reader.uint16()
        let hashedBytes = try reader.take(hashedLength)
        hashedHeader = Array(body.prefix(reader.offset))
        hashed = try SignatureSubpacket.parseAll(hashedBytes)
        let unhashedLength = try reader.uint16()
        unhashed = try SignatureSubpacket.parseAll(try reader.take(unhashedLength))
        leftHash = try reader.take(2)
        switch PublicKeyAlgorithm(rawValue: publicKeyAlgorithm) {
        case .rsa, .rsaSignOnly, .rsaEncryptOnly:
            values = [try reader.mpi()]
        case .dsa, .ecdsa, .eddsaLegacy:
            values = [try reader.mpi(), try reader.mpi()]
        case .ed25519:
            values = [try reader.take(64)]
        default:
            values = [reader.rest()]
        }
    }

    /// The trailer hashed after the signed data: the hashed header, then 0x04 0xFF and its length.
    var trailer: [UInt8] {
        var bytes = hashedHeader
        bytes += [0x04, 0xff]
        bytes.appendUInt32(UInt32(hashedHeader.count))
        return bytes
    }

    private func first(_ kind: SignatureSubpacket.Kind, hashedOnly: Bool) -> SignatureSubpacket? {
        hashed.first { $0.type == kind.rawValue } ?? (hashedOnly ? nil : unhashed.first { $0.type == kind.rawValue })
    }

    /// Signature creation time; RFC 4880 requires it in the hashed area.
    var creationTime: UInt32? { first(.creationTime, hashedOnly: true)?.uint32Value }
    /// Seconds after creation when the signature expires (0 or nil: never).
    var signatureLifetime: UInt32? { first(.signatureExpiration, hashedOnly: true)?.uint32Value }
    /// Seconds after the key's creation when the key expires (0 or nil: never).
    var keyLifetime: UInt32? { first(.keyExpiration, hashedOnly: true)?.uint32Value }
    var keyFlags: UInt8? { first(.keyFlags, hashedOnly: true)?.data.first }
    var isPrimaryUserID: Bool { first(.primaryUserID, hashedOnly: true)?.data.first.map { $0 != 0 } ?? false }
    var revocationReason: UInt8? { first(.reasonForRevocation, hashedOnly: true)?.data.first }

    /// The issuer key id from either area (it is a hint; the math decides).
    var issuerKeyID: [UInt8]? {
        if let data = first(.issuer, hashedOnly: false)?.data, data.count == 8 { return data }
        if let fingerprint = issuerFingerprint { return Array(fingerprint.suffix(8)) }
        return nil
    }

    /// The v4 issuer fingerprint (subpacket 33, version 4 then 20 bytes).
    var issuerFingerprint: [UInt8]? {
        guard let data = first(.issuerFingerprint, hashedOnly: false)?.data, data.count == 21, data[0] == 4 else { return nil }
        return Array(data.dropFirst())
    }

    /// A subpacket marked critical whose meaning Capstan does not know.
    var unknownCriticalSubpacket: UInt8? {
        hashed.first { $0.critical && !SignatureSubpacket.understood.contains($0.type) }?.type
    }

    /// The embedded signatures (subpacket 32), such as a signing subkey's back-signature.
    var embeddedSignatures: [SignaturePacket] {
        (hashed + unhashed).filter { $0.type == SignatureSubpacket.Kind.embeddedSignature.rawValue }
            .compactMap { try? SignaturePacket(body: $0.data) }
    }
}
