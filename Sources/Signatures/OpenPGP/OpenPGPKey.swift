/// A key that can make signatures — a primary key or a subkey — with what its
/// certificate's verified self-signatures say about it.
struct OpenPGPKey: Sendable {
    /// When a key stops being valid because of a revocation.
    struct Revocation: Sendable {
        let time: UInt32
        /// Compromise or no reason given: every signature is void, whenever made.
        /// Superseded or retired: signatures made before the revocation stand.
        let hard: Bool
        let reason: UInt8?
    }

    let packet: PublicKeyPacket
    /// Absolute expiry (seconds since 1970); nil: never.
    let expiresAt: UInt32?
    let revocation: Revocation?
    /// Nil when the key may sign; otherwise why not (no valid binding, not signing-capable).
    let unusable: String?

    var fingerprint: [UInt8] { packet.fingerprint }

    /// Why the key's signature made at `time` is not good, judged as `policy` says: by
    /// default the key's state now (as git and GnuPG judge it), or at the signature's own
    /// time for audits. A hard revocation voids every signature in every mode.
    func problem(signedAt time: UInt32, policy: VerificationPolicy) -> (status: Verdict.Status, reason: String)? {
        let name = packet.fingerprint.hexString.uppercased()
        if let revocation {
            let why = revocation.reason.map { " (reason \($0))" } ?? ""
            if revocation.hard || policy.keyValidity == .now || revocation.time <= time {
                return (.revoked, "key \(name) was revoked at \(Timestamp.text(revocation.time))\(why)")
            }
        }
        if let expiresAt {
            switch policy.keyValidity {
            case .now where Int(expiresAt) <= policy.now:
                return (.expired, "key \(name) expired at \(Timestamp.text(expiresAt))")
            case .signatureTime where time >= expiresAt:
                return (.expired, "key \(name) expired at \(Timestamp.text(expiresAt)), before the signature was made at \(Timestamp.text(time))")
            default:
                break
            }
        }
        if time < packet.created {
            return (.bad, "signature made at \(Timestamp.text(time)) predates key \(name) created at \(Timestamp.text(packet.created))")
        }
        return nil
    }
}

/// A transferable public key: the primary key, its signing-capable subkeys and the user
/// IDs its owner certified, all checked against their self-signatures.
public struct Certificate: Sendable {
    let primary: OpenPGPKey
    let subkeys: [OpenPGPKey]
    /// User IDs with a valid, unrevoked self-certification.
    public let userIDs: [String]

    public var fingerprint: String { primary.fingerprint.hexString.uppercased() }

    /// E-mail addresses from the user IDs, lower-cased (`Name <a@b>` or a bare address).
    public var emails: [String] {
        userIDs.compactMap { userID in
            if let open = userID.lastIndex(of: "<"), let close = userID.lastIndex(of: ">"), open < close {
                return String(userID[userID.index(after: open)..<close]).lowercased()
            }
            return userID.contains("@") ? userID.trimmingCharacters(in: " ").lowercased() : nil
        }
    }
}

/// Formatting of OpenPGP times.
enum Timestamp {
    static func text(_ seconds: UInt32) -> String {
        Verdict.isoFormatter(Int(seconds))
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var slice = Substring(self)
        while slice.first == set { slice = slice.dropFirst() }
        while slice.last == set { slice = slice.dropLast() }
        return String(slice)
    }
}
