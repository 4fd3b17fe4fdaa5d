import Foundation
import Git
import Signatures
import Steps
import Testing

/// Commits Capstan signs itself (libgit2 + OpenSSL) must pass `git verify-commit` with the
/// matching public key, and `capstan verify`.
@Suite struct SigningTests {
    static let keyNames = [
        "ed25519", "rsa3072", "nistp256", "subkey", "protected-ed25519", "protected-rsa",
        "ssh-ed25519", "ssh-ecdsa256", "ssh-ecdsa384", "ssh-ecdsa521", "ssh-rsa", "ssh-protected",
    ]

    /// The lab's passphrase-protected keys (OpenPGP and OpenSSH) all use the lab's passphrase.
    static func passphrase(for name: String) -> String? {
        name.hasPrefix("protected") || name == "ssh-protected" ? SigningLab.passphrase : nil
    }

    /// Adds a commit on HEAD signed by `signer`, through the Git module only.
    static func signedCommit(in repo: ScratchRepository, signer: any DocumentSigner, email: String) throws -> String {
        let repository = try Repository.open(repo.path)
        let parent = try repository.resolve("HEAD")
        let now = Int(Date().timeIntervalSince1970)
        let person = CommitPerson(name: "Capstan Bot", email: email, time: now)
        let id = try repository.createSignedCommit(
            tree: try repository.tree(ofCommit: parent), parents: [parent], author: person, committer: person,
            message: "chore: bump image\n", updating: "HEAD"
        ) { (payload: [UInt8]) throws(SignatureError) -> String in
            try signer.sign(payload, at: now)
        }
        return id.hex
    }

    @Test("a commit Capstan signs passes git verify-commit and capstan verify", arguments: keyNames)
    func signedCommitVerifies(_ name: String) throws {
        let lab = try SigningLab.get()
        let repo = try ScratchRepository(lab: lab)
        defer { repo.remove() }
        try repo.commit("base", signed: false)
        let signer = try SigningKeys.load(path: lab.secretFiles[name]!, passphrase: Self.passphrase(for: name))
        let sha = try Self.signedCommit(in: repo, signer: signer, email: "\(name)@example.com")

        let git = try Shell(directory: repo.path, environment: ["GNUPGHOME": lab.verifyHome])
            .run(["git", "-c", "gpg.ssh.allowedSignersFile=\(lab.allowedSigners)", "verify-commit", sha])
        #expect(git.succeeded, "\(git.error)")
        let options = VerifyOptions(repository: repo.path, revision: sha, mode: .head, keyPaths: [lab.keys],
                                    allowedSigners: [lab.allowedSigners], requireCommitterMatch: true)
        let outcome = try VerifyStep(options: options).run()
        #expect(outcome.verified, "\(outcome.text)")
    }

    @Test func wrongPassphraseIsRefused() throws {
        let lab = try SigningLab.get()
        #expect {
            try SigningKeys.load(path: lab.secretFiles["protected-rsa"]!, passphrase: "wrong")
        } throws: { error in
            "\(error)".contains("passphrase does not unlock")
        }
    }

    @Test func missingPassphraseIsRefused() throws {
        let lab = try SigningLab.get()
        #expect {
            try SigningKeys.load(path: lab.secretFiles["protected-ed25519"]!, passphrase: nil)
        } throws: { error in
            "\(error)".contains("no passphrase was given")
        }
    }

    @Test func encryptedOpenSSHKeyWithAWrongPassphraseIsRefused() throws {
        let lab = try SigningLab.get()
        #expect {
            try SigningKeys.load(path: lab.secretFiles["ssh-protected"]!, passphrase: "wrong")
        } throws: { error in
            "\(error)".contains("passphrase does not unlock secret key SHA256:")
        }
    }

    @Test func encryptedOpenSSHKeyWithoutAPassphraseIsRefused() throws {
        let lab = try SigningLab.get()
        #expect {
            try SigningKeys.load(path: lab.secretFiles["ssh-protected"]!, passphrase: nil)
        } throws: { error in
            "\(error)".contains("no passphrase was given")
        }
    }

    @Test func publicKeyFileCannotSign() throws {
        let lab = try SigningLab.get()
        #expect(throws: SignatureError.self) {
            try SigningKeys.load(path: lab.keys + "/ed25519.asc", passphrase: nil)
        }
    }
}

/// The piece `capstan update --sign-key` calls.
@Suite struct CommitSigningKeyTests {
    @Test func anEncryptedOpenSSHKeyTakesThePassphraseFromTheEnvironmentAndTheCommitVerifies() throws {
        let lab = try SigningLab.get()
        let repo = try ScratchRepository(lab: lab)
        defer { repo.remove() }
        try repo.commit("base", signed: false)
        let key = try CommitSigningKey(path: lab.secretFiles["ssh-protected"]!,
                                       environment: [CommitSigningKey.passphraseVariable: SigningLab.passphrase])
        let repository = try Repository.open(repo.path)
        let parent = try repository.resolve("HEAD")
        let bot = CommitPerson(name: "Capstan", email: "ssh-protected@example.com", time: Int(Date().timeIntervalSince1970))
        let id = try key.commit(in: repository, tree: try repository.tree(ofCommit: parent), parents: [parent],
                                author: bot, committer: bot, message: "chore: release\n", updating: "HEAD")
        let git = try Shell(directory: repo.path)
            .run(["git", "-c", "gpg.ssh.allowedSignersFile=\(lab.allowedSigners)", "verify-commit", id.hex])
        #expect(git.succeeded, "\(git.error)")
        #expect(git.error.contains("Good \"git\" signature for ssh-protected@example.com"), "\(git.error)")
    }

    @Test func passphraseComesFromTheEnvironmentAndTheCommitVerifies() throws {
        let lab = try SigningLab.get()
        let repo = try ScratchRepository(lab: lab)
        defer { repo.remove() }
        try repo.commit("base", signed: false)
        let key = try CommitSigningKey(path: lab.secretFiles["protected-rsa"]!,
                                       environment: [CommitSigningKey.passphraseVariable: SigningLab.passphrase])
        #expect(key.fingerprint == lab.fingerprints["protected-rsa"])
        let repository = try Repository.open(repo.path)
        let parent = try repository.resolve("HEAD")
        let bot = CommitPerson(name: "Capstan", email: "protected-rsa@example.com", time: Int(Date().timeIntervalSince1970))
        let id = try key.commit(in: repository, tree: try repository.tree(ofCommit: parent), parents: [parent],
                                author: bot, committer: bot, message: "chore: release\n", updating: "HEAD")
        #expect(try repo.head() == id.hex)
        let git = try Shell(directory: repo.path, environment: ["GNUPGHOME": lab.verifyHome]).run(["git", "verify-commit", id.hex])
        #expect(git.succeeded, "\(git.error)")
    }
}
