import Foundation
import Git
import Testing
@testable import Signatures

/// git's allowed_signers format (ssh-keygen ALLOWED SIGNERS).
@Suite struct AllowedSignersTests {
    static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBtbR1DD6mNNz6l8dqBqFfVahFS/bQGBFMx8kK2Jd8tA"

    @Test func principalsOptionsAndKeyAreRead() throws {
        let signers = try AllowedSigner.parseFile(
            "# team\nalice@example.com,*@ops.example.com namespaces=\"git,file\",valid-after=\"20240101\",valid-before=\"20250101Z\" \(Self.key) alice\n",
            path: "allowed_signers")
        #expect(signers.count == 1)
        #expect(signers[0].principals == ["alice@example.com", "*@ops.example.com"])
        #expect(signers[0].namespaces == ["git", "file"])
        #expect(signers[0].validAfter == 1_704_067_200)
        #expect(signers[0].validBefore == 1_735_689_600)
    }

    @Test func principalPatternsMatchLikeOpenSSH() throws {
        let signer = try AllowedSigner.parseLine("*@example.com,!mallory@example.com \(Self.key)")
        #expect(signer.matches(principal: "Alice@Example.com"))
        #expect(!signer.matches(principal: "mallory@example.com"))
        #expect(!signer.matches(principal: "alice@example.org"))
    }

    @Test func badLineNamesFileAndLine() {
        #expect {
            try AllowedSigner.parseFile("\nalice@example.com bogus-option=1 \(Self.key)\n", path: "signers")
        } throws: { error in
            "\(error)".hasPrefix("signers:2:")
        }
    }

    @Test func keyOutsideItsValidityWindowIsExpired() throws {
        let lab = try SigningLab.get()
        let publicLine = try String(contentsOfFile: lab.keys + "/ssh-ed25519.sshpub", encoding: .utf8)
        let signer = try AllowedSigner.parseLine("ssh-ed25519@example.com valid-before=\"20200101\" \(publicLine)")
        let commit = try Repository.open(lab.repository).signedCommit(try #require(ObjectID(hex: lab.case("ssh-ed25519").commit)))
        let verdict = SSHVerifier(signers: [signer], policy: VerificationPolicy())
            .verify(signature: try #require(commit.signature), over: commit.signedPayload, at: commit.committerTime)
        #expect(verdict.status == .expired)
    }
}
