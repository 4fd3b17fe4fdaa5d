import Foundation
import Signatures
import Steps
import Testing

/// Every revocation counts, wherever it sits (issue 12, finding 2): GnuPG's own revocation
/// certificate appended to the key file, in another file of the key folder, as another
/// `--keys` argument, or after the user ID and subkeys. GnuPG 2.2 makes the key and the
/// certificate; `git verify-commit` with the key and certificate imported is the oracle.
@Suite struct RevocationTests {
    struct Revocable {
        let repo: ScratchRepository
        let commit: String
        /// The exported public key, armored and binary.
        let armoredKey: String
        let binaryKey: Data
        /// GnuPG's openpgp-revocs.d certificate as written (with its guarding colon).
        let certificate: String
        /// A GNUPGHOME holding the key with the certificate imported: git's view.
        let revokedHome: String
        let folder: String

        /// The certificate as a user publishes it (the colon removed).
        var publishedCertificate: String { certificate.replacingOccurrences(of: ":-----BEGIN", with: "-----BEGIN") }

        func write(_ name: String, _ text: String) throws -> String {
            let path = folder + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func verdict(keys: [String]) throws -> Verdict {
            let options = VerifyOptions(repository: repo.path, revision: commit, mode: .head, keyPaths: keys)
            return try #require(try VerifyStep(options: options).run().entries.first).verdict
        }

        func gitSaysGood() throws -> Bool {
            try Shell(directory: repo.path, environment: ["GNUPGHOME": revokedHome])
                .run(["git", "-c", "gpg.program=gpg", "verify-commit", commit]).succeeded
        }
    }

    static let revocable: Result<Revocable, any Error> = Result {
        let lab = try SigningLab.get()
        let folder = lab.root + "/revocation-\(UUID().uuidString)"
        let gpg = Shell(directory: lab.root, environment: ["GNUPGHOME": lab.signHome])
        let email = "revocable@example.com"
        try gpg.must(["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", "revocable <\(email)>", "ed25519", "sign", "never"])
        let listing = try gpg.must(["gpg", "--with-colons", "--list-keys", email])
        let fingerprint = try #require(listing.split(separator: "\n").first { $0.hasPrefix("fpr:") }?
            .split(separator: ":", omittingEmptySubsequences: false)[9]).description
        let repo = try ScratchRepository(lab: lab)
        let commit = try repo.commit("signed by a key revoked later",
                                     config: ["-c", "gpg.format=openpgp", "-c", "gpg.program=gpg", "-c", "user.signingkey=\(fingerprint)"])
        let armoredKey = try gpg.must(["gpg", "--armor", "--export", fingerprint])
        let binaryPath = folder + "-key.gpg"
        try gpg.must(["gpg", "--output", binaryPath, "--export", fingerprint])
        let certificate = try String(contentsOfFile: lab.signHome + "/openpgp-revocs.d/\(fingerprint).rev", encoding: .utf8)
        let revokedHome = folder + "-gnupg"
        try FileManager.default.createDirectory(atPath: revokedHome, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let verifier = Shell(directory: lab.root, environment: ["GNUPGHOME": revokedHome])
        try verifier.must(["gpg", "--batch", "--import"], input: Data(armoredKey.utf8))
        try verifier.must(["gpg", "--batch", "--import"], input: Data(certificate.replacingOccurrences(of: ":-----BEGIN", with: "-----BEGIN").utf8))
        _ = try? Shell(directory: "/", environment: ["GNUPGHOME": revokedHome]).run(["gpgconf", "--kill", "all"])
        return Revocable(repo: repo, commit: commit, armoredKey: armoredKey, binaryKey: try Data(contentsOf: URL(fileURLWithPath: binaryPath)),
                         certificate: certificate, revokedHome: revokedHome, folder: folder)
    }

    @Test func theKeyAloneIsGood() throws {
        let revocable = try Self.revocable.get()
        let key = try revocable.write("alone/key.asc", revocable.armoredKey)
        #expect(try revocable.verdict(keys: [key]).status == .good)
        #expect(try !revocable.gitSaysGood(), "git sees the revocation")
    }

    @Test func certificateAppendedToTheKeyFile() throws {
        let revocable = try Self.revocable.get()
        let key = try revocable.write("appended/key.asc", revocable.armoredKey + revocable.publishedCertificate)
        #expect(try revocable.verdict(keys: [key]).status == .revoked)
    }

    @Test func certificateAsAnotherFileOfTheKeyFolder() throws {
        let revocable = try Self.revocable.get()
        _ = try revocable.write("folder/key.asc", revocable.armoredKey)
        _ = try revocable.write("folder/revocation.asc", revocable.publishedCertificate)
        #expect(try revocable.verdict(keys: [revocable.folder + "/folder"]).status == .revoked)
    }

    @Test func gnuPGsOwnRevFileInTheKeyFolder() throws {
        let revocable = try Self.revocable.get()
        _ = try revocable.write("revs/key.asc", revocable.armoredKey)
        _ = try revocable.write("revs/openpgp-revocs.rev", revocable.certificate)
        #expect(try revocable.verdict(keys: [revocable.folder + "/revs"]).status == .revoked)
    }

    @Test func certificateAsASecondKeysArgumentBeforeOrAfterTheKey() throws {
        let revocable = try Self.revocable.get()
        let key = try revocable.write("second/key.asc", revocable.armoredKey)
        let certificate = try revocable.write("second/zz-revocation.asc", revocable.publishedCertificate)
        #expect(try revocable.verdict(keys: [key, certificate]).status == .revoked)
        #expect(try revocable.verdict(keys: [certificate, key]).status == .revoked)
    }

    @Test func hardRevocationAfterTheUserID() throws {
        let revocable = try Self.revocable.get()
        let block = try #require(Armor.decodeAll(revocable.publishedCertificate).first).bytes
        let path = revocable.folder + "/after-uid.gpg"
        try FileManager.default.createDirectory(atPath: revocable.folder, withIntermediateDirectories: true)
        try (revocable.binaryKey + Data(block)).write(to: URL(fileURLWithPath: path))
        let verdict = try revocable.verdict(keys: [path])
        #expect(verdict.status == .revoked, "\(verdict)")
    }
}
