import CapstanTestSupport
import Foundation
import Testing
@testable import Signatures

/// Passphrase-protected OpenSSH private keys made by the real `ssh-keygen` (bcrypt KDF, each
/// cipher it offers): Capstan opens them with the passphrase, and `ssh-keygen -Y verify` accepts
/// what it signs; without the passphrase, or with a wrong one, loading fails with a clear error.
@Suite struct EncryptedOpenSSHKeyTests {
    static let passphrase = "corr3ct hörse battery"

    struct KeyKind: Sendable, CustomTestStringConvertible {
        let type: [String]
        /// `ssh-keygen -Z`; nil for its default (aes256-ctr).
        let cipher: String?
        /// `ssh-keygen -a`: 16 is OpenSSH's default; fewer keep the debug suite quick.
        let rounds: Int

        var testDescription: String { "\(type.joined(separator: " ")) \(cipher ?? "default cipher") \(rounds) rounds" }
    }

    static let kinds: [KeyKind] = [
        KeyKind(type: ["-t", "ed25519"], cipher: nil, rounds: 16),
        KeyKind(type: ["-t", "ecdsa", "-b", "256"], cipher: nil, rounds: 2),
        KeyKind(type: ["-t", "rsa", "-b", "2048"], cipher: nil, rounds: 2),
        KeyKind(type: ["-t", "ecdsa", "-b", "384"], cipher: "aes128-ctr", rounds: 2),
        KeyKind(type: ["-t", "ed25519"], cipher: "aes192-ctr", rounds: 2),
        KeyKind(type: ["-t", "ed25519"], cipher: "aes256-gcm@openssh.com", rounds: 2),
        KeyKind(type: ["-t", "ecdsa", "-b", "521"], cipher: "aes128-gcm@openssh.com", rounds: 2),
        KeyKind(type: ["-t", "ed25519"], cipher: "chacha20-poly1305@openssh.com", rounds: 2),
        KeyKind(type: ["-t", "rsa", "-b", "2048"], cipher: "aes256-cbc", rounds: 2),
        KeyKind(type: ["-t", "ed25519"], cipher: "aes128-cbc", rounds: 2),
        KeyKind(type: ["-t", "ed25519"], cipher: "3des-cbc", rounds: 2),
    ]

    /// A fresh directory holding `key` (and `key.pub`) made by ssh-keygen with the passphrase.
    static func makeKey(_ kind: KeyKind, passphrase: String = passphrase) throws -> (directory: URL, key: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-sshkdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = directory.appendingPathComponent("key")
        let arguments = ["-q", "-N", passphrase, "-a", "\(kind.rounds)", "-C", "signer@example.com", "-f", key.path]
            + kind.type + (kind.cipher.map { ["-Z", $0] } ?? [])
        let made = try ChildProcess.run("/usr/bin/ssh-keygen", arguments, environment: [:])
        guard made.status == 0 else { throw FixtureError("ssh-keygen: \(String(decoding: made.stderr, as: UTF8.self))") }
        return (directory, key)
    }

    static func header(of key: URL) throws -> String {
        let text = try String(contentsOf: key, encoding: .utf8)
        let body = text.split(separator: "\n").dropFirst().dropLast().joined()
        let bytes = Data(base64Encoded: body)!
        return String(decoding: bytes.prefix(80), as: UTF8.self)
    }

    @Test("an encrypted key signs what ssh-keygen -Y verify accepts", arguments: kinds)
    func signsVerifiably(_ kind: KeyKind) throws {
        let (directory, key) = try Self.makeKey(kind)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try Self.header(of: key).contains(kind.cipher ?? "aes256-ctr"))
        #expect(try Self.header(of: key).contains("bcrypt"))

        let signer = try SSHSigner(privateKeyFile: Array(try Data(contentsOf: key)), passphrase: Self.passphrase)
        let payload = Array("tree 4b825dc642cb6eb9a060e54bf8d69288fbdef33\nauthor Capstan\n\nchore: release\n".utf8)
        let signature = try signer.sign(payload, at: 0)
        let payloadFile = directory.appendingPathComponent("payload"), signatureFile = directory.appendingPathComponent("payload.sig")
        try Data(payload).write(to: payloadFile)
        try Data(signature.utf8).write(to: signatureFile)
        let publicLine = try String(contentsOf: key.appendingPathExtension("pub"), encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        let allowed = directory.appendingPathComponent("allowed_signers")
        try "signer@example.com namespaces=\"git\" \(publicLine)\n".write(to: allowed, atomically: true, encoding: .utf8)

        let verified = try ChildProcess.run("/bin/sh", ["-c", "exec /usr/bin/ssh-keygen -Y verify -f \"$1\" -I signer@example.com -n git -s \"$2\" < \"$3\"",
                                                        "sh", allowed.path, signatureFile.path, payloadFile.path], environment: [:])
        #expect(verified.status == 0, "\(String(decoding: verified.stdout + verified.stderr, as: UTF8.self))")
        #expect(String(decoding: verified.stdout, as: UTF8.self).contains("Good \"git\" signature for signer@example.com"))
    }

    /// One key per kind of check: CTR and CBC notice a wrong key by the check words, GCM and
    /// ChaCha20-Poly1305 by their tag.
    static let wrongPassphraseKinds = kinds.filter { [nil, "aes128-cbc", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com"].contains($0.cipher) && $0.type == ["-t", "ed25519"] }

    @Test("a wrong passphrase is refused, naming the key and not the passphrase", arguments: wrongPassphraseKinds)
    func wrongPassphraseIsRefused(_ kind: KeyKind) throws {
        let (directory, key) = try Self.makeKey(kind)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = Array(try Data(contentsOf: key))
        let fingerprint = try SSHSigner(privateKeyFile: bytes, passphrase: Self.passphrase).keyDescription
        #expect(throws: SignatureError.wrongPassphrase(key: fingerprint)) {
            try SSHSigner(privateKeyFile: bytes, passphrase: "corr3ct horse battery")
        }
    }

    @Test func aMissingOrEmptyPassphraseIsRefused() throws {
        let (directory, key) = try Self.makeKey(Self.kinds[1])
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = Array(try Data(contentsOf: key))
        for passphrase in [nil, ""] as [String?] {
            #expect {
                try SSHSigner(privateKeyFile: bytes, passphrase: passphrase)
            } throws: { error in
                guard case .passphraseRequired(let name)? = error as? SignatureError else { return false }
                return name.hasPrefix("SHA256:")
            }
        }
    }

    @Test func loadingThroughSigningKeysNamesTheFileAndTheProblem() throws {
        let (directory, key) = try Self.makeKey(Self.kinds[1])
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = #expect(throws: SignatureError.self) { try SigningKeys.load(path: key.path, passphrase: nil) }
        #expect(missing?.description.hasPrefix(key.path + ": secret key SHA256:") == true, "\(missing.map(\.description) ?? "")")
        #expect(missing?.description.contains("no passphrase was given") == true)
        let wrong = #expect(throws: SignatureError.self) { try SigningKeys.load(path: key.path, passphrase: "guess") }
        #expect(wrong?.description.contains("the passphrase does not unlock secret key SHA256:") == true)
        #expect(wrong?.description.contains("guess") == false)
        let signer = try SigningKeys.load(path: key.path, passphrase: Self.passphrase)
        #expect(signer.keyDescription.hasPrefix("SHA256:"))
    }

    @Test func aKeyFileDemandingTooManyRoundsIsRefused() throws {
        let (directory, key) = try Self.makeKey(Self.kinds[1])
        defer { try? FileManager.default.removeItem(at: directory) }
        // The rounds are the last uint32 of the KDF options: raise them to 2^32-1 in place.
        let text = try String(contentsOf: key, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        var bytes = Array(Data(base64Encoded: lines.dropFirst().dropLast().joined())!)
        let optionsEnd = 15 + 4 + "aes256-ctr".utf8.count + 4 + "bcrypt".utf8.count + 4 + 4 + 16 + 4
        #expect(Array(bytes[(optionsEnd - 4)..<optionsEnd]) == [0, 0, 0, 2])
        bytes.replaceSubrange((optionsEnd - 4)..<optionsEnd, with: [0xFF, 0xFF, 0xFF, 0xFF])
        let encoded = Data(bytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        lines = [lines.first!, encoded, lines.last!]
        #expect(throws: SignatureError.unsupported("bcrypt KDF with 4294967295 rounds (at most \(BcryptPBKDF.maximumRounds))")) {
            try OpenSSHPrivateKey(file: Array((lines.joined(separator: "\n") + "\n").utf8), passphrase: Self.passphrase)
        }
    }
}
