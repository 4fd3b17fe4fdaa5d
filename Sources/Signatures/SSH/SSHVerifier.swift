/// Checks an SSHSIG signature over a document against trusted SSH keys, the way
/// `ssh-keygen -Y verify` does for git: namespace, key, validity window, then the math.
public struct SSHVerifier: Sendable {
    public let signers: [AllowedSigner]
    public let policy: VerificationPolicy
    public let namespace: String

    public init(signers: [AllowedSigner], policy: VerificationPolicy, namespace: String = "git") {
        self.signers = signers
        self.policy = policy
        self.namespace = namespace
    }

    /// `time` is when the signed object says it was made (a commit's committer time): the
    /// moment valid-after/valid-before are judged at, as git does.
    public func verify(signature armored: [UInt8], over data: [UInt8], at time: Int?) -> Verdict {
        let signature: SSHSignature
        do {
            signature = try SSHSignature(armored: armored)
        } catch {
            return Verdict(status: .bad, format: .ssh, reason: "unreadable SSH signature: \(error)")
        }
        if SSHPublicKey.isCertificate(blob: signature.publicKey) {
            return Verdict(status: .bad, format: .ssh, reason: "signed with an SSH certificate: Capstan does not verify certificates "
                + "(cert-authority); trust the signing key itself in allowed_signers")
        }
        let key: SSHPublicKey
        do {
            key = try SSHPublicKey(blob: signature.publicKey)
        } catch {
            return Verdict(status: .bad, format: .ssh, reason: "unreadable signing key: \(error)")
        }
        let sameKey = signers.filter { $0.key == key }
        // A cert-authority line trusts certificates the key signed, never the key's own
        // signatures; a line whose principals refuse themselves trusts nobody (ssh-keygen).
        let matching = sameKey.filter { !$0.certificateAuthority && $0.namesAPrincipal }
        func verdict(_ status: Verdict.Status, _ reason: String, lines: [AllowedSigner]? = nil) -> Verdict {
            Verdict(status: status, format: .ssh, signer: key.fingerprint,
                    identities: (lines ?? matching).flatMap(\.principals), signedAt: time, reason: reason)
        }
        if matching.isEmpty, sameKey.contains(where: \.certificateAuthority) {
            return verdict(.unknownKey, "SSH key \(key.fingerprint) is trusted only as a certificate authority (cert-authority), not for its own signatures")
        }
        guard !matching.isEmpty else { return verdict(.unknownKey, "no trusted SSH key \(key.fingerprint) (\(key.type))") }
        guard signature.namespace == namespace else {
            return verdict(.bad, "signature is for namespace \"\(signature.namespace)\", not \"\(namespace)\"")
        }
        guard let messageHash = SSHSignature.messageHash(signature.hashAlgorithm) else {
            return verdict(.bad, "unknown SSHSIG hash algorithm \(signature.hashAlgorithm)")
        }
        let inner: HashAlgorithm?
        switch (key.type, signature.algorithm) {
        case ("ssh-ed25519", "ssh-ed25519"): inner = nil
        case ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256"): inner = .sha256
        case ("ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384"): inner = .sha384
        case ("ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521"): inner = .sha512
        case ("ssh-rsa", "rsa-sha2-256"): inner = .sha256
        case ("ssh-rsa", "rsa-sha2-512"): inner = .sha512
        case ("ssh-rsa", "ssh-rsa"):
            guard policy.allowWeak else { return verdict(.weak, "ssh-rsa (SHA-1) signatures are refused (use --allow-weak to accept)") }
            inner = .sha1
        default:
            return verdict(.bad, "signature algorithm \(signature.algorithm) does not fit a \(key.type) key")
        }
        guard let digest = try? messageHash.digest(data) else { return verdict(.bad, "could not hash the signed data") }
        let signed = SSHSignature.signedData(namespace: signature.namespace, hashAlgorithm: signature.hashAlgorithm, messageDigest: digest)
        let value: [UInt8]
        if key.type.hasPrefix("ecdsa-") {
            var reader = SSHWireReader(signature.signature, what: "ECDSA signature")
            guard let r = try? reader.mpint(), let s = try? reader.mpint(), reader.isAtEnd else {
                return verdict(.bad, "malformed ECDSA signature value")
            }
            value = DERSignature.encode(r: r, s: s)
        } else {
            value = signature.signature
        }
        guard key.key.verify(signature: value, message: signed, hash: inner) else {
            return verdict(.bad, "signature does not match the signed data")
        }
        if !policy.allowWeak, key.type == "ssh-rsa", key.key.bits < 2048 {
            return verdict(.weak, "\(key.key.bits)-bit RSA key is refused (use --allow-weak to accept)")
        }
        // The entries whose namespace and window accept the signature decide, and only their
        // principals are the signer's identities (as `ssh-keygen -Y verify -I` reads one
        // principal's lines). The window is judged at the commit's time (as git asks
        // ssh-keygen to) and, unless old history is audited at signature time, now as well:
        // the commit's time is the signer's choice.
        var moments: [(label: String, time: Int)] = []
        if let time { moments.append(("signed", time)) }
        if policy.keyValidity == .now { moments.append(("now", policy.now)) }
        var problem: (Verdict.Status, String)?
        var accepting: [AllowedSigner] = []
        for signer in matching {
            if let namespaces = signer.namespaces, !PrincipalPattern.matches(namespace, patterns: namespaces) {
                problem = problem ?? (.bad, "key is not allowed to sign namespace \"\(namespace)\"")
                continue
            }
            if moments.isEmpty, signer.validAfter != nil || signer.validBefore != nil {
                problem = (.expired, "key has a validity window but the signing time is unknown")
                continue
            }
            if let outside = moments.lazy.compactMap({ Self.outsideWindow(signer, at: $0.time, label: $0.label) }).first {
                problem = (.expired, outside)
                continue
            }
            accepting.append(signer)
        }
        if let first = accepting.first {
            let who = first.principals.isEmpty ? "" : " for \(first.principals.joined(separator: ","))"
            return verdict(.good, "\(signature.algorithm) signature by \(key.type) key\(who)", lines: accepting)
        }
        let (status, reason) = problem ?? (.bad, "no trusted entry accepts this key")
        return verdict(status, reason)
    }

    private static func outsideWindow(_ signer: AllowedSigner, at time: Int, label: String) -> String? {
        if let after = signer.validAfter, time < after {
            return "key is not valid until \(Verdict.isoFormatter(after)); \(label) \(Verdict.isoFormatter(time))"
        }
        if let before = signer.validBefore, time > before {
            return "key expired at \(Verdict.isoFormatter(before)); \(label) \(Verdict.isoFormatter(time))"
        }
        return nil
    }
}
