/// Why signature material could not be read, built or used. Verification turns these into
/// verdicts (never crashes); signing and key loading report them to the caller.
public enum SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Input ended inside a structure: `what` was being read at byte `offset`.
    case truncated(what: String, offset: Int)
    /// Input is structurally wrong.
    case malformed(what: String, reason: String)
    /// ASCII armor is missing, damaged or fails its checksum.
    case armor(reason: String)
    /// Well-formed, but an algorithm, version or feature Capstan does not handle.
    case unsupported(String)
    /// OpenSSL refused an operation; `message` is OpenSSL's own.
    case crypto(operation: String, message: String)
    /// A key file could not be read or holds nothing usable.
    case keyFile(path: String, reason: String)
    /// The secret key is encrypted and no passphrase was given.
    case passphraseRequired(key: String)
    /// The passphrase does not open the secret key.
    case wrongPassphrase(key: String)

    public var description: String {
        switch self {
        case let .truncated(what, offset): "truncated \(what) at byte \(offset)"
        case let .malformed(what, reason): "malformed \(what): \(reason)"
        case let .armor(reason): "bad armor: \(reason)"
        case let .unsupported(what): "unsupported: \(what)"
        case let .crypto(operation, message): "\(operation): \(message)"
        case let .keyFile(path, reason): "\(path): \(reason)"
        case let .passphraseRequired(key): "secret key \(key) is encrypted and no passphrase was given"
        case let .wrongPassphrase(key): "the passphrase does not unlock secret key \(key)"
        }
    }
}
