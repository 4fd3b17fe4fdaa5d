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
        } catch let .alreadyExists(existing, _, message, _, _) {
            return try await refresh(existing, before: before, refusal: message)
        } catch where [400, 409, 422].contains(error.status ?? 0) {
            // A duplicate: GitHub says 422, GitLab and Gitea 409, Bitbucket 400.
            guard let existing = try await forge.findOpen(head: draft.head, base: draft.base) else { throw error }
            guard case let .http(_, message, _, _) = error else { throw error }
            return try await refresh(existing, before: before, refusal: message)
        }
    }

    /// Updates `existing` and says what changed, from what differs before and after: the
    /// number of requests sent says nothing (a long list takes several pages, a refused
    /// create one more), so an untouched PR is never reported as updated.
    private func refresh(_ existing: PullRequest, before: Int, refusal: String? = nil) async throws(ForgeError) -> PullRequestOutcome {
        let updated = try await forge.update(existing, to: draft)
        let changed = Self.changes(from: existing, to: updated)
        return PullRequestOutcome(action: changed.isEmpty ? "unchanged" : "updated", forge: forge, pullRequest: updated,
                                  apiCalls: await forge.requestCount - before, changed: changed, refusal: refusal)
    }

    /// The fields of a PR an update can change that differ between `before` and `after`.
    static func changes(from before: PullRequest, to after: PullRequest) -> [String] {
        var changed: [String] = []
        if before.title != after.title { changed.append("title") }
        if before.body != after.body { changed.append("body") }
        if Set(before.labels) != Set(after.labels) { changed.append("labels") }
        if before.draft != after.draft { changed.append("draft state") }
        return changed
    }
}
