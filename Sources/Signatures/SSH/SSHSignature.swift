import Foundation

/// An SSHSIG signature (OpenSSH PROTOCOL.sshsig), what git writes with `gpg.format=ssh`.
struct SSHSignature: Sendable {
    static let magic = Array("SSHSIG".utf8)
    static let beginLine = "-----BEGIN SSH SIGNATURE-----"
    static let endLine = "-----END SSH SIGNATURE-----"

    let publicKey: [UInt8]
    let namespace: String
    let hashAlgorithm: String
    /// The inner signature: algorithm name and the algorithm's bytes.
    let algorithm: String
    let signature: [UInt8]

    static func isArmored(_ bytes: [UInt8]) -> Bool {
        bytes.contains(bytes: Array(beginLine.utf8), within: 64)
    }

    init(armored: [UInt8]) throws(SignatureError) {
        guard let begin = armored.firstIndex(of: Array(Self.beginLine.utf8)),
              let end = armored.firstIndex(of: Array(Self.endLine.utf8), from: begin + Self.beginLine.utf8.count) else {
            throw .armor(reason: "no SSH SIGNATURE block")
        }
        guard let blob = Base64.decode(armored[(begin + Self.beginLine.utf8.count)..<end]) else {
            throw .armor(reason: "SSH SIGNATURE is not valid base64")
        }
        try self.init(blob: blob)
    }

    init(blob: [UInt8]) throws(SignatureError) {
        var reader = SSHWireReader(blob, what: "SSH signature")
        guard try reader.raw(6) == Self.magic else { throw .malformed(what: "SSH signature", reason: "missing SSHSIG magic") }
        let version = try reader.uint32()
        guard version == 1 else { throw .unsupported("SSHSIG version \(version)") }
        publicKey = try reader.string()
        namespace = try reader.text()
        _ = try reader.string()
        hashAlgorithm = try reader.text()
        var inner = SSHWireReader(try reader.string(), what: "SSH signature value")
        guard reader.isAtEnd else { throw .malformed(what: "SSH signature", reason: "trailing bytes") }
        algorithm = try inner.text()
        signature = try inner.string()
        guard inner.isAtEnd else { throw .malformed(what: "SSH signature value", reason: "trailing bytes") }
    }

    /// The blob the inner signature covers: magic, namespace, reserved, hash name, H(message).
    static func signedData(namespace: String, hashAlgorithm: String, messageDigest: [UInt8]) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.raw(magic)
        writer.string(namespace)
        writer.string([UInt8]())
        writer.string(hashAlgorithm)
        writer.string(messageDigest)
        return writer.bytes
    }

    static func messageHash(_ name: String) -> HashAlgorithm? {
        switch name {
        case "sha256": .sha256
        case "sha512": .sha512
        default: nil
        }
    }
}
