import Foundation
import Testing
@testable import Signatures

/// The key files `--keys` reads.
@Suite struct KeyLoadingTests {
    func scratchFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("capstan-keys-\(UUID().uuidString)-\(name)").path
    }

    @Test func severalArmoredKeysInOneFileAreAllRead() throws {
        let lab = try SigningLab.get()
        let joined = try String(contentsOfFile: lab.keys + "/rsa2048.asc", encoding: .utf8)
            + String(contentsOfFile: lab.keys + "/ed25519.asc", encoding: .utf8)
        let path = scratchFile("two.asc")
        try joined.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var keys = TrustedKeys()
        try keys.load(path: path)
        #expect(keys.keyRing.certificates.map(\.fingerprint).sorted() == [lab.fingerprints["rsa2048"]!, lab.fingerprints["ed25519"]!].sorted())
    }

    @Test func binaryKeyringIsRead() throws {
        let lab = try SigningLab.get()
        let path = scratchFile("key.gpg")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Shell(directory: lab.root, environment: ["GNUPGHOME": lab.verifyHome])
            .must(["gpg", "--batch", "--output", path, "--export", lab.fingerprints["nistp521"]!])
        var keys = TrustedKeys()
        try keys.load(path: path)
        #expect(keys.keyRing.certificates.first?.fingerprint == lab.fingerprints["nistp521"])
        #expect(keys.keyRing.certificates.first?.emails == ["nistp521@example.com"])
    }

    @Test func authorizedKeysLineWithOptionsIsRead() throws {
        let lab = try SigningLab.get()
        let line = try String(contentsOfFile: lab.keys + "/ssh-ecdsa384.sshpub", encoding: .utf8)
        let path = scratchFile("authorized_keys.pub")
        try "no-pty,command=\"/bin/true\" \(line)".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var keys = TrustedKeys()
        try keys.load(path: path)
        #expect(keys.sshSigners.first?.key.type == "ecdsa-sha2-nistp384")
    }

    @Test func emptyOptionListDoesNotTrap() {
        #expect(throws: SignatureError.self) {
            try AllowedSigner.parseLine("a@example.com ,, ssh-ed25519 AAAA")
        }
    }

    @Test func missingKeyPathIsAnError() {
        var keys = TrustedKeys()
        #expect(throws: SignatureError.self) { try keys.load(path: "/nonexistent/keys.asc") }
    }
}
