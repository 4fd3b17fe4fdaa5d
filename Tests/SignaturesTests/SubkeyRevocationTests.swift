import Foundation
import Signatures
import Steps
import Testing

/// A signing subkey revoked after an earlier export of its certificate was trusted: the
/// old export and the new one (holding the subkey again, with its revocation) name the same
/// subkey, and the revocation must count whichever file is read first (issue 12, finding 2:
/// every revocation counts, in another file of the key folder or another `--keys`).
/// GnuPG 2.2 makes and revokes the subkey; `git verify-commit` with the new export is the oracle.
@Suite struct SubkeyRevocationTests {
    struct Exports {
        let repo: ScratchRepository
        let commit: String
        let before: String
        let after: String
        let folder: String
        let revokedHome: String
    }

    static let exports: Result<Exports, any Error> = Result {
        let lab = try SigningLab.get()
        let folder = lab.root + "/subkey-revocation-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/folder", withIntermediateDirectories: true)
        // A GNUPGHOME of its own (the lab's keys stay as they are), and a gpg that git runs with it.
        // Short: gpg-agent's socket path must fit in a sockaddr_un.
        let home = "/tmp/cs-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let program = folder + "/gpg"
        try "#!/bin/sh\nGNUPGHOME='\(home)' exec gpg \"$@\"\n".write(toFile: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program)
        let gpg = Shell(directory: lab.root, environment: ["GNUPGHOME": home])
        let email = "subkey-revoked@example.com"
        let loopback = ["--batch", "--pinentry-mode", "loopback", "--passphrase", ""]
        try gpg.must(["gpg"] + loopback + ["--quick-gen-key", "subkey <\(email)>", "ed25519", "cert", "never"])
        func fingerprints() throws -> [String] {
            try gpg.must(["gpg", "--with-colons", "--list-keys", email]).split(separator: "\n")
                .filter { $0.hasPrefix("fpr:") }.map { $0.split(separator: ":", omittingEmptySubsequences: false)[9].description }
        }
        let primary = try #require(try fingerprints().first)
        try gpg.must(["gpg"] + loopback + ["--quick-add-key", primary, "ed25519", "sign", "never"])
        let subkey = try #require(try fingerprints().last)
        let repo = try ScratchRepository(lab: lab)
        let commit = try repo.commit("signed by a subkey revoked later",
                                     config: ["-c", "gpg.format=openpgp", "-c", "gpg.program=\(program)", "-c", "user.signingkey=\(subkey)!"])
        let before = try gpg.must(["gpg", "--armor", "--export", primary])
        try gpg.must(["gpg", "--command-fd", "0", "--status-fd", "2"] + loopback + ["--edit-key", primary],
                     input: Data("key 1\nrevkey\ny\n0\n\ny\nsave\n".utf8))
        let after = try gpg.must(["gpg", "--armor", "--export", primary])
        let revokedHome = home + "-v"
        try FileManager.default.createDirectory(atPath: revokedHome, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Shell(directory: lab.root, environment: ["GNUPGHOME": revokedHome]).must(["gpg", "--batch", "--import"], input: Data(after.utf8))
        for done in [home, revokedHome] { _ = try? Shell(directory: "/", environment: ["GNUPGHOME": done]).run(["gpgconf", "--kill", "all"]) }
        return Exports(repo: repo, commit: commit, before: before, after: after, folder: folder, revokedHome: revokedHome)
    }

    func verdict(_ exports: Exports, keys: [String]) throws -> Verdict {
        let options = VerifyOptions(repository: exports.repo.path, revision: exports.commit, mode: .head, keyPaths: keys)
        return try #require(try VerifyStep(options: options).run().entries.first).verdict
    }

    @Test func theOldExportAloneIsGoodAndGitSeesTheRevocation() throws {
        let exports = try Self.exports.get()
        let before = exports.folder + "/before.asc"
        try exports.before.write(toFile: before, atomically: true, encoding: .utf8)
        #expect(try verdict(exports, keys: [before]).status == .good)
        let git = try Shell(directory: exports.repo.path, environment: ["GNUPGHOME": exports.revokedHome])
            .run(["git", "-c", "gpg.program=gpg", "verify-commit", exports.commit])
        #expect(!git.succeeded, "git sees the subkey's revocation")
    }

    @Test func theRevocationInTheNewExportCountsInEitherOrder() throws {
        let exports = try Self.exports.get()
        let before = exports.folder + "/before.asc", after = exports.folder + "/after.asc"
        try exports.before.write(toFile: before, atomically: true, encoding: .utf8)
        try exports.after.write(toFile: after, atomically: true, encoding: .utf8)
        #expect(try verdict(exports, keys: [before, after]).status == .revoked)
        #expect(try verdict(exports, keys: [after, before]).status == .revoked)
        // A folder reads its files in name order: the old export first.
        try exports.before.write(toFile: exports.folder + "/folder/a-old.asc", atomically: true, encoding: .utf8)
        try exports.after.write(toFile: exports.folder + "/folder/b-new.asc", atomically: true, encoding: .utf8)
        #expect(try verdict(exports, keys: [exports.folder + "/folder"]).status == .revoked)
        // Both exports in one file.
        let both = exports.folder + "/both.asc"
        try (exports.before + exports.after).write(toFile: both, atomically: true, encoding: .utf8)
        #expect(try verdict(exports, keys: [both]).status == .revoked)
    }
}
