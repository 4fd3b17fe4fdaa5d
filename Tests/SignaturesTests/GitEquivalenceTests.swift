import Foundation
import Steps
import Testing
import Signatures

/// Capstan's verdict on every commit the lab signed must be the one `git verify-commit`
/// reaches with the same keys, and the specific verdict the case expects.
@Suite struct GitEquivalenceTests {
    static let caseNames = [
        "rsa2048", "rsa3072", "rsa4096", "sha1", "ed25519", "nistp256", "nistp384", "nistp521", "dsa", "subkey",
        "subkey-expired", "subkey-revoked", "subkey-retired", "lapsed", "lapsed-after-commit",
        "expired", "revoked", "stranger", "ssh-ed25519", "ssh-ecdsa256", "ssh-ecdsa384", "ssh-ecdsa521", "ssh-rsa",
        "ssh-stranger", "ssh-expired", "ssh-other-namespace", "unsigned", "tampered-message", "tampered-tree", "tampered-author", "tampered-ecdsa",
        "tampered-subkey", "tampered-ssh-rsa",
    ]

    static func verdict(_ lab: SigningLab, _ labCase: LabCase) throws -> Verdict {
        let options = VerifyOptions(repository: lab.repository, revision: labCase.commit, mode: .head, keyPaths: [lab.keys],
                                    allowedSigners: [lab.allowedSigners], allowWeak: labCase.allowWeak)
        let outcome = try VerifyStep(options: options).run()
        return try #require(outcome.entries.first).verdict
    }

    @Test("Capstan and git verify-commit agree", arguments: caseNames)
    func agreesWithGit(_ name: String) throws {
        let lab = try SigningLab.get()
        let labCase = lab.case(name)
        let verdict = try Self.verdict(lab, labCase)
        #expect(verdict.isGood == (try lab.gitVerifies(labCase.commit)), "\(name): \(verdict)")
    }

    @Test("each commit gets the verdict its key's state calls for", arguments: caseNames)
    func expectedVerdict(_ name: String) throws {
        let lab = try SigningLab.get()
        let labCase = lab.case(name)
        #expect(try Self.verdict(lab, labCase).status == labCase.expected)
    }
}
