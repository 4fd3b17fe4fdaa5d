import CapstanTestSupport
import Foundation
import Testing

/// `capstan update --sign-key` with a passphrase-protected OpenSSH key as `ssh-keygen` makes
/// it by default (bcrypt KDF, 16 rounds, aes256-ctr): the passphrase comes from
/// `$CAPSTAN_SIGN_PASSPHRASE` (or the variable `--sign-passphrase-env` names), git accepts
/// the signed commit, and without the right passphrase nothing is pushed.
@Suite struct UpdateEncryptedSSHKeyTests {
    static let passphrase = "release-bot passphrase 7"

    struct Release {
        let root: URL
        let bare: URL
        let key: URL
        let allowedSigners: URL

        func remove() { try? FileManager.default.removeItem(at: root) }

        func update(_ version: String, environment: [String: String], extra: [String] = []) throws -> TestSupport.Result {
            try TestSupport.capstan(["update", "--repo", bare.path, "--sign-key", key.path, "--author", "Release Bot <bot@acme.example>",
                                     "--set-image", "ghcr.io/acme/checkout:\(version)"] + extra, environment: environment)
        }

        func head() throws -> String { try GitFixtures.git(["rev-parse", "main"], in: bare) }
    }

    static func release(_ label: String) throws -> Release {
        let root = try TestSupport.temporaryDirectory(label)
        let bare = try GitFixtures.bareRepository(in: root, name: "release", files: ["values.yaml": UpdateTests.values])
        let key = root.appendingPathComponent("bot_ed25519")
        let made = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/ssh-keygen"),
                                       ["-q", "-t", "ed25519", "-N", passphrase, "-f", key.path, "-C", "bot"])
        guard made.status == 0 else { throw FixtureError("ssh-keygen: \(made.stderr)") }
        let publicKey = try String(contentsOf: key.appendingPathExtension("pub"), encoding: .utf8)
            .split(separator: " ").prefix(2).joined(separator: " ")
        let allowed = root.appendingPathComponent("allowed_signers")
        try "bot@acme.example \(publicKey)\n".write(to: allowed, atomically: true, encoding: .utf8)
        return Release(root: root, bare: bare, key: key, allowedSigners: allowed)
    }

    @Test func theCommitIsSignedWithTheDecryptedKeyAndGitVerifiesIt() throws {
        let release = try Self.release("update-ssh-encrypted")
        defer { release.remove() }
        let pushed = try release.update("1.5.0", environment: ["CAPSTAN_SIGN_PASSPHRASE": Self.passphrase])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(!(pushed.stdout + pushed.stderr).contains(Self.passphrase))
        let git = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/git"),
                                      ["-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=\(release.allowedSigners.path)", "verify-commit", "main"],
                                      in: release.bare, environment: ["PATH": "/usr/bin:/bin", "HOME": release.root.path])
        #expect(git.status == 0, "\(git.stderr)")
        #expect(git.stderr.contains("Good \"git\" signature for bot@acme.example"), "\(git.stderr)")
        let ours = try TestSupport.capstan(["verify", "main", "--repository", release.bare.path, "--allowed-signers", release.allowedSigners.path])
        #expect(ours.status == 0, "\(ours.stdout)\(ours.stderr)")
    }

    @Test func thePassphraseCanComeFromAnotherVariable() throws {
        let release = try Self.release("update-ssh-encrypted-env")
        defer { release.remove() }
        let pushed = try release.update("1.5.0", environment: ["BOT_KEY_PASSPHRASE": Self.passphrase],
                                        extra: ["--sign-passphrase-env", "BOT_KEY_PASSPHRASE"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(try GitFixtures.show(release.bare, "main", "values.yaml").contains("\"1.5.0\""))
    }

    @Test func aWrongPassphraseFailsAndNothingIsPushed() throws {
        let release = try Self.release("update-ssh-wrong")
        defer { release.remove() }
        let before = try release.head()
        let refused = try release.update("1.5.0", environment: ["CAPSTAN_SIGN_PASSPHRASE": "not the passphrase"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("the passphrase does not unlock secret key SHA256:"), "\(refused.stderr)")
        #expect(refused.stderr.contains("(the passphrase in $CAPSTAN_SIGN_PASSPHRASE)"), "\(refused.stderr)")
        #expect(refused.stderr.contains(release.key.path), "\(refused.stderr)")
        #expect(!refused.stderr.contains("not the passphrase"))
        #expect(try release.head() == before)
        #expect(try GitFixtures.show(release.bare, "main", "values.yaml") == UpdateTests.values)
    }

    @Test func aMissingPassphraseFailsAndNothingIsPushed() throws {
        let release = try Self.release("update-ssh-missing")
        defer { release.remove() }
        let before = try release.head()
        let refused = try release.update("1.5.0", environment: [:])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("is encrypted and no passphrase was given (set $CAPSTAN_SIGN_PASSPHRASE)"), "\(refused.stderr)")
        #expect(try release.head() == before)
    }
}
