import Foundation
import Git
import Testing
@testable import Signatures

/// git's allowed_signers format (ssh-keygen ALLOWED SIGNERS).
@Suite struct AllowedSignersTests {
    static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBtbR1DD6mNNz6l8dqBqFfVahFS/bQGBFMx8kK2Jd8tA"

    @Test func principalsOptionsAndKeyAreRead() throws {
        let signers = AllowedSigner.parseFile(
            "# team\nalice@example.com,*@ops.example.com namespaces=\"git,file\",valid-after=\"20240101\",valid-before=\"20250101Z\" \(Self.key) alice\n",
            path: "allowed_signers").signers
        #expect(signers.count == 1)
        #expect(signers[0].principals == ["alice@example.com", "*@ops.example.com"])
        #expect(signers[0].namespaces == ["git", "file"])
        #expect(signers[0].validAfter == 1_704_067_200)
        #expect(signers[0].validBefore == 1_735_689_600)
    }

    @Test func principalPatternsMatchLikeOpenSSH() throws {
        let signer = try #require(try AllowedSigner.parseLine("*@example.com,!mallory@example.com \(Self.key)"))
        #expect(signer.matches(principal: "alice@example.com"))
        #expect(!signer.matches(principal: "Alice@Example.com"), "match_pattern_list is case-sensitive for principals")
        #expect(!signer.matches(principal: "mallory@example.com"))
        #expect(!signer.matches(principal: "alice@example.org"))
    }

    @Test func lineSSHKeygenWouldSkipIsUnusableAndNamed() {
        let parsed = AllowedSigner.parseFile("\nalice@example.com bogus-option=1 \(Self.key)\n", path: "signers")
        #expect(parsed.signers.isEmpty)
        #expect(parsed.unusable.count == 1)
        #expect(parsed.unusable.first?.hasPrefix("signers:2:") == true)
    }

    @Test func certAuthorityLineTrustsNoPlainSignature() throws {
        let signer = try #require(try AllowedSigner.parseLine("* cert-authority \(Self.key)"))
        #expect(signer.certificateAuthority)
    }

    @Test func timesInEveryFormatSSHKeygenReads() throws {
        for (text, seconds) in [("20240101Z", 1_704_067_200), ("20240101z", 1_704_067_200), ("20240101UTC", 1_704_067_200),
                                ("202401010130Z", 1_704_072_600), ("20240101013005utc", 1_704_072_605)] {
            #expect(try AllowedSignerOptions.time(text, name: "valid-after") == seconds, "\(text)")
        }
        for text in ["2024010", "20241301Z", "20240132Z", "202401012460Z", "2024-1-01", "0Z", "19700101Z"] {
            #expect(throws: SignatureError.self, "\(text)") { try AllowedSignerOptions.time(text, name: "valid-after") }
        }
    }

    @Test func keyOutsideItsValidityWindowIsExpired() throws {
        let lab = try SigningLab.get()
        let publicLine = try String(contentsOfFile: lab.keys + "/ssh-ed25519.sshpub", encoding: .utf8)
        let signer = try #require(try AllowedSigner.parseLine("ssh-ed25519@example.com valid-before=\"20200101\" \(publicLine)"))
        let commit = try Repository.open(lab.repository).signedCommit(try #require(ObjectID(hex: lab.case("ssh-ed25519").commit)))
        let verdict = SSHVerifier(signers: [signer], policy: VerificationPolicy())
            .verify(signature: try #require(commit.signature), over: commit.signedPayload, at: commit.committerTime)
        #expect(verdict.status == .expired)
    }
}
