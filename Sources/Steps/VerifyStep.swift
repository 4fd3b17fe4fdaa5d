import Foundation
import Git
import Signatures

/// What `capstan verify` checks and how strictly.
public struct VerifyOptions: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        /// The one commit REV (default HEAD).
        case head
        /// An annotated tag's signature and the commit it points at.
        case tag
        /// Every commit in BASE..HEAD.
        case range
        /// Every commit back to one carrying the seal trailer, or to a given base.
        case strict
    }

    public var repository: String
    /// REV, or BASE..HEAD for range (and strict with a base).
    public var revision: String?
    /// Nil: from the trusted configuration, else range for BASE..HEAD, else head.
    public var mode: Mode?
    /// Key files or folders: on disk outside the checkout, or (with `trustFrom`) relative
    /// paths in the trusted revision's tree.
    public var keyPaths: [String]
    public var allowedSigners: [String]
    /// Keys trusted only for merge commits (GitHub's web-flow key signs merges made in its UI).
    public var mergeKeyPaths: [String]
    /// A revision the caller trusts: its .capstan.yaml (and the key files it names) supply
    /// what flags leave unset. Default: the base of a BASE..HEAD range.
    public var trustFrom: String?
    /// A .capstan.yaml outside the checkout that supplies what flags leave unset.
    public var configFile: String?
    public var keyValidity: KeyValidity
    public var allowWeak: Bool
    public var requireCommitterMatch: Bool
    /// The trailer that ends a strict walk.
    public var sealTrailer: String

    public init(repository: String = ".", revision: String? = nil, mode: Mode? = nil, keyPaths: [String] = [],
                allowedSigners: [String] = [], mergeKeyPaths: [String] = [], trustFrom: String? = nil, configFile: String? = nil,
                keyValidity: KeyValidity = .now, allowWeak: Bool = false, requireCommitterMatch: Bool = false,
                sealTrailer: String = "Capstan-Seal") {
        self.repository = repository
        self.revision = revision
        self.mode = mode
        self.keyPaths = keyPaths
        self.allowedSigners = allowedSigners
        self.mergeKeyPaths = mergeKeyPaths
        self.trustFrom = trustFrom
        self.configFile = configFile
        self.keyValidity = keyValidity
        self.allowWeak = allowWeak
        self.requireCommitterMatch = requireCommitterMatch
        self.sealTrailer = sealTrailer
    }
}

/// Why `capstan verify` could not even start checking.
public enum VerifyError: Error, Sendable, CustomStringConvertible {
    case keys(SignatureError)
    case git(GitError)
    case usage(String)

    public var description: String {
        switch self {
        case let .keys(error): "keys: \(error)"
        case let .git(error): "git: \(error)"
        case let .usage(message): message
        }
    }
}

/// `capstan verify`: checks the signatures on the commits (and tag) a mode covers against
/// the given keys; fails closed on anything that is not a good signature.
public struct VerifyStep: Sendable {
    public let options: VerifyOptions

    public init(options: VerifyOptions) {
        self.options = options
    }

    public func run() throws(VerifyError) -> VerifyOutcome {
        let policy = VerificationPolicy(allowWeak: options.allowWeak, keyValidity: options.keyValidity)
        let repository: Repository
        do { repository = try Repository.open(options.repository) } catch { throw .git(error) }
        let trust = try VerifyTrust.resolve(options, repository: repository)
        let mode = options.mode ?? trust.mode ?? (options.revision?.contains("..") == true ? .range : .head)
        let judge = CommitJudge(
            verifier: SignatureVerifier(keys: trust.keys, policy: policy),
            mergeVerifier: trust.mergeKeys.isEmpty ? nil : SignatureVerifier(keys: trust.mergeKeys, policy: policy),
            requireCommitterMatch: options.requireCommitterMatch
        )
        var notes = ["keys and mode trusted from \(trust.origin)"]
        notes += (trust.keys.keyRing.skipped + trust.mergeKeys.keyRing.skipped).map { "skipped key: \($0)" }
        notes += trust.keys.unusable + trust.mergeKeys.unusable
        let entries: [VerifyOutcome.Entry]
        do {
            switch mode {
            case .head:
                let id = try repository.resolve((options.revision ?? "HEAD") + "^{commit}")
                try refuseJudging(trust, [id])
                entries = [judge.judge(try repository.signedCommit(id))]
            case .tag:
                entries = try verifyTag(repository, judge: judge, trust: trust)
            case .range:
                guard let (base, head) = try rangeEnds(repository, required: true) else { throw VerifyError.usage("--mode range needs BASE..HEAD") }
                let ids = try repository.commits(from: head, excluding: base)
                try refuseJudging(trust, ids)
                entries = try judge.judgeAll(ids, repository: repository)
            case .strict:
                if let (base, head) = try rangeEnds(repository, required: false) {
                    let ids = try repository.commits(from: head, excluding: base)
                    try refuseJudging(trust, ids)
                    entries = try judge.judgeAll(ids, repository: repository)
                } else {
                    let head = try repository.resolve((options.revision ?? "HEAD") + "^{commit}")
                    let seal = options.sealTrailer
                    let commits = try repository.commits(from: head) { $0.trailer(seal) != nil }
                    try refuseJudging(trust, commits.map(\.id))
                    if !commits.contains(where: { $0.trailer(seal) != nil }) {
                        notes.append("no commit carries a \(seal): trailer; checked the whole history")
                    }
                    entries = judge.judgeAll(commits)
                }
            }
        } catch let error as GitError {
            throw .git(error)
        } catch let error as VerifyError {
            throw error
        } catch {
            throw .usage("\(error)")
        }
        return VerifyOutcome(mode: mode.rawValue, entries: entries, notes: notes)
    }

    /// Trust read from a commit being judged would let that commit vouch for itself.
    private func refuseJudging(_ trust: VerifyTrust, _ ids: [ObjectID]) throws(VerifyError) {
        guard let commit = trust.commit, ids.contains(commit) else { return }
        throw .usage("trust would come from \(trust.origin), which is one of the commits being verified: "
            + "name a revision the pipeline trusts (the target branch) with --trust-from, or give --keys / --config")
    }

    /// BASE..HEAD from the revision argument; nil when it has no `..` and one is not required.
    private func rangeEnds(_ repository: Repository, required: Bool) throws -> (ObjectID, ObjectID)? {
        guard let revision = options.revision, let dots = revision.range(of: "..") else {
            if required { throw VerifyError.usage("--mode range needs BASE..HEAD") }
            return nil
        }
        let baseText = String(revision[..<dots.lowerBound])
        let headText = String(revision[dots.upperBound...])
        guard !baseText.isEmpty else { throw VerifyError.usage("\(revision): the range needs a base (BASE..HEAD)") }
        let base = try repository.resolve(baseText + "^{commit}")
        let head = try repository.resolve((headText.isEmpty ? "HEAD" : headText) + "^{commit}")
        return (base, head)
    }

    private func verifyTag(_ repository: Repository, judge: CommitJudge, trust: VerifyTrust) throws -> [VerifyOutcome.Entry] {
        guard let name = options.revision else { throw VerifyError.usage("--mode tag needs a tag name") }
        let id: ObjectID
        if let direct = try? repository.resolve("refs/tags/" + name) { id = direct } else { id = try repository.resolve(name) }
        guard try repository.objectType(id) == "tag" else {
            return [VerifyOutcome.Entry(kind: "tag", id: id.hex, summary: name, committer: nil,
                                        verdict: Verdict(status: .unsigned, format: nil, reason: "\(name) is a lightweight tag: it cannot carry a signature"))]
        }
        let tag = try repository.signedTag(id)
        if tag.targetType == "commit" { try refuseJudging(trust, [tag.target]) }
        let verdict = tag.payloadProblem.map { Verdict(status: .bad, format: nil, reason: $0) }
            ?? judge.verifier.verify(signature: tag.signature, over: tag.signedPayload, at: tag.taggerTime)
        var entries = [VerifyOutcome.Entry(kind: "tag", id: id.hex, summary: tag.name, committer: tag.taggerEmail,
                                           verdict: judge.bindIdentity(verdict, email: tag.taggerEmail))]
        if tag.targetType == "commit" {
            entries.append(judge.judge(try repository.signedCommit(tag.target)))
        }
        return entries
    }
}

/// Applies the verifier and the merge-key and committer rules to one commit.
struct CommitJudge: Sendable {
    let verifier: SignatureVerifier
    let mergeVerifier: SignatureVerifier?
    let requireCommitterMatch: Bool

    func judge(_ commit: SignedCommit) -> VerifyOutcome.Entry {
        if let problem = commit.payloadProblem {
            return VerifyOutcome.Entry(kind: "commit", id: commit.id.hex, summary: commit.summary, committer: commit.committerEmail,
                                       verdict: Verdict(status: .bad, format: nil, reason: problem))
        }
        var verdict = verifier.verify(signature: commit.signature, over: commit.signedPayload, at: commit.committerTime)
        if verdict.status == .unknownKey, let mergeVerifier {
            let mergeVerdict = mergeVerifier.verify(signature: commit.signature, over: commit.signedPayload, at: commit.committerTime)
            if commit.isMerge {
                verdict = mergeVerdict.isGood ? Verdict(status: .good, format: mergeVerdict.format, signer: mergeVerdict.signer,
                    primaryKey: mergeVerdict.primaryKey, identities: mergeVerdict.identities, signedAt: mergeVerdict.signedAt,
                    reason: mergeVerdict.reason + " (merge-only key)") : mergeVerdict
            } else if mergeVerdict.status != .unknownKey {
                verdict = Verdict(status: .bad, format: mergeVerdict.format, signer: mergeVerdict.signer, identities: mergeVerdict.identities,
                                  signedAt: mergeVerdict.signedAt, reason: "signed by a key trusted only for merge commits, and this commit has \(commit.parents.count) parent(s)")
            }
        }
        return VerifyOutcome.Entry(kind: "commit", id: commit.id.hex, summary: commit.summary, committer: commit.committerEmail,
                                   verdict: bindIdentity(verdict, email: commit.committerEmail))
    }

    func bindIdentity(_ verdict: Verdict, email: String?) -> Verdict {
        guard requireCommitterMatch, verdict.isGood else { return verdict }
        if let email, verdict.identityMatches(email: email) { return verdict }
        return Verdict(status: .bad, format: verdict.format, signer: verdict.signer, primaryKey: verdict.primaryKey,
                       identities: verdict.identities, signedAt: verdict.signedAt,
                       reason: "good signature, but \(email ?? "the committer") is not an identity of the signing key")
    }
}
