import Words

/// A pull (merge) request as Capstan needs it, the same on every forge.
public struct PullRequest: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case open, closed, merged }

    public var number: Int
    public var url: String
    public var title: String
    public var body: String
    public var head: String
    public var base: String
    /// The head commit the forge sees now.
    public var headSHA: String
    public var state: State
    /// nil while the forge is still computing it.
    public var mergeable: Bool?
    /// The commit the merge (or squash, or last rebased commit) produced, once merged.
    public var mergeSHA: String?
    public var draft: Bool
    public var labels: [String]
    /// The forge's own version counter of the PR (Bitbucket Data Center pins merges to it).
    public var revision: Int?
    /// Whether the forge's own summary of the PR says some check is not green, including
    /// checks the status API Capstan reads does not list (GitHub check runs show only in
    /// `mergeable_state: unstable`). Such a PR is waited on, never merged.
    public var forgeReportsUnfinishedChecks = false
    /// Whether the forge says branch protection still holds the PR back: required checks
    /// not reported yet or required reviews missing (GitHub's `mergeable_state: blocked`).
    /// Such a PR is waited on like a pending check, never merged into a 405.
    public var forgeReportsBlocked = false
    /// Checks the forge reports in the PR's own answer (GitLab's head pipeline), already judged.
    public var forgeChecks: [Check] = []
    /// The forge's own id of the project (Azure DevOps addresses a PR's policy evaluations by it).
    public var projectID: String?

    /// The forge's own reason to hold the PR back, for the poll log; nil when it gives none.
    public var forgeHold: String? {
        if forgeReportsBlocked { return "blocked by branch protection: required checks or reviews not there yet" }
        if forgeReportsUnfinishedChecks { return "the forge reports checks not green yet" }
        return nil
    }

    public init(number: Int, url: String, title: String, body: String, head: String, base: String, headSHA: String,
                state: State, mergeable: Bool?, mergeSHA: String?, draft: Bool, labels: [String] = [], revision: Int? = nil) {
        self.number = number
        self.url = url
        self.title = title
        self.body = body
        self.head = head
        self.base = base
        self.headSHA = headSHA
        self.state = state
        self.mergeable = mergeable
        self.mergeSHA = mergeSHA
        self.draft = draft
        self.labels = labels
        self.revision = revision
    }
}

/// What to open, or what an existing PR should say.
public struct PullRequestDraft: Sendable {
    public var head: String
    public var base: String
    public var title: String
    public var body: String
    public var labels: [String]
    public var reviewers: [String]
    public var draft: Bool

    public init(head: String, base: String, title: String, body: String = "", labels: [String] = [],
                reviewers: [String] = [], draft: Bool = false) {
        self.head = head
        self.base = base
        self.title = title
        self.body = body
        self.labels = labels
        self.reviewers = reviewers
        self.draft = draft
    }
}

/// How to merge.
public enum MergeMethod: String, Sendable, Codable, CaseIterable {
    case merge, squash, rebase
}

/// The combined state of the checks on a commit.
public enum CheckState: String, Sendable, Codable {
    /// No checks reported at all.
    case none
    case pending, success, failure
}

/// One check on a commit as the forge reported it (a status context, a check run, a
/// pipeline, a policy), already judged by that forge's own definition of green.
public struct Check: Sendable, Codable, Equatable {
    public var name: String
    public var state: CheckState
    /// The forge's own word for it (`failure`, `in_progress`, `FAILED`, …).
    public var detail: String

    /// Name and detail come from whoever posted the status: made one printable line, so they
    /// cannot add lines to `pr status` (one check a line) or rewrite the terminal (a CR over
    /// "failure").
    public init(name: String, state: CheckState, detail: String) {
        self.name = ForeignWords.printable(name)
        self.state = state
        self.detail = ForeignWords.printable(detail)
    }
}

extension CheckState {
    /// One state for many: red wins, then pending; green only when something reported.
    public static func summary(_ checks: [Check]) -> CheckState {
        let states = checks.map(\.state)
        if states.contains(.failure) { return .failure }
        if states.contains(.pending) { return .pending }
        return states.contains(.success) ? .success : .none
    }
}

/// A commit status to post.
public struct CommitStatus: Sendable {
    public enum State: String, Sendable, CaseIterable { case pending, success, failure, error }
    public var state: State
    public var context: String
    public var description: String
    public var targetURL: String?
    /// Azure DevOps: the context's genre (who posted it: `fluxcd` for notification-controller).
    public var genre: String?

    public init(state: State, context: String, description: String = "", targetURL: String? = nil, genre: String? = nil) {
        self.state = state
        self.context = context
        self.description = description
        self.targetURL = targetURL
        self.genre = genre
    }
}

/// Why a merge request was refused, as the forge told it.
public enum MergeRefusal: Sendable, Equatable {
    /// The head is no longer the SHA the merge was pinned to (GitHub/Gitea 409).
    case headMoved(String)
    /// Conflicts or otherwise not mergeable (405).
    case notMergeable(String)
    /// A branch protection or policy said no.
    case policy(String)
    /// The forge wants the head brought up to date with its base first, or the merge made
    /// through its merge queue: the change is fine, the way in is not this one.
    case behindOrQueued(String)
    /// The PR was no longer open when the merge reached the forge (merged or closed meanwhile,
    /// by someone else or an earlier merge): `state` is the forge's own word for what a read
    /// after the refusal found ("merged", "declined"), with its merge commit, and `message` the
    /// refusal's words. Not a conflict: nothing about this PR can be merged any more.
    case notOpen(state: String, mergeSHA: String?, message: String)
}

/// The answer to asking the forge to merge when the checks pass.
public enum AutoMergeResult: Sendable, Equatable {
    /// The forge will merge once the checks pass.
    case scheduled
    /// The checks had passed: the forge merged at once.
    case merged(sha: String?)
    case refused(MergeRefusal)
}

/// The answer to a merge.
public enum MergeResult: Sendable, Equatable {
    case merged(sha: String?)
    case refused(MergeRefusal)
}
