import Foundation
import Signatures
import Steps
import Testing

/// `--require-committer-match` with SSH keys: the committer must be a principal of an
/// allowed_signers line that accepts the signature, not of any line naming the key. A key
/// listed once for a principal whose entry has lapsed and once for another principal must
/// not vouch for the lapsed one; `ssh-keygen -Y verify -I COMMITTER` is the oracle.
@Suite struct SSHCommitterMatchTests {
    @Test func aLapsedLineDoesNotLendItsPrincipalToAnotherLine() throws {
        let lab = try SigningLab.get()
        let repo = try ScratchRepository(lab: lab)
        defer { repo.remove() }
        let commit = try repo.commit("signed by a key two lines name")
        let committer = "ssh-ed25519@example.com"
        let publicKey = try String(contentsOfFile: lab.keys + "/ssh-ed25519.sshpub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let file = repo.path + "-allowed_signers"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "\(committer) valid-before=\"20200101Z\" \(publicKey)\nsomeone-else@example.com \(publicKey)\n"
            .write(toFile: file, atomically: true, encoding: .utf8)

        // ssh-keygen, asked whether the committer may have made this signature, says no.
        let shell = Shell(directory: repo.path)
        let raw = try shell.must(["git", "cat-file", "commit", commit])
        let (header, armor) = HostileObjectTests.signatureHeader(raw)
        let signature = repo.path + "-commit.sig"
        defer { try? FileManager.default.removeItem(atPath: signature) }
        try armor.write(toFile: signature, atomically: true, encoding: .utf8)
        let payload = Data(raw.replacingOccurrences(of: header, with: "").utf8)
        let sshKeygen = try shell.run(["ssh-keygen", "-Y", "verify", "-f", file, "-I", committer, "-n", "git", "-s", signature], input: payload)
        #expect(!sshKeygen.succeeded)
        let other = try shell.run(["ssh-keygen", "-Y", "verify", "-f", file, "-I", "someone-else@example.com", "-n", "git", "-s", signature], input: payload)
        #expect(other.succeeded)

        let options = VerifyOptions(repository: repo.path, revision: commit, mode: .head, allowedSigners: [file], requireCommitterMatch: true)
        let verdict = try #require(try VerifyStep(options: options).run().entries.first).verdict
        #expect(!verdict.isGood, "\(verdict)")
    }
}
