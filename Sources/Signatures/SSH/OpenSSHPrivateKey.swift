import Foundation

/// An OpenSSH private key file (`-----BEGIN OPENSSH PRIVATE KEY-----`, PROTOCOL.key):
/// ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa, in the clear or protected by a
/// passphrase. OpenSSH derives the cipher's key and IV from the passphrase with
/// `bcrypt_pbkdf` (not in OpenSSL, so `BcryptPBKDF` implements it) and encrypts with one of
/// `OpenSSHKeyCipher.supported` (`aes256-ctr` by default). A missing passphrase, or one whose
/// decryption fails the file's check (the two "checkint" words must match, an AEAD tag must
/// verify), is refused with `passphraseRequired` / `wrongPassphrase` naming the key's
/// fingerprint; the passphrase itself never appears in an error.
struct OpenSSHPrivateKey {
    let publicKey: SSHPublicKey
    let privateKey: EVPKey

    static let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
    static let end = "-----END OPENSSH PRIVATE KEY-----"

    /// Reads the key in `bytes`, decrypting it with `passphrase` when it is protected.
    /// `maximumRounds` bounds the KDF's work (the fuzzer lowers it).
    init(file bytes: [UInt8], passphrase: String? = nil,
         maximumRounds: Int = BcryptPBKDF.maximumRounds) throws(SignatureError) {
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
        let cipher = try OpenSSHKeyCipher.named(try reader.text())
        let kdf = try reader.text()
        let kdfOptions = try reader.string()
        let count = try reader.uint32()
        guard count == 1 else { throw .unsupported("OpenSSH key files holding \(count) keys") }
        let publicBlob = try reader.string()
        publicKey = try SSHPublicKey(blob: publicBlob)
        let section = try reader.string()
        let tag = try reader.raw(cipher.tagLength)
        guard section.count % cipher.blockSize == 0 else {
            throw .malformed(what: "OpenSSH private key", reason: "private section of \(section.count) bytes is not a multiple of \(cipher.name)'s \(cipher.blockSize)-byte block")
        }
        let plaintext = try Self.open(section, tag: tag, cipher: cipher, kdf: kdf, kdfOptions: kdfOptions, passphrase: passphrase,
                                      key: publicKey.fingerprint, maximumRounds: maximumRounds)
        var secret = SSHWireReader(plaintext, what: "OpenSSH private key section")
        guard try secret.uint32() == secret.uint32() else {
            // Decrypting with the wrong key yields noise: the check words are how OpenSSH notices.
            if kdf == "none" { throw .malformed(what: "OpenSSH private key", reason: "check integers differ") }
            throw .wrongPassphrase(key: publicKey.fingerprint)
        }
        let type = try secret.text()
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
            _ = try secret.mpint() // iqmp, p and q: OpenSSL works from n, e and d.
            _ = try secret.mpint()
            _ = try secret.mpint()
            privateKey = try EVPKey.rsa(n: n, e: e, d: d)
        default:
            throw .unsupported("SSH key type \(type)")
        }
        _ = try secret.string() // comment
        let padding = secret.rest()
        guard padding.count < cipher.blockSize, padding.enumerated().allSatisfy({ Int($0.element) == $0.offset + 1 }) else {
            throw .malformed(what: "OpenSSH private key", reason: "private section padding is not 1, 2, 3…")
        }
    }

    /// The private section in the clear: as stored when unencrypted, else decrypted with the
    /// key and IV `bcrypt_pbkdf` derives from `passphrase` and the file's salt and rounds.
    private static func open(_ section: [UInt8], tag: [UInt8], cipher: OpenSSHKeyCipher, kdf: String, kdfOptions: [UInt8],
                             passphrase: String?, key name: String, maximumRounds: Int) throws(SignatureError) -> [UInt8] {
        switch (cipher.kind, kdf) {
        case (.none, "none"):
            return section
        case (.none, _), (_, "none"):
            throw .malformed(what: "OpenSSH private key", reason: "cipher \(cipher.name) with KDF \(kdf)")
        case (_, "bcrypt"):
            var options = SSHWireReader(kdfOptions, what: "OpenSSH bcrypt KDF options")
            let salt = try options.string()
            let rounds = try options.uint32()
            guard let passphrase, !passphrase.isEmpty else { throw .passphraseRequired(key: name) }
            let keyAndIV = try BcryptPBKDF.derive(passphrase: Array(passphrase.utf8), salt: salt, rounds: Int(rounds),
                                                  length: cipher.keyLength + cipher.ivLength, maximumRounds: maximumRounds)
            guard let plaintext = try cipher.decrypt(section, tag: tag, keyAndIV: keyAndIV) else {
                throw .wrongPassphrase(key: name)
            }
            return plaintext
        default:
            throw .unsupported("OpenSSH private key KDF \(kdf)")
        }
    }
}
