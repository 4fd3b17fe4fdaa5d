/// OpenPGP public-key algorithm ids (RFC 4880 §9.1, RFC 9580 §9.1).
public enum PublicKeyAlgorithm: UInt8, Sendable, CustomStringConvertible {
    case rsa = 1
    case rsaEncryptOnly = 2
    case rsaSignOnly = 3
    case elgamal = 16
    case dsa = 17
    case ecdh = 18
    case ecdsa = 19
    case eddsaLegacy = 22
    case x25519 = 25
    case x448 = 26
    case ed25519 = 27
    case ed448 = 28

    public var description: String {
        switch self {
        case .rsa, .rsaEncryptOnly, .rsaSignOnly: "RSA"
        case .elgamal: "Elgamal"
        case .dsa: "DSA"
        case .ecdh: "ECDH"
        case .ecdsa: "ECDSA"
        case .eddsaLegacy: "EdDSA"
        case .x25519: "X25519"
        case .x448: "X448"
        case .ed25519: "Ed25519"
        case .ed448: "Ed448"
        }
    }
}

/// The elliptic curves OpenPGP names by OID, with the OpenSSL group that implements each.
enum Curve: Sendable, CustomStringConvertible {
    case p256, p384, p521, ed25519, curve25519, other([UInt8])

    init(oid: [UInt8]) {
        switch oid {
        case [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]: self = .p256
        case [0x2b, 0x81, 0x04, 0x00, 0x22]: self = .p384
        case [0x2b, 0x81, 0x04, 0x00, 0x23]: self = .p521
        case [0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01]: self = .ed25519
        case [0x2b, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01]: self = .curve25519
        default: self = .other(oid)
        }
    }

    var oid: [UInt8] {
        switch self {
        case .p256: [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]
        case .p384: [0x2b, 0x81, 0x04, 0x00, 0x22]
        case .p521: [0x2b, 0x81, 0x04, 0x00, 0x23]
        case .ed25519: [0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01]
        case .curve25519: [0x2b, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01]
        case let .other(oid): oid
        }
    }

    /// OpenSSL's group name for the NIST curves.
    var openSSLGroup: String? {
        switch self {
        case .p256: "prime256v1"
        case .p384: "secp384r1"
        case .p521: "secp521r1"
        default: nil
        }
    }

    /// Bytes in one coordinate or scalar.
    var fieldBytes: Int {
        switch self {
        case .p256, .ed25519, .curve25519: 32
        case .p384: 48
        case .p521: 66
        case .other: 0
        }
    }

    var description: String {
        switch self {
        case .p256: "NIST P-256"
        case .p384: "NIST P-384"
        case .p521: "NIST P-521"
        case .ed25519: "Ed25519"
        case .curve25519: "Curve25519"
        case let .other(oid): "curve OID \(oid.hexString)"
        }
    }
}
