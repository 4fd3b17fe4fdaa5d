import Foundation

/// An OpenSSH private key file (`-----BEGIN OPENSSH PRIVATE KEY-----`, PROTOCOL.key):
/// ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa, unencrypted. Passphrase-protected
/// files use bcrypt-pbkdf, which OpenSSL does not provide: they are refused with a clear error.
struct OpenSSHPrivateKey {
    let publicKey: SSHPublicKey
    let privateKey: EVPKey

    static let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
    static let end = "-----END OPENSSH PRIVATE KEY-----"

    init(file bytes: [UInt8]) throws(SignatureError) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let start = text.range(of: Self.begin), let stop = text.range(of: Self.end), start.upperBound <= stop.lowerBound else {
            throw .armor(reason: "not an OpenSSH private key (no \(Self.begin) line)")
        }
        guard let data = Data(base64Encoded: String(text[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace })) else {
            throw .armor(reason: "OpenSSH private key is not valid base64")
        }
        var reader = SSHWireReader([UInt8](data), what: "OpenSSH private key")
        guard try reader.raw(15) == Array("openssh-key-v1\0".utf8) else {
            throw .malformed(what: "OpenSSH private key", reason: "missing openssh-key-v1 magic")
        }
        let cipher = try reader.text()
        let kdf = try reader.text()
        _ = try reader.string()
        guard cipher == "none", kdf == "none" else {
            throw .unsupported("passphrase-protected OpenSSH keys (\(cipher) with \(kdf) KDF): bcrypt-pbkdf is not in OpenSSL; remove the passphrase (ssh-keygen -p) on a key kept in a CI secret, or use an OpenPGP key")
        }
        let count = try reader.uint32()
        guard count == 1 else { throw .unsupported("OpenSSH key files holding \(count) keys") }
        let publicBlob = try reader.string()
        var secret = SSHWireReader(try reader.string(), what: "OpenSSH private key section")
        guard try secret.uint32() == secret.uint32() else {
            throw .malformed(what: "OpenSSH private key", reason: "check integers differ")
        }
        let type = try secret.text()
        publicKey = try SSHPublicKey(blob: publicBlob)
        guard type == publicKey.type else {
            throw .malformed(what: "OpenSSH private key", reason: "private key type \(type) differs from public \(publicKey.type)")
        }
        switch type {
        case "ssh-ed25519":
            _ = try secret.string()
            let both = try secret.string()
            guard both.count == 64 else { throw .malformed(what: "Ed25519 private key", reason: "\(both.count) bytes, expected 64") }
            privateKey = try EVPKey.ed25519(seed: Array(both.prefix(32)))
        case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
            _ = try secret.string()
            let point = try secret.string()
            let scalar = try secret.mpint()
            privateKey = try EVPKey.ec(curve: publicKey.curve!.openSSLGroup!, point: point, scalar: scalar)
        case "ssh-rsa":
            let n = try secret.mpint(), e = try secret.mpint(), d = try secret.mpint()
            privateKey = try EVPKey.rsa(n: n, e: e, d: d)
        default:
            throw .unsupported("SSH key type \(type)")
        }
    }
}
