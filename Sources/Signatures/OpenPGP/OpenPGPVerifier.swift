/// Checks a detached OpenPGP signature over a document (what git stores in a commit's
/// `gpgsig` header) against a key ring, and says why it is or is not good.
public struct OpenPGPVerifier: Sendable {
    public let keyRing: KeyRing
    public let policy: VerificationPolicy

    public init(keyRing: KeyRing, policy: VerificationPolicy) {
        self.keyRing = keyRing
        self.policy = policy
    }

    /// `objectTime` is when the signed object says it was made (a commit's committer time):
    /// under `signature-time` a signature claiming to be later than that is refused.
    public func verify(signature armored: [UInt8], over data: [UInt8], objectTime: Int? = nil) -> Verdict {
        let packets: [Packet]
        do {
            packets = try PacketParser.packets(fromFile: armored)
        } catch {
            return Verdict(status: .bad, format: .openPGP, reason: "unreadable signature: \(error)")
        }
        let signatures = packets.filter { $0.knownTag == .signature }
        guard signatures.count == 1, packets.count == 1 else {
            return Verdict(status: .bad, format: .openPGP, reason: "expected exactly one signature packet, found \(signatures.count) among \(packets.count) packets")
        }
        let signature: SignaturePacket
        do {
            signature = try SignaturePacket(body: signatures[0].body)
        } catch {
            return Verdict(status: .bad, format: .openPGP, reason: "unreadable signature: \(error)")
        }
        return verify(signature, over: data, objectTime: objectTime)
    }

    func verify(_ signature: SignaturePacket, over data: [UInt8], objectTime: Int? = nil) -> Verdict {
        func verdict(_ status: Verdict.Status, _ reason: String, key: OpenPGPKey? = nil, certificate: Certificate? = nil) -> Verdict {
            let primary = certificate.map(\.fingerprint)
            let signer = key.map { $0.fingerprint.hexString.uppercased() } ?? signature.issuerFingerprint.map { $0.hexString.uppercased() }
                ?? signature.issuerKeyID.map { $0.hexString.uppercased() }
            return Verdict(status: status, format: .openPGP, signer: signer, primaryKey: primary == signer ? nil : primary,
                           identities: certificate?.userIDs ?? [], signedAt: signature.creationTime.map(Int.init), reason: reason)
        }

        guard signature.type == 0x00 || signature.type == 0x01 else {
            return verdict(.bad, "signature type 0x\([signature.type].hexString) is not a document signature")
        }
        guard let created = signature.creationTime else {
            return verdict(.bad, "signature has no hashed creation time")
        }
        if let critical = signature.unknownCriticalSubpacket {
            return verdict(.bad, "signature carries unknown critical subpacket \(critical)")
        }
        guard let issuer = signature.issuerKeyID else {
            return verdict(.unknownKey, "signature names no issuer")
        }
        let candidates = keyRing.keys(withID: issuer).filter { candidate in
            signature.issuerFingerprint.map { $0 == candidate.key.fingerprint } ?? true
        }
        guard !candidates.isEmpty else {
            return verdict(.unknownKey, "no trusted key with id \(issuer.hexString.uppercased())")
        }
        guard let hash = signature.hashAlgorithm else {
            return verdict(.bad, "unknown hash algorithm \(signature.hashAlgorithmID)")
        }
        if hash.isWeak, !policy.allowWeak {
            return verdict(.weak, "\(hash) message hash is refused (use --allow-weak to accept)", key: candidates[0].key, certificate: candidates[0].certificate)
        }
        let pieces = [signature.type == 0x01 ? SignatureMath.canonicalText(data) : data]
        guard let (certificate, key) = candidates.first(where: { SignatureMath.verifies(signature, by: $0.key.packet, over: pieces) }) else {
            let reason = candidates[0].key.packet.unusableReason.map { "cannot check: \($0)" } ?? "signature does not match the signed data"
            return verdict(.bad, reason, key: candidates[0].key, certificate: candidates[0].certificate)
        }
        if !policy.allowWeak {
            if key.packet.publicAlgorithm == .dsa {
                return verdict(.weak, "DSA keys are refused (use --allow-weak to accept)", key: key, certificate: certificate)
            }
            if [.rsa, .rsaSignOnly].contains(key.packet.publicAlgorithm), let bits = key.packet.key?.bits, bits < 2048 {
                return verdict(.weak, "\(bits)-bit RSA key is refused (use --allow-weak to accept)", key: key, certificate: certificate)
            }
        }
        let isSubkey = key.fingerprint != certificate.primary.fingerprint
        if let unusable = key.unusable {
            return verdict(.bad, "key cannot sign: \(unusable)", key: key, certificate: certificate)
        }
        if policy.keyValidity == .signatureTime {
            guard let objectTime else {
                return verdict(.bad, "the signed object carries no time to check the signature's own date against", key: key, certificate: certificate)
            }
            // Written as a subtraction of small numbers: the object's time is input, any Int.
            if Int(created) - policy.clockSkew > objectTime {
                return verdict(.bad, "signature says it was made at \(Timestamp.text(created)), after its commit (\(Verdict.isoFormatter(objectTime))): a backdated commit",
                               key: key, certificate: certificate)
            }
        }
        if isSubkey, let problem = certificate.primary.problem(signedAt: created, policy: policy) {
            return verdict(problem.status, "primary " + problem.reason, key: key, certificate: certificate)
        }
        if let problem = key.problem(signedAt: created, policy: policy) {
            return verdict(problem.status, problem.reason, key: key, certificate: certificate)
        }
        if let lifetime = signature.signatureLifetime, lifetime > 0, Int(created) + Int(lifetime) <= policy.now {
            return verdict(.expired, "signature expired at \(Timestamp.text(created &+ lifetime))", key: key, certificate: certificate)
        }
        let by = isSubkey ? "subkey of \(certificate.fingerprint)" : "key"
        let who = certificate.userIDs.first.map { " (\($0))" } ?? ""
        return verdict(.good, "\(hash) signature by \(by)\(who), made \(Timestamp.text(created))", key: key, certificate: certificate)
    }
}
