import Foundation

/// What checking one signature concluded. Anything but `good` means "not verified".
public struct Verdict: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case good
        case bad
        case unsigned
        case unknownKey = "unknown key"
        case expired
        case revoked
        case weak
    }

    public enum Format: String, Sendable, Codable {
        case openPGP = "openpgp"
        case ssh
    }

    public let status: Status
    public let format: Format?
    /// The signing key's fingerprint: 40 hex digits (OpenPGP) or `SHA256:…` (SSH).
    public let signer: String?
    /// For OpenPGP, the primary key's fingerprint when a subkey signed.
    public let primaryKey: String?
    /// User IDs (OpenPGP) or principals (SSH) the trusted key carries.
    public let identities: [String]
    /// When the signature says it was made (seconds since 1970).
    public let signedAt: Int?
    public let reason: String

    public init(status: Status, format: Format?, signer: String? = nil, primaryKey: String? = nil,
                identities: [String] = [], signedAt: Int? = nil, reason: String) {
        self.status = status
        self.format = format
        self.signer = signer
        self.primaryKey = primaryKey
        self.identities = identities
        self.signedAt = signedAt
        self.reason = reason
    }

    public var isGood: Bool { status == .good }

    public var description: String {
        var text = status.rawValue
        if let signer { text += " \(signer)" }
        return text + ": " + reason
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for seconds since 1970 (built by hand: this runs once per commit).
    static func isoFormatter(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        // A commit's time is input: tm_year can be near Int32.max, so add in Int.
        return "\(Int(parts.tm_year) + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}

/// When a key's expiry and revocation are judged.
public enum KeyValidity: String, Sendable, CaseIterable {
    /// As git and GnuPG judge them: the key's state now, whatever date a signature claims.
    case now
    /// At the signature's own creation time, for audits of history signed with keys that
    /// have since expired or been retired; a signature dated after its commit is refused.
    case signatureTime = "signature-time"
}

/// How strict verification is. The defaults fail closed.
public struct VerificationPolicy: Sendable {
    /// Accept SHA-1, MD5 and RIPEMD-160 message hashes, DSA keys and RSA keys under 2048 bits.
    public var allowWeak: Bool
    /// The moment a signature's own expiry, and by default the key's validity, is judged at.
    public var now: Int
    public var keyValidity: KeyValidity
    /// How much later than its commit's committer time a signature may say it was made
    /// (clocks differ a little) before `signature-time` refuses it.
    public var clockSkew: Int

    public init(allowWeak: Bool = false, now: Int = Int(Date().timeIntervalSince1970), keyValidity: KeyValidity = .now,
                clockSkew: Int = 300) {
        self.allowWeak = allowWeak
        self.now = now
        self.keyValidity = keyValidity
        self.clockSkew = clockSkew
    }
}
