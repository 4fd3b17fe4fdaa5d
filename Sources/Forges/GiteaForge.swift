import Foundation

/// Gitea and Forgejo, API v1. `mergeable: false` is read as "not known yet" (Gitea
/// gives it while checking too); the merge itself refuses conflicts with 405. Labels are sent by name when not numeric (Gitea ≥ 1.19 and
/// Forgejo accept names where older versions took only ids); draft PRs are "WIP:" titles.
public struct GiteaForge: Forge {
    public let kind: ForgeKind
    public let project: String
    let client: HTTPClient
    private var repo: String { "/repos/\(project)" }
    private var pulls: RepositoryPulls { RepositoryPulls(client: client, repo: repo, read: Self.pullRequest) }

    public init(kind: ForgeKind = .gitea, project: String, client: HTTPClient) {
        self.kind = kind
        self.project = project
        self.client = client
    }

    public var requestCount: Int { get async { await client.count } }

    public func find(head: String, base: String, includeClosed: Bool) async throws(ForgeError) -> [PullRequest] {
        let query = ["state": includeClosed ? "all" : "open", "sort": "recentupdate", "limit": "50"]
        return try await Pagination.linked(client, "\(repo)/pulls", query: query) { (page) throws(ForgeError) in
            try page.list().filter(Self.isFromThisRepository).map(Self.pullRequest)
        }.filter { $0.head == head && $0.base == base }
    }

    /// Whether a PR's head branch lives in the repository it targets: the list has no head
    /// filter and carries forks' PRs (gitea.com's holds one from 6543-forks), and a fork's
    /// branch of the same name is someone else's.
    static func isFromThisRepository(_ json: JSONValue) -> Bool {
        guard let from = json["head"]["repo_id"].int, let to = json["base"]["repo_id"].int else { return true }
        return from == to
    }

    /// Labels go in the opening request itself; a draft is a "WIP:" title.
    public func open(_ draft: PullRequestDraft) async throws(ForgeError) -> PullRequest {
        var body: [String: Any] = ["title": Self.title(of: draft), "head": draft.head, "base": draft.base, "body": draft.body]
        if !draft.labels.isEmpty { body["labels"] = Self.labels(draft.labels) }
        let opened = try await pulls.create(body)
        if !draft.reviewers.isEmpty {
            try await pulls.requestReviewers(draft.reviewers, on: opened.number)
        }
        return opened
    }

    public func update(_ current: PullRequest, to draft: PullRequestDraft) async throws(ForgeError) -> PullRequest {
        try await pulls.update(current, title: Self.title(of: draft), body: draft.body, labels: draft.labels, encode: Self.labels)
    }

    public func pullRequest(_ number: Int) async throws(ForgeError) -> PullRequest {
        try await pulls.get(number)
    }

    public func checks(of pullRequest: PullRequest) async throws(ForgeError) -> CheckState {
        CheckState.summary(try await checkList(of: pullRequest))
    }

    /// The latest status per context: failure, error or warning red, success green, the rest pending.
    public func checkList(of pullRequest: PullRequest) async throws(ForgeError) -> [Check] {
        let sha = pullRequest.headSHA
        let statuses = try await Pagination.linked(client, "\(repo)/commits/\(sha)/statuses", query: ["limit": "50"]) {
            (page) throws(ForgeError) in try page.list()
        }
        // Newest first: the first status seen per context is its current one.
        var latest: [String: String] = [:]
        for status in statuses {
            let context = status["context"].string ?? ""
            if latest[context] == nil { latest[context] = status["status"].string ?? status["state"].string ?? "" }
        }
        return latest.sorted { $0.key < $1.key }.map { name, word in
            Check(name: name, state: ["failure", "error", "warning"].contains(word) ? .failure : word == "success" ? .success : .pending, detail: word)
        }
    }

    public func postStatus(_ status: CommitStatus, on sha: String) async throws(ForgeError) {
        try await pulls.postStatus(status, on: sha)
    }

    private var issueComments: IssueComments { IssueComments(client: client, repo: repo) }

    public func comment(on number: Int, body: String) async throws(ForgeError) {
        _ = try await issueComments.create(on: number, body: body)
    }

    /// Gitea lists all of an issue's comments in one answer, oldest first; edits with
    /// PATCH /issues/comments/{id}.
    public func upsertComment(on number: Int, marker: String, body: String) async throws(ForgeError) -> CommentResult {
        let existing = try await client.send("GET", "\(repo)/issues/\(number)/comments").json.list().map(IssueComments.comment)
        return try await issueComments.upsert(on: number, marker: marker, body: body, existing: existing)
    }

    public func close(_ number: Int) async throws(ForgeError) -> PullRequest {
        try await pulls.edit(number, ["state": "closed"])
    }

    public func merge(_ pullRequest: PullRequest, sha: String, method: MergeMethod, message: String?) async throws(ForgeError) -> MergeResult {
        var body: [String: Any] = ["Do": method.rawValue, "head_commit_id": sha]
        if let message { body["MergeTitleField"] = message }
        let answer = try await client.send("POST", "\(repo)/pulls/\(pullRequest.number)/merge", json: body, accepting: [405, 409])
        if let refusal = await refusal(in: answer, base: pullRequest.base) { return .refused(refusal) }
        // Gitea answers an empty 200; the merge commit is on the PR, and so is whether it merged.
        let after = try await self.pullRequest(pullRequest.number)
        guard after.state == .merged else {
            throw .unexpectedAnswer("the merge answered \(answer.status) but the PR read back is \(after.state.rawValue)",
                                    method: "POST", path: "\(repo)/pulls/\(pullRequest.number)/merge")
        }
        return .merged(sha: after.mergeSHA)
    }

    /// POST …/merge with `merge_when_checks_succeed` (Gitea ≥ 1.17, Forgejo), pinned to `sha`;
    /// the PR read back says whether it merged at once.
    public func enableAutoMerge(_ pullRequest: PullRequest, sha: String, method: MergeMethod) async throws(ForgeError) -> AutoMergeResult {
        let body: [String: Any] = ["Do": method.rawValue, "head_commit_id": sha, "merge_when_checks_succeed": true]
        let answer = try await client.send("POST", "\(repo)/pulls/\(pullRequest.number)/merge", json: body, accepting: [405, 409])
        if let refusal = await refusal(in: answer, base: pullRequest.base) { return .refused(refusal) }
        let after = try await self.pullRequest(pullRequest.number)
        return after.state == .merged ? .merged(sha: after.mergeSHA) : .scheduled
    }

    public func deleteBranch(_ name: String) async throws(ForgeError) {
        _ = try await client.send("DELETE", "\(repo)/branches/\(HTTPClient.branchPath(name))", accepting: [404])
    }

    /// A draft's title starts "WIP:", Gitea's way of marking drafts.
    static func title(of draft: PullRequestDraft) -> String {
        draft.draft && !draft.title.hasPrefix("WIP:") ? "WIP: " + draft.title : draft.title
    }

    static func labels(_ names: [String]) -> [Any] {
        names.map { name -> Any in Int(name) ?? name }
    }

    static func pullRequest(_ json: JSONValue) throws(ForgeError) -> PullRequest {
        // Gitea says false both for conflicts and while it is still checking: only true is an answer.
        try RepositoryPulls.pullRequest(json, merged: json.optionalBool("merged") == true,
                                        mergeable: json.optionalBool("mergeable") == true ? true : nil,
                                        draft: json.string("title").hasPrefix("WIP:"))
    }
}
