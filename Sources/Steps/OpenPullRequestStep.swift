import Forges

/// Makes sure exactly one open PR goes from `head` into `base` and says what `draft`
/// says: finds it and updates what differs, or opens it. A create the forge refuses
/// because one appeared meanwhile (a concurrent run) ends in finding and updating that one.
public struct OpenPullRequestStep: Sendable {
    public let forge: any Forge
    public let draft: PullRequestDraft

    public init(forge: any Forge, draft: PullRequestDraft) {
        self.forge = forge
        self.draft = draft
    }

    public func run() async throws(PullRequestError) -> PullRequestOutcome {
        let before = await forge.requestCount
        do {
            if let existing = try await forge.findOpen(head: draft.head, base: draft.base) {
                return try await refresh(existing, before: before)
            }
            return try await openOrAdopt(before: before)
        } catch {
            throw .forge(error)
        }
    }

    private func openOrAdopt(before: Int) async throws(ForgeError) -> PullRequestOutcome {
        do {
            let opened = try await forge.open(draft)
            return PullRequestOutcome(action: "opened", forge: forge, pullRequest: opened, apiCalls: await forge.requestCount - before)
        } catch where [400, 409, 422].contains(error.status ?? 0) {
            // A duplicate: GitHub says 422, GitLab and Gitea 409, Bitbucket 400.
            guard let existing = try await forge.findOpen(head: draft.head, base: draft.base) else { throw error }
            return try await refresh(existing, before: before)
        }
    }

    private func refresh(_ existing: PullRequest, before: Int) async throws(ForgeError) -> PullRequestOutcome {
        let updated = try await forge.update(existing, to: draft)
        let calls = await forge.requestCount - before
        return PullRequestOutcome(action: calls > 1 ? "updated" : "unchanged", forge: forge, pullRequest: updated, apiCalls: calls)
    }
}
