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
        String(decoding: bytes.prefix(64), as: UTF8.self).contains(beginLine)
    }

    init(armored: [UInt8]) throws(SignatureError) {
        let text = String(decoding: armored, as: UTF8.self)
        guard let begin = text.range(of: Self.beginLine), let end = text.range(of: Self.endLine), begin.upperBound <= end.lowerBound else {
            throw .armor(reason: "no SSH SIGNATURE block")
        }
        let base64 = text[begin.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: String(base64)) else { throw .armor(reason: "SSH SIGNATURE is not valid base64") }
        try self.init(blob: [UInt8](data))
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
