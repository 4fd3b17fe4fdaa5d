import Foundation

/// Makes SSHSIG signatures in namespace `git`, as `ssh-keygen -Y sign -n git` does when git
/// signs with `gpg.format=ssh` (SHA-512 message hash; rsa-sha2-512 for RSA keys).
public struct SSHSigner: DocumentSigner {
    private let key: OpenSSHPrivateKey
    public let namespace: String

    public var keyDescription: String { key.publicKey.fingerprint }
    public var publicKey: SSHPublicKey { key.publicKey }

    /// `passphrase` unlocks a protected key file (bcrypt KDF); it is never printed.
    public init(privateKeyFile bytes: [UInt8], passphrase: String? = nil, namespace: String = "git") throws(SignatureError) {
        key = try OpenSSHPrivateKey(file: bytes, passphrase: passphrase)
        self.namespace = namespace
    }

    public func sign(_ data: [UInt8], at time: Int) throws(SignatureError) -> String {
        let signed = SSHSignature.signedData(namespace: namespace, hashAlgorithm: "sha512", messageDigest: try HashAlgorithm.sha512.digest(data))
        var inner = SSHWireWriter()
        switch key.publicKey.type {
        case "ssh-ed25519":
            inner.string("ssh-ed25519")
            inner.string(try key.privateKey.sign(message: signed, hash: nil))
        case "ssh-rsa":
            inner.string("rsa-sha2-512")
            inner.string(try key.privateKey.sign(message: signed, hash: .sha512))
        default:
            let hash: HashAlgorithm = switch key.publicKey.curve {
            case .p384: .sha384
            case .p521: .sha512
            default: .sha256
            }
            guard let (r, s) = DERSignature.decode(try key.privateKey.sign(message: signed, hash: hash)) else {
                throw .crypto(operation: "ECDSA signature", message: "OpenSSL returned an unreadable signature")
            }
            var pair = SSHWireWriter()
            pair.mpint(r)
            pair.mpint(s)
            inner.string(key.publicKey.type)
            inner.string(pair.bytes)
        }
        var blob = SSHWireWriter()
        blob.raw(SSHSignature.magic)
        blob.uint32(1)
        blob.string(key.publicKey.blob)
        blob.string(namespace)
        blob.string([UInt8]())
        blob.string("sha512")
        blob.string(inner.bytes)
        let base64 = Data(blob.bytes).base64EncodedString()
        var text = SSHSignature.beginLine + "\n"
        var rest = Substring(base64)
        while !rest.isEmpty {
            text += rest.prefix(70) + "\n"
            rest = rest.dropFirst(70)
        }
        return text + SSHSignature.endLine + "\n"
    }
}

/// Loads whichever kind of signing key a file holds.
public enum SigningKeys {
    /// An OpenSSH private key or an OpenPGP secret key (armored or binary) from `path`.
    /// `passphrase` unlocks a protected OpenPGP key or OpenSSH key file; it is never printed.
    /// `passphraseSource` says where the passphrase comes from (`$CAPSTAN_SIGN_PASSPHRASE`),
    /// named in the error when it is missing or wrong so the fix is obvious.
    public static func load(path: String, passphrase: String?, passphraseSource: String? = nil) throws(SignatureError) -> any DocumentSigner {
        let bytes = try TrustedKeys.read(path)
        do {
            if String(decoding: bytes.prefix(64), as: UTF8.self).contains(OpenSSHPrivateKey.begin) {
                return try SSHSigner(privateKeyFile: bytes, passphrase: passphrase)
            }
            return try OpenPGPSigner(secretKey: bytes, passphrase: passphrase)
        } catch {
            let hint = switch (error, passphraseSource) {
            case let (.passphraseRequired, source?): " (set \(source))"
            case let (.wrongPassphrase, source?): " (the passphrase in \(source))"
            default: ""
            }
            throw .keyFile(path: path, reason: error.description + hint)
        }
    }
}
