import Foundation

/// GitHub (github.com and Enterprise Server's `/api/v3`), REST v3.
public struct GitHubForge: Forge {
    public let kind = ForgeKind.github
    public let project: String
    let client: HTTPClient
    private let requiredChecks = GitHubRequiredChecksMemo()
    private var repo: String { "/repos/\(project)" }
    private var owner: String { String(project.split(separator: "/").first ?? "") }
    private var pulls: RepositoryPulls { RepositoryPulls(client: client, repo: repo, read: Self.pullRequest) }

    public init(project: String, client: HTTPClient) {
        self.project = project
        self.client = client
    }

    public var requestCount: Int { get async { await client.count } }

    public func find(head: String, base: String, includeClosed: Bool) async throws(ForgeError) -> [PullRequest] {
        let query = ["state": includeClosed ? "all" : "open", "head": "\(owner):\(head)", "base": base, "per_page": "100"]
        return try await Pagination.linked(client, "\(repo)/pulls", query: query) { (page) throws(ForgeError) in
            try page.list().map(Self.pullRequest)
        }.filter { $0.head == head && $0.base == base }
    }

    /// A draft is GitHub's `draft` flag; labels go on the issue after the PR exists.
    public func open(_ draft: PullRequestDraft) async throws(ForgeError) -> PullRequest {
        var body: [String: Any] = ["title": draft.title, "head": draft.head, "base": draft.base, "body": draft.body]
        if draft.draft { body["draft"] = true }
        var opened = try await pulls.create(body)
        if !draft.labels.isEmpty {
            opened.labels = try await pulls.addLabels(draft.labels, on: opened.number)
        }
        if !draft.reviewers.isEmpty {
            try await pulls.requestReviewers(draft.reviewers, on: opened.number)
        }
        return opened
    }

    public func update(_ current: PullRequest, to draft: PullRequestDraft) async throws(ForgeError) -> PullRequest {
        try await pulls.update(current, title: draft.title, body: draft.body, labels: draft.labels, encode: { $0 })
    }

    public func pullRequest(_ number: Int) async throws(ForgeError) -> PullRequest {
        try await pulls.get(number)
    }

    /// Commit statuses and check runs (GitHub Actions reports only those) of the head,
    /// together: red if any is red, pending if any is pending, green when some are green.
    public func checks(of pullRequest: PullRequest) async throws(ForgeError) -> CheckState {
        summary(of: pullRequest, checks: try await checkList(of: pullRequest))
    }

    public func summary(of pullRequest: PullRequest, checks: [Check]) -> CheckState {
        Self.combine(CheckState.summary(checks), unfinishedElsewhere: pullRequest.forgeReportsUnfinishedChecks || pullRequest.forgeReportsBlocked)
    }

    /// The latest status per context (the combined status lists them), every check run, and
    /// each check the base's branch protection requires that has not reported (pending).
    public func checkList(of pullRequest: PullRequest) async throws(ForgeError) -> [Check] {
        let reported = try await reportedChecks(of: pullRequest)
        guard !pullRequest.base.isEmpty else { return reported }
        let (client, repo, base) = (client, repo, pullRequest.base)
        let required = try await requiredChecks.checks(of: base) { () async throws(ForgeError) in
            try await GitHubRequiredChecks.read(client, repo: repo, base: base)
        }
        return required.applied(to: reported, base: base)
    }

    private func reportedChecks(of pullRequest: PullRequest) async throws(ForgeError) -> [Check] {
        let sha = pullRequest.headSHA
        var checks: [Check] = []
        for entry in try await combinedStatuses(of: sha) {
            let state = try entry.string("state")
            checks.append(Check(name: try entry.string("context"), state: state == "success" ? .success : state == "pending" ? .pending : .failure,
                                detail: state))
        }
        return checks + (try await checkRuns(of: sha))
    }

    /// The latest status per context of `sha` (the combined status), every page: GitHub pages
    /// them past 30 or 100 contexts with a `Link` header, so one page alone let a red context
    /// on the next one go unseen. `total_count` counts them all: fewer read is an error.
    func combinedStatuses(of sha: String) async throws(ForgeError) -> [JSONValue] {
        let path = "\(repo)/commits/\(sha)/status"
        var total = 0
        let statuses = try await Pagination.linked(client, path, query: [:]) { (page) throws(ForgeError) in
            total = max(total, try page.int("total_count"))
            return try page.list("statuses")
        }
        guard statuses.count >= total else {
            throw .unexpectedAnswer("the combined status's total_count is \(total) but its pages held \(statuses.count) statuses",
                                    method: "GET", path: path)
        }
        return statuses
    }

    /// Every check run of `sha`, all pages (100 a page, following the `Link` header); fewer
    /// than the `total_count` GitHub announces is a list cut short, an error.
    func checkRuns(of sha: String) async throws(ForgeError) -> [Check] {
        let path = "\(repo)/commits/\(sha)/check-runs"
        var total = 0
        let runs = try await Pagination.linked(client, path, query: ["per_page": "100"]) { (page) throws(ForgeError) in
            total = max(total, try page.int("total_count"))
            return try page.list("check_runs").map(Self.checkRun)
        }
        guard runs.count >= total else {
            throw .unexpectedAnswer("the check runs' total_count is \(total) but their pages held \(runs.count)", method: "GET", path: path)
        }
        return runs
    }

    /// GitHub's documented meaning of a run: completed with success, neutral or skipped is
    /// green; queued, in progress, waiting, requested or pending is pending; anything else
    /// (failure, cancelled, timed_out, action_required, stale, startup_failure) is red.
    static func checkRun(_ json: JSONValue) throws(ForgeError) -> Check {
        let name = try json.string("name")
        let status = try json.string("status")
        guard status == "completed" else {
            guard ["queued", "in_progress", "waiting", "requested", "pending"].contains(status) else {
                throw json["status"].mistake("a check run status GitHub documents")
            }
            return Check(name: name, state: .pending, detail: status)
        }
        let conclusion = try json.optionalString("conclusion") ?? "none"
        return Check(name: name, state: ["success", "neutral", "skipped"].contains(conclusion) ? .success : .failure, detail: conclusion)
    }

    /// Commit statuses are not all of GitHub's checks: check runs (GitHub Actions) show only
    /// as the PR's `mergeable_state: unstable`. Green statuses with an unstable PR are
    /// therefore not green: wait (a red check run keeps the PR unstable until --wait ends).
    /// A `blocked` PR (required checks not registered yet, reviews missing) is pending too:
    /// merging it would only earn a 405.
    static func combine(_ statuses: CheckState, unfinishedElsewhere: Bool) -> CheckState {
        guard unfinishedElsewhere else { return statuses }
        return statuses == .failure ? .failure : .pending
    }

    /// GitHub refuses a status whose description is longer than 140 characters (422 "description
    /// is too long (maximum is 140 characters)", recorded by packit/ogr) and takes the first
    /// 140: those are sent, so a long description does not cost the status itself.
    public func postStatus(_ status: CommitStatus, on sha: String) async throws(ForgeError) {
        var status = status
        if status.description.unicodeScalars.count > Self.statusDescriptionLimit {
            status.description = String(String.UnicodeScalarView(status.description.unicodeScalars.prefix(Self.statusDescriptionLimit)))
        }
        try await pulls.postStatus(status, on: sha)
    }

    /// Characters (code points, as GitHub counts them) a commit status description may have.
    static let statusDescriptionLimit = 140

    private var issueComments: IssueComments { IssueComments(client: client, repo: repo) }

    public func comment(on number: Int, body: String) async throws(ForgeError) {
        _ = try await issueComments.create(on: number, body: body)
    }

    /// Lists the issue comments 100 a page (every page), oldest first; edits with PATCH /issues/comments/{id}.
    public func upsertComment(on number: Int, marker: String, body: String) async throws(ForgeError) -> CommentResult {
        let existing = try await Pagination.linked(client, "\(repo)/issues/\(number)/comments", query: ["per_page": "100"]) {
            (page) throws(ForgeError) in try page.list().map(IssueComments.comment)
        }
        return try await issueComments.upsert(on: number, marker: marker, body: body, existing: existing)
    }

    public func close(_ number: Int) async throws(ForgeError) -> PullRequest {
        try await pulls.edit(number, ["state": "closed"])
    }

    public func merge(_ pullRequest: PullRequest, sha: String, method: MergeMethod, message: String?) async throws(ForgeError) -> MergeResult {
        var body: [String: Any] = ["sha": sha, "merge_method": method.rawValue]
        if let message { body["commit_title"] = message }
        let answer = try await client.send("PUT", "\(repo)/pulls/\(pullRequest.number)/merge", json: body, accepting: [405, 409])
        if let refusal = await RepositoryPulls.refusal(in: answer, client: client) {
            guard answer.status == 405, let meanwhile = await closedMeanwhile(pullRequest.number, refusal: await client.message(in: answer)) else {
                return .refused(refusal)
            }
            return .refused(meanwhile)
        }
        let json = try answer.json
        if try json.bool("merged") == false { return .refused(.notMergeable(await client.message(in: answer))) }
        return .merged(sha: try json.optionalString("sha"))
    }

    /// GitHub answers the merge of a PR that another merge landed first (or that was closed)
    /// with the same 405 "Pull Request is not mergeable" it gives a conflict (recorded by
    /// Mergify's engine, 2018). One read says which, so the refusal is told truthfully; nil
    /// when the PR is still open (the words then classify it) or the read fails.
    private func closedMeanwhile(_ number: Int, refusal words: String) async -> MergeRefusal? {
        guard let current = try? await pulls.get(number), current.state != .open else { return nil }
        return .notOpen(state: current.state.rawValue, mergeSHA: current.mergeSHA, message: words)
    }

    public func deleteBranch(_ name: String) async throws(ForgeError) {
        _ = try await client.send("DELETE", "\(repo)/git/refs/heads/\(HTTPClient.branchPath(name))", accepting: [422])
    }

    /// A list answer carries `merged_at` but not `merged`; `mergeable` null means not known yet.
    static func pullRequest(_ json: JSONValue) throws(ForgeError) -> PullRequest {
        let mergedFlag = try json.optionalBool("merged")
        let mergedAt = try json.optionalString("merged_at")
        let merged = mergedFlag == true || mergedAt != nil
        var pullRequest = try RepositoryPulls.pullRequest(json, merged: merged, mergeable: json.optionalBool("mergeable"),
                                                      draft: json["draft"].bool ?? false)
        pullRequest.forgeReportsUnfinishedChecks = json["mergeable_state"].string == "unstable"
        pullRequest.forgeReportsBlocked = json["mergeable_state"].string == "blocked"
        return pullRequest
    }
}

extension MergeRefusal {
    /// Tells a branch behind its base or a required merge queue, then a policy veto
    /// (protection, required reviews or checks), from a plain "not mergeable" (conflicts)
    /// by the forge's own words.
    static func classify(_ message: String) -> MergeRefusal {
        let lower = message.lowercased()
        let behindOrQueueWords = ["merge queue", "out of date", "out-of-date", "not up to date", "behind"]
        if behindOrQueueWords.contains(where: lower.contains) { return .behindOrQueued(message) }
        let policyWords = ["queue", "protect", "review", "required", "policy", "status check", "approv", "blocked"]
        return policyWords.contains(where: lower.contains) ? .policy(message) : .notMergeable(message)
    }
}
