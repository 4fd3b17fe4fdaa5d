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
    public var mode: Mode
    public var keyPaths: [String]
    public var allowedSigners: [String]
    /// Keys trusted only for merge commits (GitHub's web-flow key signs merges made in its UI).
    public var mergeKeyPaths: [String]
    public var allowWeak: Bool
    public var requireCommitterMatch: Bool
    /// The trailer that ends a strict walk.
    public var sealTrailer: String

    public init(repository: String = ".", revision: String? = nil, mode: Mode = .head, keyPaths: [String] = [],
                allowedSigners: [String] = [], mergeKeyPaths: [String] = [], allowWeak: Bool = false,
                requireCommitterMatch: Bool = false, sealTrailer: String = "Capstan-Seal") {
        self.repository = repository
        self.revision = revision
        self.mode = mode
        self.keyPaths = keyPaths
        self.allowedSigners = allowedSigners
        self.mergeKeyPaths = mergeKeyPaths
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
        let policy = VerificationPolicy(allowWeak: options.allowWeak)
        let trusted = try loadKeys(options.keyPaths, allowedSigners: options.allowedSigners)
        let mergeOnly = try loadKeys(options.mergeKeyPaths, allowedSigners: [])
        guard !trusted.isEmpty || !mergeOnly.isEmpty else {
            throw .usage("no keys: give --keys PATH (OpenPGP or SSH public keys) or --allowed-signers FILE")
        }
        let judge = CommitJudge(
            verifier: SignatureVerifier(keys: trusted, policy: policy),
            mergeVerifier: mergeOnly.isEmpty ? nil : SignatureVerifier(keys: mergeOnly, policy: policy),
            requireCommitterMatch: options.requireCommitterMatch
        )
        let repository: Repository
        do { repository = try Repository.open(options.repository) } catch { throw .git(error) }
        var notes = trusted.keyRing.skipped.map { "skipped key: \($0)" }
        let entries: [VerifyOutcome.Entry]
        do {
            switch options.mode {
            case .head:
                let id = try repository.resolve((options.revision ?? "HEAD") + "^{commit}")
                entries = [judge.judge(try repository.signedCommit(id))]
            case .tag:
                entries = try verifyTag(repository, judge: judge)
            case .range:
                guard let (base, head) = try rangeEnds(repository, required: true) else { throw VerifyError.usage("unreachable") }
                let ids = try repository.commits(from: head, excluding: base)
                entries = try judge.judgeAll(ids, repositoryAt: options.repository, fallback: repository)
            case .strict:
                if let (base, head) = try rangeEnds(repository, required: false) {
                    let ids = try repository.commits(from: head, excluding: base)
                    entries = try judge.judgeAll(ids, repositoryAt: options.repository, fallback: repository)
                } else {
                    let head = try repository.resolve((options.revision ?? "HEAD") + "^{commit}")
                    let seal = options.sealTrailer
                    let commits = try repository.commits(from: head) { $0.trailer(seal) != nil }
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
        return VerifyOutcome(mode: options.mode.rawValue, entries: entries, notes: notes)
    }

    private func loadKeys(_ paths: [String], allowedSigners: [String]) throws(VerifyError) -> TrustedKeys {
        var keys = TrustedKeys()
        do {
            for path in paths { try keys.load(path: path) }
            for path in allowedSigners { try keys.loadAllowedSigners(path: path) }
        } catch {
            throw .keys(error)
        }
        return keys
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

    private func verifyTag(_ repository: Repository, judge: CommitJudge) throws -> [VerifyOutcome.Entry] {
        guard let name = options.revision else { throw VerifyError.usage("--mode tag needs a tag name") }
        let id: ObjectID
        if let direct = try? repository.resolve("refs/tags/" + name) { id = direct } else { id = try repository.resolve(name) }
        guard try repository.objectType(id) == "tag" else {
            return [VerifyOutcome.Entry(kind: "tag", id: id.hex, summary: name, committer: nil,
                                        verdict: Verdict(status: .unsigned, format: nil, reason: "\(name) is a lightweight tag: it cannot carry a signature"))]
        }
        let tag = try repository.signedTag(id)
        let verdict = judge.verifier.verify(signature: tag.signature, over: tag.signedPayload, at: tag.taggerTime)
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
