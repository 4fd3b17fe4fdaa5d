import Foundation

/// An SSH public key (ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa) from its wire
/// blob, as found in authorized_keys lines, `*.pub`/`*.sshpub` files, allowed_signers files
/// and inside SSHSIG signatures.
public struct SSHPublicKey: Sendable, Hashable {
    public let type: String
    /// The wire blob; two keys are the same key exactly when their blobs are equal.
    public let blob: [UInt8]
    let key: EVPKey
    let curve: Curve?

    public static func == (lhs: SSHPublicKey, rhs: SSHPublicKey) -> Bool { lhs.blob == rhs.blob }
    public func hash(into hasher: inout Hasher) { hasher.combine(blob) }

    /// `SHA256:` and unpadded base64 of the blob's SHA-256, as ssh-keygen prints it.
    public var fingerprint: String {
        let digest = (try? HashAlgorithm.sha256.digest(blob)) ?? []
        return "SHA256:" + Data(digest).base64EncodedString().trimmingCharacters(in: "=")
    }

    public init(blob: [UInt8]) throws(SignatureError) {
        var reader = SSHWireReader(blob, what: "SSH public key")
        let type = try reader.text()
        switch type {
        case "ssh-ed25519":
            key = try EVPKey.ed25519(publicKey: try reader.string())
            curve = .ed25519
        case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
            let name = try reader.text()
            guard "ecdsa-sha2-" + name == type else { throw .malformed(what: "SSH public key", reason: "curve \(name) does not match type \(type)") }
            let curve: Curve = name == "nistp256" ? .p256 : name == "nistp384" ? .p384 : .p521
            guard let group = curve.openSSLGroup else { throw .unsupported("SSH key curve \(name)") }
            key = try EVPKey.ec(curve: group, point: try reader.string())
            self.curve = curve
        case "ssh-rsa":
            let e = try reader.mpint(), n = try reader.mpint()
            key = try EVPKey.rsa(n: n, e: e)
            curve = nil
        default:
            throw .unsupported("SSH key type \(type)")
        }
        guard reader.isAtEnd else { throw .malformed(what: "SSH public key", reason: "trailing bytes after the \(type) key") }
        self.type = type
        self.blob = blob
    }

    /// True when the blob is an OpenSSH certificate (`…-cert-v01@openssh.com`).
    static func isCertificate(blob: [UInt8]) -> Bool {
        var reader = SSHWireReader(blob, what: "SSH public key")
        return (try? reader.text())?.hasSuffix("-cert-v01@openssh.com") ?? false
    }

    /// A key from the `TYPE BASE64 [COMMENT]` part of an authorized_keys or .pub line.
    public init(line: String) throws(SignatureError) {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2, let data = Data(base64Encoded: String(fields[1])) else {
            throw .malformed(what: "SSH public key line", reason: "expected TYPE BASE64 [COMMENT]")
        }
        try self.init(blob: [UInt8](data))
        guard type == String(fields[0]) else {
            throw .malformed(what: "SSH public key line", reason: "type \(fields[0]) does not match the key's \(type)")
        }
    }

    /// The public key line (`TYPE BASE64`).
    public var line: String { "\(type) \(Data(blob).base64EncodedString())" }
}
