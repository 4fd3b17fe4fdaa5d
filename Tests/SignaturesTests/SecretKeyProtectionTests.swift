import Foundation
import Testing
@testable import Signatures

/// Passphrase-protected secret keys beyond what GnuPG 2.2 exports (it always writes
/// AES-128 with SHA-1): a key protected here with AES-256 must be one GnuPG can unlock
/// and sign with, and one Capstan can unlock too.
@Suite struct SecretKeyProtectionTests {
    static let passphrase = "tr0ub4dor&3"

    /// A legacy EdDSA (algorithm 22) key with a self-signed user ID, its secret part
    /// protected with iterated+salted S2K over `hash` and AES-256-CFB (usage 254, SHA-1 check).
    static func protectedKey(hash: HashAlgorithm) throws -> (armored: String, fingerprint: String) {
        let seed = try HashAlgorithm.sha256.digest(Array("capstan protected key \(hash)".utf8))
        let key = try EVPKey.ed25519(seed: seed)
        let created = Int(Date().timeIntervalSince1970) - 3600
        var publicBody: [UInt8] = [4]
        publicBody.appendUInt32(UInt32(created))
        publicBody += [22] + [UInt8(Curve.ed25519.oid.count)] + Curve.ed25519.oid
        publicBody += OpenPGPSigner.mpi([0x40] + (try key.ed25519PublicKey()))
        let packet = try PublicKeyPacket(body: publicBody)
        let signer = OpenPGPSigner(key: key, algorithm: .eddsaLegacy, fingerprint: packet.fingerprint, hash: .sha256)
        let userID = Array("Protected <protected-\(hash)@example.com>".utf8)
        var prefix: [UInt8] = [0xb4]
        prefix.appendUInt32(UInt32(userID.count))
        let selfSignature = try signer.signaturePacket(type: 0x13, over: [packet.hashPrefix, prefix + userID], at: created,
                                                       extraHashed: [SignatureSubpacket(type: 27, critical: false, data: [0x03])])

        let salt: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let codedCount: UInt8 = 0x60
        let iv = [UInt8](repeating: 0x5a, count: 16)
        var s2kBytes: [UInt8] = [3, hash.rawValue] + salt + [codedCount]
        var reader = ByteReader(s2kBytes, what: "test S2K")
        let s2k = try StringToKey(&reader)
        let secretValues = OpenPGPSigner.mpi(seed)
        let plain = secretValues + (try HashAlgorithm.sha1.digest(secretValues))
        let encrypted = try SymmetricCipher.encrypt(plain, key: try s2k.key(passphrase: Array(passphrase.utf8), length: 32), iv: iv, mode: .cfb)
        s2kBytes = [254, 9] + s2kBytes + iv
        let secretBody = publicBody + s2kBytes + encrypted
        let userIDPacket = PacketParser.header(tag: 13, length: userID.count) + userID
        let file = PacketParser.header(tag: 5, length: secretBody.count) + secretBody + userIDPacket + selfSignature
        return (Armor.encode(file, label: "PGP PRIVATE KEY BLOCK"), packet.fingerprint.hexString.uppercased())
    }

    @Test("GnuPG unlocks a key Capstan protected with AES-256, and both sign with it", arguments: [HashAlgorithm.sha1, .sha256])
    func gnuPGAgrees(_ hash: HashAlgorithm) throws {
        let (armored, fingerprint) = try Self.protectedKey(hash: hash)
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-s2k-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let gpg = Shell(directory: home, environment: ["GNUPGHOME": home])
        defer {
            _ = try? gpg.run(["gpgconf", "--kill", "all"])
            try? FileManager.default.removeItem(atPath: home)
        }
        let unlock = ["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", Self.passphrase]
        try gpg.must(unlock + ["--import"], input: Data(armored.utf8))
        let message = Data("signed by gpg with a key Capstan protected\n".utf8)
        let signature = try gpg.must(unlock + ["--armor", "--detach-sign", "--local-user", fingerprint], input: message)

        var ring = KeyRing()
        try ring.add(Array(armored.utf8))
        let verifier = OpenPGPVerifier(keyRing: ring, policy: VerificationPolicy())
        #expect(verifier.verify(signature: Array(signature.utf8), over: Array(message)).status == .good)

        let capstanSignature = try OpenPGPSigner(secretKey: Array(armored.utf8), passphrase: Self.passphrase)
            .sign(Array(message), at: Int(Date().timeIntervalSince1970))
        let signaturePath = home + "/capstan.sig", messagePath = home + "/message"
        try capstanSignature.write(toFile: signaturePath, atomically: true, encoding: .utf8)
        try message.write(to: URL(fileURLWithPath: messagePath))
        try gpg.must(["gpg", "--batch", "--verify", signaturePath, messagePath])
    }

    @Test func wrongPassphraseOnAnAES256KeyIsRefused() throws {
        let (armored, _) = try Self.protectedKey(hash: .sha256)
        #expect(throws: SignatureError.self) { try OpenPGPSigner(secretKey: Array(armored.utf8), passphrase: "nope") }
    }
}
