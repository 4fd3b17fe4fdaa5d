import Forges
import Foundation
import Git
import Words

/// RevertPR: on a branch made from the base tip, a commit that reverts the PR's merge (or
/// squash) commit, made locally with libgit2, pushed, and proposed as a PR titled the way
/// forges title their own reverts. Re-running finds the revert PR already open.
public struct RevertPullRequestStep: Sendable {
    public enum Target: Sendable {
        case pullRequest(Int)
        case commit(String)
    }

    public let forge: any Forge
    public let target: Target
    public let repository: String
    public let base: String?
    public let credentials: CredentialOptions
    public let author: CommitPerson
    public let environment: [String: String]

    public init(forge: any Forge, target: Target, repository: String, base: String?, credentials: CredentialOptions,
                author: CommitPerson = UpdateOptions.defaultAuthor, environment: [String: String]) {
        self.forge = forge
        self.target = target
        self.repository = repository
        self.base = base
        self.credentials = credentials
        self.author = author
        self.environment = environment
    }

    public func run(log: @Sendable (String) -> Void = { _ in }) async throws(PullRequestError) -> PullRequestOutcome {
        let before = await forge.requestCount
        do {
            let (commitHex, baseBranch, title, reference) = try await describeTarget()
            let branch = "capstan/revert-" + reference
            // An open revert PR, or one already merged, means the revert is done or under way.
            let earlier = try await forge.find(head: branch, base: baseBranch, includeClosed: true)
            if let existing = earlier.first(where: { $0.state == .open }) ?? earlier.first(where: { $0.state == .merged }) {
                log("revert PR #\(existing.number) is already \(existing.state.rawValue)")
                return PullRequestOutcome(action: "found", forge: forge, pullRequest: existing, apiCalls: await forge.requestCount - before)
            }
            let subject = try pushRevert(of: commitHex, base: baseBranch, branch: branch, title: title, log: log)
            let body = "Reverts " + (reference.hasPrefix("pr-") ? "#\(reference.dropFirst(3)) (\(commitHex))" : commitHex) + ".\n"
            let draft = PullRequestDraft(head: branch, base: baseBranch, title: "Revert \"\(subject)\"", body: body)
            let opened = try await openOrFind(draft)
            return PullRequestOutcome(action: "reverted", forge: forge, pullRequest: opened, apiCalls: await forge.requestCount - before)
        } catch let error as PullRequestError {
            throw error
        } catch let error as ForgeError {
            throw .forge(error)
        } catch let error as GitError {
            throw .git(error)
        } catch let error as UpdateError {
            throw .update(error)
        } catch {
            throw .usage(String(describing: error))
        }
    }

    /// Opens the revert PR; when another run opened it between our look and our open, finds it.
    private func openOrFind(_ draft: PullRequestDraft) async throws(ForgeError) -> PullRequest {
        do {
            return try await forge.open(draft)
        } catch where [409, 422].contains(error.status ?? 0) {
            guard let existing = try await forge.findOpen(head: draft.head, base: draft.base) else { throw error }
            return existing
        }
    }

    /// The commit to revert, the branch it is on, the title to quote, and a name for the branch.
    private func describeTarget() async throws -> (String, String, String, String) {
        switch target {
        case let .pullRequest(number):
            let pullRequest = try await forge.pullRequest(number)
            guard pullRequest.state == .merged, let sha = pullRequest.mergeSHA else {
                throw PullRequestError.notOpen(number: number, state: "\(pullRequest.state.rawValue), not merged: nothing to revert")
            }
            return (sha, base ?? pullRequest.base, pullRequest.title, "pr-\(number)")
        case let .commit(sha):
            return (sha, base ?? "main", "", String(sha.prefix(12)))
        }
    }

    /// Pushes the revert commit; returns the reverted change's title (the PR's, or the commit's subject).
    private func pushRevert(of commitHex: String, base: String, branch: String, title: String,
                            log: @Sendable (String) -> Void) throws -> String {
        let url = RemoteURL(repository)
        let credentials = try CredentialResolver.resolve(self.credentials, for: url, environment: environment)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-revert-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let repository = try Repository.create(directory, bare: true)
        try repository.fetch(from: url, refspecs: ["+refs/heads/\(base):refs/remotes/origin/\(base)"], credentials: credentials)
        guard let tip = try repository.target(of: "refs/remotes/origin/\(base)") else {
            throw PullRequestError.usage("the remote has no branch \(base)")
        }
        // Some forges (Bitbucket) give abbreviated hashes: the fetched history resolves them.
        guard commitHex.count >= 7, commitHex.allSatisfy(\.isHexDigit) else { throw PullRequestError.usage("\(commitHex) is not a commit SHA") }
        let commit = try repository.resolve(commitHex)
        let subject = title.isEmpty ? try repository.subject(of: commit) : title
        let message = "Revert \"\(subject)\"\n\nThis reverts commit \(commit.hex).\n"
        let revert = try repository.revert(commit, onto: tip, author: author, message: message)
        try repository.setReference("refs/capstan/revert", to: revert, message: "capstan pr revert")
        let results = try repository.push(to: url, refspecs: ["+refs/capstan/revert:refs/heads/\(branch)"], credentials: credentials)
        if let rejected = results.first(where: { !$0.accepted }) {
            throw PullRequestError.usage("push to \(branch) rejected: \(ForeignWords.line(rejected.rejection ?? "rejected"))")
        }
        log("pushed revert \(revert.hex.prefix(7)) of \(commit.hex.prefix(7)) to \(branch)")
        return subject
    }
}
