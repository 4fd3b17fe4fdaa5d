import Foundation
import Git
import Signatures
@testable import Steps
import Testing

/// Ranges of every length are judged, on however many cores, without a trap (issue 12, finding 6).
@Suite struct RangeLengthTests {
    /// 320 commits: SSH- and OpenPGP-signed, unsigned, and merges, in a pattern that repeats.
    static func mixedHistory(_ lab: SigningLab) throws -> (repo: ScratchRepository, commits: [ObjectID]) {
        let repo = try ScratchRepository(lab: lab)
        try repo.commit("base", signed: false)
        let repository = try Repository.open(repo.path)
        let ssh = try CommitSigningKey(path: try #require(lab.secretFiles["ssh-ed25519"]))
        let openPGP = try CommitSigningKey(path: try #require(lab.secretFiles["ed25519"]))
        var head = try repository.resolve("HEAD")
        let tree = try repository.tree(ofCommit: head)
        var firstParents: [ObjectID] = []
        for index in 0..<320 {
            let person = CommitPerson(name: "Bot", email: "ssh-ed25519@example.com", time: 1_800_000_000 + index)
            let message = "commit \(index)\n"
            switch index % 5 {
            case 0:
                try repo.commit("unsigned \(index)", signed: false)
                head = try repository.resolve("HEAD")
            case 1:
                head = try openPGP.commit(in: repository, tree: tree, parents: [head], author: person, committer: person, message: message, updating: "HEAD")
            case 2:
                // A side commit merged back: the range walks both parents.
                let side = try ssh.commit(in: repository, tree: tree, parents: [head], author: person, committer: person, message: "side \(index)\n", updating: nil)
                head = try ssh.commit(in: repository, tree: tree, parents: [head, side], author: person, committer: person, message: message, updating: "HEAD")
            default:
                head = try ssh.commit(in: repository, tree: tree, parents: [head], author: person, committer: person, message: message, updating: "HEAD")
            }
            firstParents.append(head)
        }
        return (repo, firstParents.reversed())
    }

    @Test("every range length from 1 to 300 over a mixed history is judged without a trap")
    func everyRangeLength() throws {
        let lab = try SigningLab.get()
        let (repo, newestFirst) = try Self.mixedHistory(lab)
        defer { repo.remove() }
        for length in 1...300 {
            let base = newestFirst[length]
            let outcome = try VerifyModeTests.run(repo, "\(base.hex)..HEAD", mode: .range,
                                                  keys: [lab.keys + "/ssh-ed25519.sshpub", lab.keys + "/ed25519.asc"])
            #expect(outcome.entries.count >= length, "length \(length)")
            // Every fifth commit is unsigned; the newest four are signed.
            #expect(outcome.verified == (length < 5), "length \(length)")
        }
    }

    @Test("a range read and judged in batches (by count, by bytes) gives every commit's verdict in order, as one by one")
    func batchesKeepEveryVerdictInOrder() throws {
        let lab = try SigningLab.get()
        let (repo, _) = try Self.mixedHistory(lab)
        defer { repo.remove() }
        var keys = TrustedKeys()
        try keys.load(path: lab.keys + "/ssh-ed25519.sshpub")
        try keys.load(path: lab.keys + "/ed25519.asc")
        let judge = CommitJudge(verifier: SignatureVerifier(keys: keys, policy: VerificationPolicy()), mergeVerifier: nil,
                                requireCommitterMatch: false)
        let repository = try Repository.open(repo.path)
        let ids = try repository.commits(from: try repository.resolve("HEAD"), excluding: nil)
        #expect(ids.count > 300)
        let oneByOne = try ids.map { judge.judge(try repository.signedCommit($0)) }
        // Every good, unsigned and bad kind is present, so a shifted or dropped verdict shows.
        #expect(Set(oneByOne.map(\.verdict.status)).count >= 2)
        for (count, bytes) in [(7, Int.max), (Int.max, 3_000), (64, 1), (4096, 32 << 20)] {
            let batched = try judge.judgeAll(ids, repository: repository, batchSize: count, batchBytes: bytes)
            #expect(batched.map(\.id) == ids.map(\.hex), "batches of \(count) commits / \(bytes) bytes")
            #expect(batched.map(\.verdict.status) == oneByOne.map(\.verdict.status), "batches of \(count) commits / \(bytes) bytes")
            #expect(batched.map(\.verdict.reason) == oneByOne.map(\.verdict.reason), "batches of \(count) commits / \(bytes) bytes")
        }
    }

    @Test("chunks partition the commits for every count and core count")
    func chunksPartition() {
        for cores in 1...64 {
            for count in 0...400 {
                let ranges = CommitJudge.chunkRanges(count: count, chunks: cores * 8)
                #expect(ranges.flatMap { Array($0) } == Array(0..<count), "count \(count), cores \(cores)")
            }
        }
    }
}
