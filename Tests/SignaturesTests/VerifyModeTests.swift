import Foundation
import Git
import Signatures
import Steps
import Testing

/// The modes of `capstan verify`: which commits each covers, and that one bad commit fails all.
@Suite struct VerifyModeTests {
    static func run(_ repository: ScratchRepository, _ revision: String?, mode: VerifyOptions.Mode,
                    mergeKeys: [String] = [], keys: [String]? = nil, committerMatch: Bool = false) throws -> VerifyOutcome {
        let lab = repository.lab
        let options = VerifyOptions(repository: repository.path, revision: revision, mode: mode,
                                    keyPaths: keys ?? [lab.keys + "/ssh-ed25519.sshpub"],
                                    allowedSigners: keys == nil ? [lab.allowedSigners] : [],
                                    mergeKeyPaths: mergeKeys, requireCommitterMatch: committerMatch)
        return try VerifyStep(options: options).run()
    }

    @Test func rangeCoversEveryCommitAfterTheBase() throws {
        let repo = try ScratchRepository(lab: try SigningLab.get())
        defer { repo.remove() }
        let base = try repo.commit("base", signed: false)
        try repo.commit("one")
        try repo.commit("two")
        let outcome = try Self.run(repo, "\(base)..HEAD", mode: .range)
        #expect(outcome.entries.count == 2)
        #expect(outcome.verified)
    }

    @Test func rangeFailsWhenOneCommitIsUnsigned() throws {
        let repo = try ScratchRepository(lab: try SigningLab.get())
        defer { repo.remove() }
        let base = try repo.commit("base")
        try repo.commit("unsigned", signed: false)
        try repo.commit("signed")
        let outcome = try Self.run(repo, "\(base)..HEAD", mode: .range)
        #expect(!outcome.verified)
        #expect(outcome.entries.map(\.verdict.status) == [.good, .unsigned])
    }

    @Test func headChecksOnlyTheOneCommit() throws {
        let repo = try ScratchRepository(lab: try SigningLab.get())
        defer { repo.remove() }
        try repo.commit("unsigned", signed: false)
        try repo.commit("signed")
        let outcome = try Self.run(repo, nil, mode: .head)
        #expect(outcome.entries.count == 1)
        #expect(outcome.verified)
    }

    @Test func strictStopsAtTheSealedCommit() throws {
        let repo = try ScratchRepository(lab: try SigningLab.get())
        defer { repo.remove() }
        try repo.commit("ancient, unsigned", signed: false)
        try repo.commit("audit\n\nCapstan-Seal: history reviewed 2026-11")
        try repo.commit("after seal 1")
        try repo.commit("after seal 2")
        let outcome = try Self.run(repo, nil, mode: .strict)
        #expect(outcome.entries.count == 3)
        #expect(outcome.verified)
    }

    @Test func strictWithoutASealCoversTheWholeHistory() throws {
        let repo = try ScratchRepository(lab: try SigningLab.get())
        defer { repo.remove() }
        try repo.commit("ancient, unsigned", signed: false)
        try repo.commit("signed")
        let outcome = try Self.run(repo, nil, mode: .strict)
        #expect(outcome.entries.count == 2)
        #expect(!outcome.verified)
        #expect(outcome.warnings.contains { $0.contains("Capstan-Seal") })
    }

    @Test func strictWithABaseStopsAtTheBase() throws {
        let repo = try ScratchRepository(lab: try SigningLab.get())
        defer { repo.remove() }
        let base = try repo.commit("ancient, unsigned", signed: false)
        try repo.commit("signed")
        let outcome = try Self.run(repo, "\(base)..HEAD", mode: .strict)
        #expect(outcome.entries.count == 1)
        #expect(outcome.verified)
    }

    @Test func tagModeChecksTheTagAndItsCommit() throws {
        let repo = try ScratchRepository(lab: try SigningLab.get())
        defer { repo.remove() }
        try repo.commit("release")
        try repo.run(["git", "tag", "-s", "v1.0.0", "-m", "release 1.0.0"])
        let outcome = try Self.run(repo, "v1.0.0", mode: .tag)
        #expect(outcome.entries.map(\.kind) == ["tag", "commit"])
        #expect(outcome.verified)
    }

    @Test func openPGPSignedTagVerifiesLikeGitVerifyTag() throws {
        let lab = try SigningLab.get()
        let repo = try ScratchRepository(lab: lab)
        defer { repo.remove() }
        try repo.commit("release")
        let openPGP = ["-c", "gpg.format=openpgp", "-c", "gpg.program=gpg", "-c", "user.signingkey=\(lab.fingerprints["nistp384"]!)"]
        try repo.run(["git"] + openPGP + ["tag", "-s", "v3.0.0", "-m", "release 3.0.0"])
        let outcome = try Self.run(repo, "v3.0.0", mode: .tag, keys: [lab.keys])
        #expect(outcome.entries.first?.verdict.status == .good)
        #expect(outcome.entries.first?.verdict.signer == lab.fingerprints["nistp384"])
        let git = try Shell(directory: repo.path, environment: ["GNUPGHOME": lab.verifyHome]).run(["git", "verify-tag", "v3.0.0"])
        #expect(git.succeeded)
    }

    @Test func tagWithItsMessageChangedIsBad() throws {
        let lab = try SigningLab.get()
        let repo = try ScratchRepository(lab: lab)
        defer { repo.remove() }
        try repo.commit("release")
        try repo.run(["git", "tag", "-s", "v4.0.0", "-m", "release 4.0.0"])
        let shell = Shell(directory: repo.path)
        let raw = try shell.must(["git", "cat-file", "tag", "v4.0.0"])
        let forged = raw.replacingOccurrences(of: "release 4.0.0", with: "release 4.0.1")
        let id = try shell.must(["git", "hash-object", "-t", "tag", "-w", "--stdin"], input: Data(forged.utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try repo.run(["git", "update-ref", "refs/tags/forged", id])
        let outcome = try Self.run(repo, "forged", mode: .tag)
        #expect(outcome.entries.first?.verdict.status == .bad)
        #expect(try !shell.run(["git", "-c", "gpg.ssh.allowedSignersFile=\(lab.allowedSigners)", "verify-tag", "forged"]).succeeded)
    }

    @Test func lightweightTagIsUnsigned() throws {
        let repo = try ScratchRepository(lab: try SigningLab.get())
        defer { repo.remove() }
        try repo.commit("release")
        try repo.run(["git", "tag", "v1.0.1"])
        let outcome = try Self.run(repo, "v1.0.1", mode: .tag)
        #expect(outcome.entries.first?.verdict.status == .unsigned)
        #expect(!outcome.verified)
    }

    @Test func signedTagOnAnUnsignedCommitIsNotVerified() throws {
        let repo = try ScratchRepository(lab: try SigningLab.get())
        defer { repo.remove() }
        try repo.commit("release", signed: false)
        try repo.run(["git", "tag", "-s", "v2.0.0", "-m", "release 2.0.0"])
        let outcome = try Self.run(repo, "v2.0.0", mode: .tag)
        #expect(outcome.entries.map(\.verdict.status) == [.good, .unsigned])
        #expect(!outcome.verified)
    }

    @Test func committerMustBeAPrincipalWhenRequired() throws {
        let repo = try ScratchRepository(lab: try SigningLab.get())
        defer { repo.remove() }
        try repo.commit("as myself")
        #expect(try Self.run(repo, nil, mode: .head, committerMatch: true).verified)
        try repo.commit("as someone else", email: "ceo@example.com")
        let outcome = try Self.run(repo, nil, mode: .head, committerMatch: true)
        #expect(outcome.entries.first?.verdict.status == .bad)
    }

    @Test func mergeOnlyKeySignsMergesButNotOrdinaryCommits() throws {
        let lab = try SigningLab.get()
        let repo = try ScratchRepository(lab: lab)
        defer { repo.remove() }
        let mergeSigner = ["-c", "user.signingkey=\(lab.secretFiles["ssh-ecdsa256"]!).pub"]
        let base = try repo.commit("base")
        try repo.run(["git", "checkout", "-q", "-b", "feature"])
        try repo.commit("feature work", file: "feature.txt")
        try repo.run(["git", "checkout", "-q", "main"])
        try repo.commit("main work")
        try repo.run(["git"] + mergeSigner + ["merge", "-q", "--no-ff", "-S", "-m", "Merge feature", "feature"])
        let keys = [lab.keys + "/ssh-ed25519.sshpub"]
        let mergeKeys = [lab.keys + "/ssh-ecdsa256.sshpub"]
        #expect(try Self.run(repo, "\(base)..HEAD", mode: .range, mergeKeys: mergeKeys, keys: keys).verified)
        try repo.commit("ordinary commit by the merge key", config: mergeSigner)
        let outcome = try Self.run(repo, nil, mode: .head, mergeKeys: mergeKeys, keys: keys)
        #expect(outcome.entries.first?.verdict.status == .bad)
    }
}

/// Long ranges are read and checked on several cores; the report must not notice.
@Suite struct LongRangeTests {
    @Test func longRangeKeepsWalkOrderAndFindsTheOneUnsignedCommit() throws {
        let lab = try SigningLab.get()
        let repo = try ScratchRepository(lab: lab)
        defer { repo.remove() }
        let base = try repo.commit("base", signed: false)
        let repository = try Repository.open(repo.path)
        let key = try CommitSigningKey(path: lab.secretFiles["ssh-ed25519"]!)
        var parent = try repository.resolve("HEAD")
        let tree = try repository.tree(ofCommit: parent)
        var unsigned: String?
        for index in 0..<150 {
            let person = CommitPerson(name: "Bot", email: "ssh-ed25519@example.com", time: 1_800_000_000 + index)
            if index == 77 {
                try repo.commit("the unsigned one", signed: false)
                parent = try repository.resolve("HEAD")
                unsigned = parent.hex
                continue
            }
            parent = try key.commit(in: repository, tree: tree, parents: [parent], author: person, committer: person,
                                    message: "commit \(index)\n", updating: "HEAD")
        }
        let outcome = try VerifyModeTests.run(repo, "\(base)..HEAD", mode: .range)
        let walk = try repository.commits(from: try repository.resolve("HEAD"), excluding: try repository.resolve(base))
        #expect(outcome.entries.map(\.id) == walk.map(\.hex))
        #expect(outcome.entries.filter { !$0.verdict.isGood }.map(\.id) == [try #require(unsigned)])
        #expect(!outcome.verified)
    }
}
