import Synchronization
import Foundation
import Signatures
import Testing

/// One signed (or deliberately broken) commit the lab made, and what Capstan must say.
struct LabCase: Sendable, CustomTestStringConvertible {
    let name: String
    let commit: String
    let expected: Verdict.Status
    /// DSA is "weak" by default; the comparison with git runs with weak algorithms allowed.
    let allowWeak: Bool
    /// Where Capstan deliberately differs from `git verify-commit` (judging expiry at signing time).
    let gitDiffers: Bool

    var testDescription: String { name }
}

/// A repository of commits signed by real GnuPG 2.2 and ssh-keygen keys, made once per
/// test process (key generation is the slow part) and shared by every test.
final class SigningLab: Sendable {
    let root: String
    let repository: String
    /// Exported public keys (*.asc) and SSH public keys (*.sshpub) that are trusted.
    let keys: String
    let allowedSigners: String
    /// A GNUPGHOME holding only the trusted public keys: what `git verify-commit` sees.
    let verifyHome: String
    /// The GNUPGHOME with the secret keys.
    let signHome: String
    let cases: [String: LabCase]
    /// Fingerprints by key name.
    let fingerprints: [String: String]
    /// Secret-key and SSH private-key files by name (for the signing tests).
    let secretFiles: [String: String]

    /// The shared lab, or the error that stopped it being made.
    static let shared: Result<SigningLab, any Error> = Result { try SigningLab.make() }

    static func get() throws -> SigningLab { try shared.get() }

    func `case`(_ name: String) -> LabCase { cases[name]! }

    private init(root: String, repository: String, keys: String, allowedSigners: String, verifyHome: String, signHome: String,
                 cases: [String: LabCase], fingerprints: [String: String], secretFiles: [String: String]) {
        self.root = root
        self.repository = repository
        self.keys = keys
        self.allowedSigners = allowedSigners
        self.verifyHome = verifyHome
        self.signHome = signHome
        self.cases = cases
        self.fingerprints = fingerprints
        self.secretFiles = secretFiles
    }

    /// Runs `git verify-commit` with the trusted keys only; true when git calls it good.
    func gitVerifies(_ commit: String) throws -> Bool {
        try Shell(directory: repository, environment: ["GNUPGHOME": verifyHome])
            .run(["git", "-c", "gpg.program=gpg", "-c", "gpg.ssh.allowedSignersFile=\(allowedSigners)", "verify-commit", commit])
            .succeeded
    }

    // MARK: Making the lab

    static let openPGPKeys: [(name: String, algorithm: String)] = [
        ("rsa2048", "rsa2048"), ("rsa3072", "rsa3072"), ("rsa4096", "rsa4096"), ("ed25519", "ed25519"),
        ("nistp256", "nistp256"), ("nistp384", "nistp384"), ("nistp521", "nistp521"), ("dsa", "dsa2048"),
        ("revoked", "ed25519"), ("stranger", "ed25519"),
    ]
    static let sshKeys: [(name: String, type: [String])] = [
        ("ssh-ed25519", ["-t", "ed25519"]), ("ssh-ecdsa256", ["-t", "ecdsa", "-b", "256"]),
        ("ssh-ecdsa384", ["-t", "ecdsa", "-b", "384"]), ("ssh-ecdsa521", ["-t", "ecdsa", "-b", "521"]),
        ("ssh-rsa", ["-t", "rsa", "-b", "3072"]), ("ssh-stranger", ["-t", "ed25519"]),
        ("ssh-expired", ["-t", "ed25519"]), ("ssh-other-namespace", ["-t", "ecdsa", "-b", "256"]),
    ]

    private static func make() throws -> SigningLab {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-signing-lab-\(getpid())").path
        try? FileManager.default.removeItem(atPath: root)
        let signHome = root + "/gnupg", verifyHome = root + "/gnupg-verify", keys = root + "/keys", secrets = root + "/secrets"
        let repository = root + "/repo"
        for directory in [signHome, verifyHome, keys, secrets, repository] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        registerAgentCleanup([signHome, verifyHome])
        let fakeGPG = root + "/fake-time-gpg"
        try "#!/bin/sh\nif [ -n \"$FAKE_TIME\" ]; then exec gpg --faked-system-time \"$FAKE_TIME\" \"$@\"; fi\nexec gpg \"$@\"\n"
            .write(toFile: fakeGPG, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fakeGPG)

        let gpg = Shell(directory: root, environment: ["GNUPGHOME": signHome])
        let git = Shell(directory: repository, environment: [
            "GNUPGHOME": signHome, "GIT_CONFIG_NOSYSTEM": "1", "HOME": root,
        ])
        let batch = ["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", ""]
        func fingerprint(_ email: String) throws -> String {
            let listing = try gpg.must(["gpg", "--with-colons", "--list-keys", email])
            return listing.split(separator: "\n").first { $0.hasPrefix("fpr:") }!.split(separator: ":", omittingEmptySubsequences: false)[9].description
        }
        try git.must(["git", "init", "-q", "-b", "main"])
        try git.must(["git", "config", "user.name", "Lab"])
        try git.must(["git", "config", "user.email", "lab@example.com"])
        try git.must(["git", "config", "commit.gpgsign", "false"])

        var cases: [String: LabCase] = [:]
        var fingerprints: [String: String] = [:]
        var secretFiles: [String: String] = [:]
        var counter = 0
        func commit(_ name: String, email: String, config: [String], sign: Bool = true, environment: [String: String] = [:]) throws -> String {
            counter += 1
            try "\(name) \(counter)\n".write(toFile: repository + "/\(name).txt", atomically: true, encoding: .utf8)
            try git.must(["git", "add", "\(name).txt"])
            var arguments = ["git", "-c", "user.email=\(email)", "-c", "user.name=\(name)"] + config + ["commit", "-q", "-m", "\(name) commit"]
            if sign { arguments.append("-S") }
            try git.must(arguments, extraEnvironment: environment)
            return try git.must(["git", "rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func add(_ name: String, _ commit: String, _ expected: Verdict.Status, allowWeak: Bool = false, gitDiffers: Bool = false) {
            cases[name] = LabCase(name: name, commit: commit, expected: expected, allowWeak: allowWeak, gitDiffers: gitDiffers)
        }

        _ = try commit("unsigned-root", email: "lab@example.com", config: [], sign: false)

        // OpenPGP keys, one commit each.
        for (name, algorithm) in openPGPKeys {
            let email = "\(name)@example.com"
            try gpg.must(batch + ["--quick-gen-key", "\(name) <\(email)>", algorithm, "sign", "never"])
            let fpr = try fingerprint(email)
            fingerprints[name] = fpr
            let sha = try commit(name, email: email, config: ["-c", "user.signingkey=\(fpr)", "-c", "gpg.program=gpg"])
            switch name {
            case "dsa": add(name, sha, .good, allowWeak: true)
            case "revoked": add(name, sha, .revoked)
            case "stranger": add(name, sha, .unknownKey)
            default: add(name, sha, .good)
            }
        }
        // A SHA-1 signature by a good key: GnuPG 2.2 still accepts it; Capstan calls it weak.
        let sha1GPG = root + "/sha1-gpg"
        try "#!/bin/sh\nexec gpg --digest-algo SHA1 \"$@\"\n".write(toFile: sha1GPG, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: sha1GPG)
        add("sha1", try commit("sha1", email: "rsa3072@example.com",
                               config: ["-c", "user.signingkey=\(fingerprints["rsa3072"]!)", "-c", "gpg.program=\(sha1GPG)"]),
            .good, allowWeak: true)

        // A certification-only primary key with a separate signing subkey.
        try gpg.must(batch + ["--quick-gen-key", "subkey <subkey@example.com>", "rsa3072", "cert", "never"])
        let subkeyPrimary = try fingerprint("subkey@example.com")
        try gpg.must(batch + ["--quick-add-key", subkeyPrimary, "ed25519", "sign", "never"])
        fingerprints["subkey"] = subkeyPrimary
        add("subkey", try commit("subkey", email: "subkey@example.com", config: ["-c", "user.signingkey=\(subkeyPrimary)", "-c", "gpg.program=gpg"]), .good)

        // Expired before signing: made 20 days ago, signed 10 days ago, then given a
        // self-signature (dated 19 days ago) saying it expired 18 days ago.
        let now = Int(Date().timeIntervalSince1970)
        let day = 86_400
        try gpg.must(batch + ["--faked-system-time", "\(now - 20 * day)!", "--quick-gen-key", "expired <expired@example.com>", "ed25519", "sign", "never"])
        let expiredFpr = try fingerprint("expired@example.com")
        fingerprints["expired"] = expiredFpr
        let expiredSha = try commit("expired", email: "expired@example.com",
                                    config: ["-c", "user.signingkey=\(expiredFpr)", "-c", "gpg.program=\(fakeGPG)"],
                                    environment: ["FAKE_TIME": "\(now - 10 * day)!", "GIT_COMMITTER_DATE": "@\(now - 10 * day) +0000"])
        try gpg.must(batch + ["--faked-system-time", "\(now - 19 * day)!", "--quick-set-expire", expiredFpr, "2d"])
        add("expired", expiredSha, .expired)

        // Valid when it signed, expired since: expired, as git and GnuPG judge it now; good only
        // when old history is audited with --key-validity signature-time.
        try gpg.must(batch + ["--faked-system-time", "\(now - 20 * day)!", "--quick-gen-key", "lapsed <lapsed@example.com>", "nistp256", "sign", "2d"])
        let lapsedFpr = try fingerprint("lapsed@example.com")
        fingerprints["lapsed"] = lapsedFpr
        add("lapsed", try commit("lapsed", email: "lapsed@example.com",
                                 config: ["-c", "user.signingkey=\(lapsedFpr)", "-c", "gpg.program=\(fakeGPG)"],
                                 environment: ["FAKE_TIME": "\(now - 19 * day)!", "GIT_COMMITTER_DATE": "@\(now - 19 * day) +0000"]),
            .expired)
        // The same key, its signature dated after the commit's committer time: an audit at
        // signature time refuses a signature that claims to be newer than its commit.
        add("lapsed-after-commit", try commit("lapsed-after-commit", email: "lapsed@example.com",
                                              config: ["-c", "user.signingkey=\(lapsedFpr)", "-c", "gpg.program=\(fakeGPG)"],
                                              environment: ["FAKE_TIME": "\(now - 19 * day)!", "GIT_COMMITTER_DATE": "@\(now - 20 * day + 3600) +0000"]),
            .expired)

        // Signing subkeys that expired before signing, or were revoked after it (for
        // compromise: void; retired: signatures made before the revocation stand). The
        // answers are GnuPG's menu numbers: 1 = compromised, 3 = no longer used.
        func allFingerprints(of email: String) throws -> [String] {
            try gpg.must(["gpg", "--with-colons", "--list-keys", email]).split(separator: "\n")
                .filter { $0.hasPrefix("fpr:") }.map { $0.split(separator: ":", omittingEmptySubsequences: false)[9].description }
        }
        for (name, reason, expected, differs) in [("subkey-expired", "", Verdict.Status.expired, false),
                                                  ("subkey-revoked", "1", .revoked, false), ("subkey-retired", "3", .revoked, false)] {
            let email = "\(name)@example.com"
            let born = ["--faked-system-time", "\(now - 20 * day)!"]
            try gpg.must(batch + born + ["--quick-gen-key", "\(name) <\(email)>", "ed25519", "cert", "never"])
            let primary = try fingerprint(email)
            try gpg.must(batch + born + ["--quick-add-key", primary, "rsa2048", "sign", "never"])
            let subkey = try allFingerprints(of: email)[1]
            fingerprints[name] = primary
            let sha = try commit(name, email: email, config: ["-c", "user.signingkey=\(primary)", "-c", "gpg.program=\(fakeGPG)"],
                                 environment: ["FAKE_TIME": "\(now - 10 * day)!", "GIT_COMMITTER_DATE": "@\(now - 10 * day) +0000"])
            if reason.isEmpty {
                try gpg.must(batch + ["--faked-system-time", "\(now - 19 * day)!", "--quick-set-expire", primary, "2d", subkey])
            } else {
                let answers = "key 1\nrevkey\ny\n\(reason)\n\ny\nsave\n"
                try gpg.must(batch + ["--command-fd", "0", "--edit-key", primary], input: Data(answers.utf8))
            }
            add(name, sha, expected, gitDiffers: differs)
        }

        // Revoke "revoked" after it signed, with the certificate GnuPG made at key generation.
        let revocation = try String(contentsOfFile: signHome + "/openpgp-revocs.d/\(fingerprints["revoked"]!).rev", encoding: .utf8)
            .replacingOccurrences(of: ":-----BEGIN", with: "-----BEGIN")
        try gpg.must(["gpg", "--batch", "--import"], input: Data(revocation.utf8))

        // Passphrase-protected keys for the signing tests (no commits of their own).
        for (name, algorithm) in [("protected-ed25519", "ed25519"), ("protected-rsa", "rsa3072")] {
            let locked = ["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", Self.passphrase]
            try gpg.must(locked + ["--quick-gen-key", "\(name) <\(name)@example.com>", algorithm, "sign", "never"])
            fingerprints[name] = try fingerprint("\(name)@example.com")
            let path = secrets + "/\(name).asc"
            try gpg.must(locked + ["--armor", "--output", path, "--export-secret-keys", fingerprints[name]!])
            secretFiles[name] = path
        }
        // A passphrase-protected OpenSSH key as ssh-keygen makes it by default (bcrypt KDF, 16
        // rounds, aes256-ctr); trusted in allowed_signers below, for the signing tests.
        try gpg.must(["ssh-keygen", "-q", "-N", Self.passphrase, "-t", "ed25519", "-C", "ssh-protected", "-f", secrets + "/ssh-protected"])
        secretFiles["ssh-protected"] = secrets + "/ssh-protected"

        // Export every trusted key and the secret keys the signing tests use.
        for name in fingerprints.keys where name != "stranger" {
            let armored = try gpg.must(["gpg", "--armor", "--export", fingerprints[name]!])
            try armored.write(toFile: keys + "/\(name).asc", atomically: true, encoding: .utf8)
        }
        let verifyGPG = Shell(directory: root, environment: ["GNUPGHOME": verifyHome])
        for name in fingerprints.keys where name != "stranger" {
            try verifyGPG.must(["gpg", "--batch", "--import", keys + "/\(name).asc"])
        }
        for name in ["ed25519", "rsa3072", "nistp256", "subkey"] {
            let path = secrets + "/\(name).asc"
            try gpg.must(batch + ["--armor", "--output", path, "--export-secret-keys", fingerprints[name]!])
            secretFiles[name] = path
        }

        // SSH keys, one commit each; allowed_signers lists all but the stranger.
        var allowed = ""
        for (name, type) in sshKeys {
            let path = secrets + "/\(name)"
            try gpg.must(["ssh-keygen", "-q", "-N", "", "-C", name, "-f", path] + type)
            secretFiles[name] = path
            let email = "\(name)@example.com"
            let sha = try commit(name, email: email, config: ["-c", "gpg.format=ssh", "-c", "user.signingkey=\(path).pub"])
            let publicLine = try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            switch name {
            case "ssh-stranger":
                add(name, sha, .unknownKey)
            case "ssh-expired":
                // Trusted only until 2020: the commit is judged at its committer time.
                allowed += "\(email) namespaces=\"git\",valid-before=\"20200101\" \(publicLine)\n"
                add(name, sha, .expired)
            case "ssh-other-namespace":
                allowed += "\(email) namespaces=\"file\" \(publicLine)\n"
                add(name, sha, .bad)
            default:
                allowed += "\(email) namespaces=\"git\" \(publicLine)\n"
                try (publicLine + "\n").write(toFile: keys + "/\(name).sshpub", atomically: true, encoding: .utf8)
                add(name, sha, .good)
            }
        }
        let protectedLine = try String(contentsOfFile: secrets + "/ssh-protected.pub", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        allowed += "ssh-protected@example.com namespaces=\"git\" \(protectedLine)\n"
        try (protectedLine + "\n").write(toFile: keys + "/ssh-protected.sshpub", atomically: true, encoding: .utf8)
        let allowedSigners = root + "/allowed_signers"
        try allowed.write(toFile: allowedSigners, atomically: true, encoding: .utf8)

        add("unsigned", try commit("unsigned", email: "lab@example.com", config: [], sign: false), .unsigned)

        // Tampered copies: the signature kept, the signed bytes changed.
        func tamper(_ name: String, of original: String, _ change: (String) -> String) throws {
            let raw = try git.must(["git", "cat-file", "commit", cases[original]!.commit])
            let changed = change(raw)
            precondition(changed != raw, "tampering \(name) changed nothing")
            let sha = try git.must(["git", "hash-object", "-t", "commit", "-w", "--stdin"], input: Data(changed.utf8))
                .trimmingCharacters(in: .whitespacesAndNewlines)
            add(name, sha, .bad)
        }
        let emptyTree = try git.must(["git", "hash-object", "-t", "tree", "-w", "/dev/null"]).trimmingCharacters(in: .whitespacesAndNewlines)
        try tamper("tampered-message", of: "rsa3072") { $0.replacingOccurrences(of: "rsa3072 commit", with: "rsa3072 c0mmit") }
        try tamper("tampered-tree", of: "ed25519") { raw in
            let firstLine = raw.prefix { $0 != "\n" }
            return "tree \(emptyTree)" + raw.dropFirst(firstLine.count)
        }
        try tamper("tampered-author", of: "ssh-ed25519") { $0.replacingOccurrences(of: "author ssh-ed25519 <", with: "author mallory <") }
        try tamper("tampered-ecdsa", of: "nistp384") { $0.replacingOccurrences(of: "nistp384 commit", with: "nistp384 commit!") }
        try tamper("tampered-subkey", of: "subkey") { $0.replacingOccurrences(of: "subkey commit", with: "subkey commit.") }
        try tamper("tampered-ssh-rsa", of: "ssh-rsa") { $0.replacingOccurrences(of: "ssh-rsa commit", with: "ssh-rsa commit?") }

        return SigningLab(root: root, repository: repository, keys: keys, allowedSigners: allowedSigners, verifyHome: verifyHome,
                          signHome: signHome, cases: cases, fingerprints: fingerprints, secretFiles: secretFiles)
    }

    /// gpg-agent outlives the test process unless told to stop.
    private static func registerAgentCleanup(_ homes: [String]) {
        agentHomes.withLock { $0 += homes }
        atexit {
            for home in SigningLab.agentHomes.withLock({ $0 }) {
                _ = try? Shell(directory: "/", environment: ["GNUPGHOME": home]).run(["gpgconf", "--kill", "all"])
            }
            if let root = SigningLab.agentHomes.withLock({ $0.first }) {
                try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent)
            }
        }
    }

    static let agentHomes = Mutex<[String]>([])
    /// The passphrase of the lab's protected keys.
    static let passphrase = "correct horse battery staple"
}
