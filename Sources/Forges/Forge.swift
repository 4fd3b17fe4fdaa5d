/// One forge's pull-request API, reduced to what Capstan's steps need. Each client maps
/// these onto its own endpoints and shapes; the steps never see the differences.
public protocol Forge: Sendable {
    var kind: ForgeKind { get }
    /// The repository, as the forge names it (owner/repo, group/sub/project, …).
    var project: String { get }
    /// How many API requests this client has sent (retries included).
    var requestCount: Int { get async }

    /// PRs from `head` into `base`: open ones, or all (open, closed, merged), newest first.
    func find(head: String, base: String, includeClosed: Bool) async throws(ForgeError) -> [PullRequest]
    func open(_ draft: PullRequestDraft) async throws(ForgeError) -> PullRequest
    /// Brings title, body, labels, reviewers and draft state of `current` in line with `draft`,
    /// sending only what differs.
    func update(_ current: PullRequest, to draft: PullRequestDraft) async throws(ForgeError) -> PullRequest
    func pullRequest(_ number: Int) async throws(ForgeError) -> PullRequest
    /// The combined state of the checks on the PR's head commit.
    func checks(of pullRequest: PullRequest) async throws(ForgeError) -> CheckState
    /// The combined state of `checks` (this PR's `checkList`) as this forge judges it, so a
    /// caller that reads the list once can act on both.
    func summary(of pullRequest: PullRequest, checks: [Check]) -> CheckState
    /// Each check on the PR's head commit (the latest per name), judged by the forge's own
    /// definition of green, every page read.
    func checkList(of pullRequest: PullRequest) async throws(ForgeError) -> [Check]
    func postStatus(_ status: CommitStatus, on sha: String) async throws(ForgeError)
    func comment(on number: Int, body: String) async throws(ForgeError)
    /// Keeps one comment per `marker` on the PR: edits the existing comment whose body
    /// contains `marker` in place (no write when it already says `body`), else posts one.
    /// `body` must contain `marker`, or the next call could not find the comment again.
    func upsertComment(on number: Int, marker: String, body: String) async throws(ForgeError) -> CommentResult
    func close(_ number: Int) async throws(ForgeError) -> PullRequest
    /// Merges pinned to `sha`: the forge refuses when the head moved.
    func merge(_ pullRequest: PullRequest, sha: String, method: MergeMethod, message: String?) async throws(ForgeError) -> MergeResult
    /// `merge`, also deleting the head branch in the same request where the forge's merge
    /// can (`deletesBranchOnMerge`).
    func merge(_ pullRequest: PullRequest, sha: String, method: MergeMethod, message: String?,
               deletingBranch: Bool) async throws(ForgeError) -> MergeResult
    func deleteBranch(_ name: String) async throws(ForgeError)
    /// Asks the forge to merge the PR itself, pinned to `sha`, once its checks pass, where its
    /// REST API offers that (GitLab's merge when pipeline succeeds, Gitea/Forgejo's merge when
    /// checks succeed); `ForgeError.unsupported` where it does not.
    func enableAutoMerge(_ pullRequest: PullRequest, sha: String, method: MergeMethod) async throws(ForgeError) -> AutoMergeResult
    /// Whether `deleteBranch` works on this forge; asked before merging, so a merge is
    /// never followed by a failure to clean up that could have been known up front.
    var canDeleteBranches: Bool { get }
    /// Whether the merge itself can delete the head branch (Azure DevOps completes a PR
    /// with `deleteSourceBranch`, and has no other way).
    var deletesBranchOnMerge: Bool { get }
}

extension Forge {
    public var canDeleteBranches: Bool { true }

    public func summary(of pullRequest: PullRequest, checks: [Check]) -> CheckState {
        CheckState.summary(checks)
    }

    public func enableAutoMerge(_ pullRequest: PullRequest, sha: String, method: MergeMethod) async throws(ForgeError) -> AutoMergeResult {
        throw .unsupported("--auto: \(kind.rawValue)'s REST API offers no merge-when-checks-pass; use pr merge --wait, which waits here")
    }
    public var deletesBranchOnMerge: Bool { false }

    public func merge(_ pullRequest: PullRequest, sha: String, method: MergeMethod, message: String?,
                      deletingBranch: Bool) async throws(ForgeError) -> MergeResult {
        try await merge(pullRequest, sha: sha, method: method, message: message)
    }

    /// The open PR from `head` into `base`, if there is one.
    public func findOpen(head: String, base: String) async throws(ForgeError) -> PullRequest? {
        try await find(head: head, base: base, includeClosed: false).first { $0.state == .open }
    }
}
