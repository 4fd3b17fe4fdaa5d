import Foundation

/// Something that signs documents the way git wants (an armored detached signature).
public protocol DocumentSigner: Sendable {
    /// The armored signature over `data`, made at `time` (seconds since 1970).
    func sign(_ data: [UInt8], at time: Int) throws(SignatureError) -> String
    /// The signing key, as a person would name it (fingerprint).
    var keyDescription: String { get }
}

/// Makes version 4 OpenPGP binary-document signatures, as `gpg --detach-sign --armor`
/// does for git, with a key from an armored (or binary) secret key file.
public struct OpenPGPSigner: DocumentSigner {
    private let key: EVPKey
    private let algorithm: PublicKeyAlgorithm
    private let fingerprint: [UInt8]
    private let hash: HashAlgorithm

    public var keyDescription: String { fingerprint.hexString.uppercased() }

    /// Picks the newest valid signing subkey, else the primary key, and unlocks it.
    public init(secretKey bytes: [UInt8], passphrase: String?, now: Int = Int(Date().timeIntervalSince1970)) throws(SignatureError) {
        var ring = KeyRing()
        try ring.add(bytes)
        guard let certificate = ring.certificates.first else { throw .malformed(what: "secret key file", reason: "no key in it") }
        let secretPackets = try PacketParser.packets(fromFile: bytes).filter {
            $0.knownTag == .secretKey || $0.knownTag == .secretSubkey
        }
        guard !secretPackets.isEmpty else { throw .malformed(what: "secret key file", reason: "it holds public keys only") }
        let usable = (certificate.subkeys.reversed() + [certificate.primary]).filter { key in
            key.unusable == nil && key.problem(signedAt: UInt32(clamping: now), policy: VerificationPolicy(now: now)) == nil
        }
        var lastError: SignatureError = .malformed(what: "secret key file", reason: "no key in it may sign")
        for candidate in usable {
            guard let packet = secretPackets.first(where: { (try? PublicKeyPacket(body: $0.body))?.fingerprint == candidate.fingerprint }) else { continue }
            do {
                let secret = try SecretKeyPacket(body: packet.body)
                key = try secret.privateKey(passphrase: passphrase)
                algorithm = secret.publicPart.publicAlgorithm!
                fingerprint = candidate.fingerprint
                hash = switch secret.publicPart.curve {
                case .p384: .sha384
                case .p521: .sha512
                default: .sha256
                }
                return
            } catch {
                if case .wrongPassphrase = error { throw error }
                if case .passphraseRequired = error { throw error }
                lastError = error
            }
        }
        throw lastError
    }

    /// A signer over an already unlocked key (used to build certificates in tests).
    init(key: EVPKey, algorithm: PublicKeyAlgorithm, fingerprint: [UInt8], hash: HashAlgorithm) {
        self.key = key
        self.algorithm = algorithm
        self.fingerprint = fingerprint
        self.hash = hash
    }

    public func sign(_ data: [UInt8], at time: Int) throws(SignatureError) -> String {
        let packet = try signaturePacket(type: 0x00, over: [data], at: time)
        return Armor.encode(packet, label: "PGP SIGNATURE")
    }

    /// A whole v4 signature packet of `type` over `pieces`, with issuer fingerprint and
    /// creation time hashed, `extraHashed` subpackets after them, and the issuer key id unhashed.
    func signaturePacket(type: UInt8, over pieces: [[UInt8]], at time: Int, extraHashed: [SignatureSubpacket] = []) throws(SignatureError) -> [UInt8] {
        var hashed = SignatureSubpacket(type: 33, critical: false, data: [4] + fingerprint).encoded
        var created: [UInt8] = []
        created.appendUInt32(UInt32(clamping: time))
        hashed += SignatureSubpacket(type: 2, critical: false, data: created).encoded
        for subpacket in extraHashed { hashed += subpacket.encoded }
        let unhashed = SignatureSubpacket(type: 16, critical: false, data: Array(fingerprint.suffix(8))).encoded

        var header: [UInt8] = [4, type, algorithm.rawValue, hash.rawValue]
        header.appendUInt16(hashed.count)
        header += hashed
        var trailer = header + [0x04, 0xff]
        trailer.appendUInt32(UInt32(header.count))
        let context = try HashContext(hash)
        for piece in pieces { context.update(piece) }
        context.update(trailer)
        let digest = try context.finish()

        var values: [UInt8] = []
        switch algorithm {
        case .rsa, .rsaSignOnly:
            values = Self.mpi(try key.sign(digest: digest, hash: hash, rsa: true))
        case .ecdsa:
            guard let (r, s) = DERSignature.decode(try key.sign(digest: digest, hash: hash, rsa: false)) else {
                throw .crypto(operation: "ECDSA signature", message: "OpenSSL returned an unreadable signature")
            }
            values = Self.mpi(r) + Self.mpi(s)
        case .eddsaLegacy:
            let raw = try key.sign(message: digest, hash: nil)
            values = Self.mpi(Array(raw.prefix(32))) + Self.mpi(Array(raw.suffix(32)))
        case .ed25519:
            values = try key.sign(message: digest, hash: nil)
        default:
            throw .unsupported("signing with \(algorithm)")
        }
        var body = header
        body.appendUInt16(unhashed.count)
        body += unhashed + Array(digest.prefix(2)) + values
        return PacketParser.header(tag: Packet.Tag.signature.rawValue, length: body.count) + body
    }

    static func mpi(_ value: [UInt8]) -> [UInt8] {
        let trimmed = value.strippingLeadingZeros
        let bits = trimmed == [0] ? 0 : (trimmed.count - 1) * 8 + (8 - trimmed[0].leadingZeroBitCount)
        var bytes: [UInt8] = []
        bytes.appendUInt16(bits)
        return bytes + (bits == 0 ? [] : trimmed)
    }
}
