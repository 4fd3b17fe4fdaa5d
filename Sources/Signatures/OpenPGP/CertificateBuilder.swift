/// Turns a run of packets (a primary key and what follows it up to the next primary key)
/// into a `Certificate`, keeping only what verified self-signatures vouch for: user IDs,
/// expiry, key flags, revocations, and subkeys with a valid binding (and, for signing
/// subkeys, a valid back-signature from the subkey itself).
struct CertificateBuilder {
    private let primary: PublicKeyPacket
    private var directSignatures: [SignaturePacket] = []
    private var userIDs: [(text: [UInt8], signatures: [SignaturePacket])] = []
    private var subkeys: [(packet: PublicKeyPacket?, signatures: [SignaturePacket])] = []
    /// Subkey revocations found away from their subkey (after a user ID, or in a file of
    /// their own): each is checked against every subkey.
    private var floatingSubkeyRevocations: [SignaturePacket] = []
    /// What the signatures read next speak about.
    private enum Place { case primary, userID, userAttribute, subkey }
    private var place = Place.primary
    /// The entry of `userIDs` / `subkeys` the signatures read next belong to: a user ID or
    /// subkey read again (another export of the same certificate) is the same entry, so its
    /// revocation counts whichever copy was read first, as GnuPG merges them.
    private var currentUserID = 0
    private var currentSubkey = 0

    init(primary: PublicKeyPacket) {
        self.primary = primary
    }

    mutating func add(_ packet: Packet) {
        switch packet.knownTag {
        case .userID:
            if let known = userIDs.firstIndex(where: { $0.text == packet.body }) {
                currentUserID = known
            } else {
                userIDs.append((packet.body, []))
                currentUserID = userIDs.count - 1
            }
            place = .userID
        case .userAttribute:
            place = .userAttribute
        case .publicSubkey, .secretSubkey:
            let subkey = try? PublicKeyPacket(body: packet.body)
            if let subkey, let known = subkeys.firstIndex(where: { $0.packet?.fingerprint == subkey.fingerprint }) {
                currentSubkey = known
            } else {
                subkeys.append((subkey, []))
                currentSubkey = subkeys.count - 1
            }
            place = .subkey
        case .signature:
            guard let signature = try? SignaturePacket(body: packet.body) else { return }
            add(signature)
        default:
            return
        }
    }

    /// A signature read with no key before it (a revocation certificate).
    mutating func addLoose(_ signature: SignaturePacket) {
        switch signature.type {
        case 0x20, 0x1f: directSignatures.append(signature)
        case 0x28: floatingSubkeyRevocations.append(signature)
        default: return
        }
    }

    /// Key revocations and direct-key signatures speak about the primary key wherever they
    /// sit (GnuPG reads them after user IDs and subkeys too); the rest belong to the user
    /// ID or subkey they follow.
    private mutating func add(_ signature: SignaturePacket) {
        if signature.type == 0x20 || signature.type == 0x1f {
            directSignatures.append(signature)
            return
        }
        switch place {
        case .primary:
            if signature.type == 0x28 { floatingSubkeyRevocations.append(signature) } else { directSignatures.append(signature) }
        case .userID:
            if signature.type == 0x28 {
                floatingSubkeyRevocations.append(signature)
            } else if userIDs.indices.contains(currentUserID) {
                userIDs[currentUserID].signatures.append(signature)
            }
        case .userAttribute:
            if signature.type == 0x28 { floatingSubkeyRevocations.append(signature) }
        case .subkey:
            if subkeys.indices.contains(currentSubkey) { subkeys[currentSubkey].signatures.append(signature) }
        }
    }

    private func issuedByPrimary(_ signature: SignaturePacket) -> Bool {
        if let fingerprint = signature.issuerFingerprint { return fingerprint == primary.fingerprint }
        if let keyID = signature.issuerKeyID { return keyID == primary.keyID }
        return true
    }

    private func valid(_ signature: SignaturePacket, types: Set<UInt8>, over pieces: [[UInt8]], by key: PublicKeyPacket) -> Bool {
        guard types.contains(signature.type), signature.creationTime != nil, signature.unknownCriticalSubpacket == nil,
              signature.hashAlgorithm != .md5 else { return false }
        return SignatureMath.verifies(signature, by: key, over: pieces)
    }

    func build() -> Certificate {
        let certificationTypes: Set<UInt8> = [0x10, 0x11, 0x12, 0x13]
        var selfSignatures: [SignaturePacket] = []
        var validUserIDs: [String] = []
        for userID in userIDs {
            var prefix: [UInt8] = [0xb4]
            prefix.appendUInt32(UInt32(userID.text.count))
            let pieces = [primary.hashPrefix, prefix + userID.text]
            let certifications = userID.signatures.filter {
                issuedByPrimary($0) && valid($0, types: certificationTypes, over: pieces, by: primary)
            }
            let revocations = userID.signatures.filter {
                issuedByPrimary($0) && valid($0, types: [0x30], over: pieces, by: primary)
            }
            guard let newest = certifications.max(by: { ($0.creationTime ?? 0) < ($1.creationTime ?? 0) }) else { continue }
            selfSignatures.append(newest)
            let revoked = revocations.contains { ($0.creationTime ?? 0) >= (newest.creationTime ?? 0) }
            if !revoked { validUserIDs.append(String(decoding: userID.text, as: UTF8.self)) }
        }
        let pieces = [primary.hashPrefix]
        selfSignatures += directSignatures.filter { issuedByPrimary($0) && valid($0, types: [0x1f], over: pieces, by: primary) }
        let keyRevocations = directSignatures.filter { issuedByPrimary($0) && valid($0, types: [0x20], over: pieces, by: primary) }

        let newestSelf = selfSignatures.max { ($0.creationTime ?? 0) < ($1.creationTime ?? 0) }
        var primaryUnusable: String? = primary.unusableReason
        if newestSelf == nil { primaryUnusable = primaryUnusable ?? "no valid self-signature" }
        if let flags = newestSelf?.keyFlags, flags & 0x02 == 0, primaryUnusable == nil {
            primaryUnusable = "its key flags do not allow signing"
        }
        let primaryKey = OpenPGPKey(
            packet: primary,
            expiresAt: Self.expiry(created: primary.created, lifetime: newestSelf?.keyLifetime),
            revocation: Self.revocation(keyRevocations),
            unusable: primaryUnusable
        )
        let subkeyKeys = subkeys.compactMap { entry -> OpenPGPKey? in
            guard let subkey = entry.packet else { return nil }
            return buildSubkey(subkey, signatures: entry.signatures, primaryUsable: newestSelf != nil)
        }
        return Certificate(primary: primaryKey, subkeys: subkeyKeys, userIDs: validUserIDs)
    }

    private func buildSubkey(_ subkey: PublicKeyPacket, signatures: [SignaturePacket], primaryUsable: Bool) -> OpenPGPKey {
        let pieces = [primary.hashPrefix, subkey.hashPrefix]
        let bindings = signatures.filter { issuedByPrimary($0) && valid($0, types: [0x18], over: pieces, by: primary) }
        let revocations = (signatures + floatingSubkeyRevocations).filter { issuedByPrimary($0) && valid($0, types: [0x28], over: pieces, by: primary) }
        var unusable: String? = subkey.unusableReason
        let binding = bindings.max { ($0.creationTime ?? 0) < ($1.creationTime ?? 0) }
        if binding == nil { unusable = unusable ?? "no valid subkey binding signature from its primary key" }
        if let binding, unusable == nil {
            if let flags = binding.keyFlags, flags & 0x02 == 0 {
                unusable = "its binding does not allow signing"
            } else {
                // A signing subkey must prove it agrees to the binding (RFC 4880 §11.1).
                let backSigned = binding.embeddedSignatures.contains { valid($0, types: [0x19], over: pieces, by: subkey) }
                if !backSigned { unusable = "signing subkey has no valid primary-key binding (back-)signature" }
            }
        }
        if !primaryUsable { unusable = unusable ?? "its primary key has no valid self-signature" }
        return OpenPGPKey(
            packet: subkey,
            expiresAt: Self.expiry(created: subkey.created, lifetime: binding?.keyLifetime),
            revocation: Self.revocation(revocations),
            unusable: unusable
        )
    }

    private static func expiry(created: UInt32, lifetime: UInt32?) -> UInt32? {
        guard let lifetime, lifetime > 0 else { return nil }
        let (sum, overflow) = created.addingReportingOverflow(lifetime)
        return overflow ? nil : sum
    }

    /// The strongest revocation: a hard one wins, else the earliest soft one.
    private static func revocation(_ signatures: [SignaturePacket]) -> OpenPGPKey.Revocation? {
        let revocations = signatures.map { signature in
            let reason = signature.revocationReason
            let soft = reason == 1 || reason == 3
            return OpenPGPKey.Revocation(time: signature.creationTime ?? 0, hard: !soft, reason: reason)
        }
        return revocations.first { $0.hard } ?? revocations.min { $0.time < $1.time }
    }
}
