import Foundation
import Signatures
import Steps
import Testing

/// Verdicts that depend on policy rather than on git's opinion.
@Suite struct LabVerdictTests {
    func verdict(_ name: String, allowWeak: Bool = false, keys: [String]? = nil, keyValidity: KeyValidity = .now) throws -> Verdict {
        let lab = try SigningLab.get()
        let options = VerifyOptions(repository: lab.repository, revision: lab.case(name).commit, mode: .head,
                                    keyPaths: keys ?? [lab.keys], allowedSigners: [lab.allowedSigners], keyValidity: keyValidity,
                                    allowWeak: allowWeak)
        return try #require(try VerifyStep(options: options).run().entries.first).verdict
    }

    @Test func dsaIsWeakUnlessAllowed() throws {
        #expect(try verdict("dsa").status == .weak)
        #expect(try verdict("dsa", allowWeak: true).status == .good)
    }

    @Test func sha1MessageHashIsWeakUnlessAllowed() throws {
        let verdict = try verdict("sha1")
        #expect(verdict.status == .weak)
        #expect(verdict.reason.contains("SHA1"))
        #expect(try self.verdict("sha1", allowWeak: true).status == .good)
    }

    @Test func keyExpiredSinceIsExpiredWhateverDateTheSignatureClaims() throws {
        let lab = try SigningLab.get()
        #expect(try verdict("lapsed").status == .expired)
        #expect(try !lab.gitVerifies(lab.case("lapsed").commit), "git judges expiry now")
    }

    @Test func auditAtSignatureTimeAcceptsWhatTheKeyCouldSignThen() throws {
        #expect(try verdict("lapsed", keyValidity: .signatureTime).status == .good)
        #expect(try verdict("subkey-retired", keyValidity: .signatureTime).status == .good, "retired after signing: a soft revocation")
        #expect(try verdict("expired", keyValidity: .signatureTime).status == .expired)
    }

    @Test func auditAtSignatureTimeRefusesASignatureDatedAfterItsCommit() throws {
        let verdict = try verdict("lapsed-after-commit", keyValidity: .signatureTime)
        #expect(verdict.status == .bad)
        #expect(verdict.reason.contains("after its commit"))
    }

    @Test func hardRevocationVoidsEvenAnAuditAtSignatureTime() throws {
        #expect(try verdict("subkey-revoked", keyValidity: .signatureTime).status == .revoked)
        #expect(try verdict("revoked", keyValidity: .signatureTime).status == .revoked)
    }

    @Test func subkeyRetiredAfterSigningIsRevokedLikeGitSays() throws {
        let lab = try SigningLab.get()
        #expect(try verdict("subkey-retired").status == .revoked)
        #expect(try !lab.gitVerifies(lab.case("subkey-retired").commit), "git refuses any signature by a revoked key")
    }

    @Test func subkeySignatureNamesTheSubkeyAndItsPrimary() throws {
        let lab = try SigningLab.get()
        let verdict = try verdict("subkey")
        #expect(verdict.primaryKey == lab.fingerprints["subkey"])
        #expect(verdict.signer != lab.fingerprints["subkey"])
    }

    @Test func sshKeysFromPublicKeyFilesAloneVerify() throws {
        let lab = try SigningLab.get()
        let options = VerifyOptions(repository: lab.repository, revision: lab.case("ssh-ecdsa521").commit, mode: .head,
                                    keyPaths: [lab.keys + "/ssh-ecdsa521.sshpub"])
        #expect(try VerifyStep(options: options).run().verified)
    }

    @Test func openPGPKeyForAnotherCommitIsUnknownKey() throws {
        let lab = try SigningLab.get()
        #expect(try verdict("rsa2048", keys: [lab.keys + "/ed25519.asc"]).status == .unknownKey)
    }

    @Test func verdictNamesTheSignerFingerprint() throws {
        let lab = try SigningLab.get()
        #expect(try verdict("rsa4096").signer == lab.fingerprints["rsa4096"])
        #expect(try verdict("ssh-ed25519").signer?.hasPrefix("SHA256:") == true)
    }
}
