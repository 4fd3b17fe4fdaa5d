import Foundation
import Testing
@testable import Signatures

/// RFC 9580's native Ed25519 (public-key algorithm 27) in version 4 keys and signatures.
/// GnuPG 2.2 cannot make these, so the certificate is assembled here from a fresh key.
@Suite struct RFC9580Ed25519Tests {
    /// A v4 certificate with an algorithm-27 primary key, a self-signed user ID, and the matching secret key file.
    static func makeCertificate(created: Int) throws -> (publicKey: [UInt8], secretKey: [UInt8]) {
        let seed = try HashAlgorithm.sha256.digest(Array("capstan rfc9580 test seed".utf8))
        let key = try EVPKey.ed25519(seed: seed)
        var publicBody: [UInt8] = [4]
        publicBody.appendUInt32(UInt32(created))
        publicBody += [27] + (try key.ed25519PublicKey())
        let packet = try PublicKeyPacket(body: publicBody)
        let signer = OpenPGPSigner(key: key, algorithm: .ed25519, fingerprint: packet.fingerprint, hash: .sha512)
        let userID = Array("Native <native@example.com>".utf8)
        var userIDPrefix: [UInt8] = [0xb4]
        userIDPrefix.appendUInt32(UInt32(userID.count))
        let selfSignature = try signer.signaturePacket(type: 0x13, over: [packet.hashPrefix, userIDPrefix + userID], at: created,
                                                       extraHashed: [SignatureSubpacket(type: 27, critical: false, data: [0x03])])
        let userIDPacket = PacketParser.header(tag: 13, length: userID.count) + userID
        let publicKey = PacketParser.header(tag: 6, length: publicBody.count) + publicBody + userIDPacket + selfSignature
        let sum = seed.reduce(0) { ($0 + Int($1)) & 0xffff }
        let secretBody = publicBody + [0] + seed + [UInt8(sum >> 8), UInt8(sum & 0xff)]
        let secretKey = PacketParser.header(tag: 5, length: secretBody.count) + secretBody + userIDPacket + selfSignature
        return (publicKey, secretKey)
    }

    @Test func signatureByANativeEd25519KeyVerifies() throws {
        let now = Int(Date().timeIntervalSince1970)
        let (publicKey, secretKey) = try Self.makeCertificate(created: now - 100)
        var ring = KeyRing()
        try ring.add(Armor.encode(publicKey, label: "PGP PUBLIC KEY BLOCK").utf8.map { $0 })
        #expect(ring.certificates.first?.userIDs == ["Native <native@example.com>"])
        let signature = try OpenPGPSigner(secretKey: secretKey, passphrase: nil).sign(Array("payload".utf8), at: now)
        let verifier = OpenPGPVerifier(keyRing: ring, policy: VerificationPolicy())
        #expect(verifier.verify(signature: Array(signature.utf8), over: Array("payload".utf8)).status == .good)
        #expect(verifier.verify(signature: Array(signature.utf8), over: Array("payl0ad".utf8)).status == .bad)
    }

    @Test func certificateWithABrokenSelfSignatureCannotSign() throws {
        let now = Int(Date().timeIntervalSince1970)
        var (publicKey, _) = try Self.makeCertificate(created: now - 100)
        publicKey[publicKey.count - 5] ^= 0x01
        var ring = KeyRing()
        try ring.add(publicKey)
        #expect(ring.certificates.first?.userIDs.isEmpty == true)
        #expect(ring.certificates.first?.primary.unusable != nil)
    }
}
