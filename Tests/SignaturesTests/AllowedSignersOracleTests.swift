import Foundation
import Signatures
import Steps
import Testing

/// allowed_signers lines read exactly as ssh-keygen(1) reads them (issue 12, finding 3),
/// through `--allowed-signers` and through `--keys` alike; `git verify-commit` with
/// `gpg.ssh.allowedSignersFile` (that is, `ssh-keygen -Y find-principals` and `-Y verify`)
/// is the oracle.
@Suite struct AllowedSignersOracleTests {
    /// Lines for the lab's ssh-ed25519 key; `KEY` stands for its public key.
    static let lines: [String] = [
        "ssh-ed25519@example.com KEY",
        "* KEY a comment",
        "* namespaces=\"gi*\" KEY",
        "* namespaces=\"*,!git\" KEY",
        "* namespaces=\"file,git\" KEY",
        "* cert-authority KEY",
        "* CERT-AUTHORITY KEY",
        "* cert-authority,namespaces=\"git\" KEY",
        "* bogus-option KEY",
        "* namespaces=git KEY",
        "* namespaces=\"git\", KEY",
        "* namespaces=\"git\",namespaces=\"git\" KEY",
        "* valid-before=\"20200101UTC\" KEY",
        "* valid-before=\"20200101z\" KEY",
        "* valid-before=\"29990101\" KEY",
        "* valid-before=\"29990101235959Z\" KEY",
        "* valid-after=\"20990101000000Z\" KEY",
        "* valid-after=\"20200101Z\",valid-before=\"20190101Z\" KEY",
        "* valid-before=\"20991399\" KEY",
        "* valid-before=\"2099010\" KEY",
        "* Valid-After=\"20000101Z\" KEY",
        "\"ssh ed25519\",x@example.com namespaces=\"git\" KEY",
        "!ssh-ed25519@example.com KEY",
    ]

    static func compare(_ template: String) throws -> (git: Bool, allowedSigners: Bool, keys: Bool) {
        let lab = try SigningLab.get()
        let publicKey = try String(contentsOfFile: lab.keys + "/ssh-ed25519.sshpub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let line = template.replacingOccurrences(of: "KEY", with: publicKey) + "\n"
        let folder = lab.root + "/allowed-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/signers.pub"
        try line.write(toFile: file, atomically: true, encoding: .utf8)
        let commit = lab.case("ssh-ed25519").commit
        let git = try Shell(directory: lab.repository, environment: ["TZ": "UTC"])
            .run(["git", "-c", "gpg.ssh.allowedSignersFile=\(file)", "verify-commit", commit]).succeeded
        func capstan(_ options: VerifyOptions) -> Bool {
            ((try? VerifyStep(options: options).run())?.entries.first?.verdict.isGood) ?? false
        }
        let viaAllowedSigners = capstan(VerifyOptions(repository: lab.repository, revision: commit, mode: .head, allowedSigners: [file]))
        let viaKeys = capstan(VerifyOptions(repository: lab.repository, revision: commit, mode: .head, keyPaths: [file]))
        return (git, viaAllowedSigners, viaKeys)
    }

    @Test("Capstan reads each allowed_signers line as ssh-keygen does", arguments: lines)
    func agreesWithSSHKeygen(_ template: String) throws {
        let result = try Self.compare(template)
        #expect(result.allowedSigners == result.git, "--allowed-signers: \(template): git says \(result.git)")
        #expect(result.keys == result.git, "--keys: \(template): git says \(result.git)")
    }

    @Test func aCommitSignedWithAnSSHCertificateIsRefusedWithAReason() throws {
        let lab = try SigningLab.get()
        let folder = lab.root + "/certificate-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = Shell(directory: folder)
        try shell.must(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ca", "-f", folder + "/ca"])
        try shell.must(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", folder + "/alice"])
        try shell.must(["ssh-keygen", "-q", "-s", folder + "/ca", "-I", "alice", "-n", "ssh-ed25519@example.com", folder + "/alice.pub"])
        let ca = try String(contentsOfFile: folder + "/ca.pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try "ssh-ed25519@example.com cert-authority \(ca)\n".write(toFile: folder + "/allowed_signers", atomically: true, encoding: .utf8)
        let repo = try ScratchRepository(lab: lab)
        defer { repo.remove() }
        let commit = try repo.commit("signed with a certificate", config: ["-c", "user.signingkey=\(folder)/alice-cert.pub"])
        let git = try Shell(directory: repo.path)
            .run(["git", "-c", "gpg.ssh.allowedSignersFile=\(folder)/allowed_signers", "verify-commit", commit])
        #expect(git.succeeded, "ssh-keygen verifies the certificate: \(git.error)")
        let options = VerifyOptions(repository: repo.path, revision: commit, mode: .head, allowedSigners: [folder + "/allowed_signers"])
        let verdict = try #require(try VerifyStep(options: options).run().entries.first).verdict
        #expect(verdict.status == .bad)
        #expect(verdict.reason.contains("SSH certificate"), "\(verdict)")
    }
}
