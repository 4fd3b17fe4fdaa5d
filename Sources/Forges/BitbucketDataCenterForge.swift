import Foundation

/// Bitbucket Data Center (and Server), REST `api/latest` (= 1.0). The project is
/// "PROJECTKEY/repo". Merges are pinned to the PR's `version`, which Bitbucket bumps when
/// the source branch moves; the head SHA is also compared. Required builds show as merge
/// vetoes (`GET …/merge`), which is where Capstan reads the checks; build statuses are
/// posted to `commits/{sha}/builds`. Bitbucket DC has no PR labels (ignored); reviewers
/// are user names.
public struct BitbucketDataCenterForge: Forge {
    public let kind = ForgeKind.bitbucketDataCenter
    public let project: String
    let client: HTTPClient

    private var repo: String {
        let parts = project.split(separator: "/").map(String.init)
        return "/projects/\(parts.first ?? "")/repos/\(parts.last ?? "")"
    }

    public init(project: String, client: HTTPClient) {
        self.project = project
        self.client = client
    }

    public var requestCount: Int { get async { await client.count } }

    public func find(head: String, base: String, includeClosed: Bool) async throws(ForgeError) -> [PullRequest] {
        let query = ["state": includeClosed ? "ALL" : "OPEN", "at": "refs/heads/\(base)", "direction": "INCOMING", "limit": "50"]
        return try await Pagination.startLimit(client, "\(repo)/pull-requests", query: query) { (page) throws(ForgeError) in
            try page.list("values").filter(Self.isFromThisRepository).map(Self.pullRequest)
        }.filter { $0.head == head && $0.base == base }
    }

    /// Whether a PR's source branch lives in the repository it targets: a fork's PR from a
    /// branch of the same name is someone else's (real lists carry them), not Capstan's.
    static func isFromThisRepository(_ json: JSONValue) -> Bool {
        let from = json["fromRef"]["repository"], to = json["toRef"]["repository"]
        guard let fromSlug = from["slug"].string, let toSlug = to["slug"].string else { return true }
        return fromSlug == toSlug && from["project"]["key"].string == to["project"]["key"].string
    }

    public func open(_ draft: PullRequestDraft) async throws(ForgeError) -> PullRequest {
        var body: [String: Any] = ["title": draft.title, "description": draft.body, "draft": draft.draft,
                                   "fromRef": ["id": "refs/heads/\(draft.head)"], "toRef": ["id": "refs/heads/\(draft.base)"]]
        if !draft.reviewers.isEmpty { body["reviewers"] = draft.reviewers.map { ["user": ["name": $0]] } }
        let answer = try await client.send("POST", "\(repo)/pull-requests", json: body, accepting: [409])
        guard answer.status == 409 else { return try Self.pullRequest(answer.json) }
        let refusal = await client.refusal(answer)
        guard let json = try? answer.json, let existing = Self.duplicate(in: json, project: project, head: draft.head, base: draft.base),
              case let .http(status, message, method, path) = refusal
        else { throw refusal }
        throw .alreadyExists(existing, status: status, message: message, method: method, path: path)
    }

    public func update(_ current: PullRequest, to draft: PullRequestDraft) async throws(ForgeError) -> PullRequest {
        guard current.title != draft.title || current.body != Self.storedDescription(draft.body) else { return current }
        let body: [String: Any] = ["title": draft.title, "description": draft.body, "version": current.revision ?? 0]
        return try Self.pullRequest(try await client.send("PUT", "\(repo)/pull-requests/\(current.number)", json: body).json)
    }

    /// The description as Bitbucket stores it: without trailing newlines and spaces (a real
    /// server answered "- One\n- Two\n" with "- One\n- Two"). Compared in this form, a body
    /// ending in a newline (a YAML block scalar, a file) is not edited again on every run.
    static func storedDescription(_ body: String) -> String {
        var stored = Substring(body)
        while let last = stored.last, last.isWhitespace { stored = stored.dropLast() }
        return String(stored)
    }

    public func pullRequest(_ number: Int) async throws(ForgeError) -> PullRequest {
        try Self.pullRequest(try await client.send("GET", "\(repo)/pull-requests/\(number)").json)
    }

    /// The merge vetoes about builds: a failed one is a failure, others (in progress, not
    /// yet reported) pending. Vetoes of other kinds (approvals) are left to the merge, which
    /// they make fail with the forge's words.
    public func checks(of pullRequest: PullRequest) async throws(ForgeError) -> CheckState {
        summary(of: pullRequest, checks: try await checkList(of: pullRequest))
    }

    public func summary(of pullRequest: PullRequest, checks: [Check]) -> CheckState {
        checks.isEmpty ? .success : CheckState.summary(checks)
    }

    /// The merge vetoes about builds, each a check: red when it says failed, else pending.
    /// A bare commit (`pr status --sha`, PR number 0) has no merge to veto: its build
    /// statuses are read instead, the newest per key.
    public func checkList(of pullRequest: PullRequest) async throws(ForgeError) -> [Check] {
        guard pullRequest.number > 0 else {
            return try await commitStatuses(on: pullRequest.headSHA).map { status in
                Check(name: status.context, state: status.state == .success ? .success : status.state == .pending ? .pending : .failure,
                      detail: status.state.rawValue)
            }
        }
        let answer = try await client.send("GET", "\(repo)/pull-requests/\(pullRequest.number)/merge")
        return try answer.json.list("vetoes").compactMap { veto -> Check? in
            let summary = veto["summaryMessage"].string ?? ""
            let words = (summary + " " + (veto["detailedMessage"].string ?? "")).lowercased()
            guard words.contains("build") else { return nil }
            return Check(name: summary, state: words.contains("fail") ? .failure : .pending, detail: veto["detailedMessage"].string ?? "")
        }
    }

    public func postStatus(_ status: CommitStatus, on sha: String) async throws(ForgeError) {
        let state = switch status.state {
        case .pending: "INPROGRESS"
        case .success: "SUCCESSFUL"
        case .failure, .error: "FAILED"
        }
        let body: [String: Any] = ["key": status.context, "state": state, "name": status.context, "description": status.description,
                                   "url": status.targetURL ?? "https://capstan.invalid/status"]
        _ = try await client.send("POST", "\(repo)/commits/\(sha)/builds", json: body)
    }

    public func comment(on number: Int, body: String) async throws(ForgeError) {
        _ = try await client.send("POST", "\(repo)/pull-requests/\(number)/comments", json: ["text": body])
    }

    /// Data Center lists general PR comments only as activities (newest first, paged by
    /// `start`); the comment in a COMMENTED activity is its current text and version. Edits
    /// are PUT …/comments/{commentId} pinned to that version.
    public func upsertComment(on number: Int, marker: String, body: String) async throws(ForgeError) -> CommentResult {
        let pull = "\(repo)/pull-requests/\(number)"
        var existing: [ExistingComment] = []
        var start = 0
        for _ in 1...50 {
            let answer = try await client.send("GET", "\(pull)/activities", query: ["start": "\(start)", "limit": "100"]).json
            existing += try answer.list("values").filter { $0["action"].string == "COMMENTED" && $0["comment"].exists }
                .map { Self.comment($0["comment"]) }
            guard answer["isLastPage"].bool == false, let next = answer["nextPageStart"].int else { break }
            start = next
        }
        return try await CommentUpsert.run(marker: marker, body: body, existing: existing.reversed(), edit: { (found) throws(ForgeError) in
            Self.comment(try await client.send("PUT", "\(pull)/comments/\(found.id)", json: ["text": body, "version": found.version ?? 0]).json)
        }, create: { () throws(ForgeError) in
            Self.comment(try await client.send("POST", "\(pull)/comments", json: ["text": body]).json)
        })
    }

    static func comment(_ json: JSONValue) -> ExistingComment {
        ExistingComment(id: json["id"].int.map(String.init) ?? "", body: json["text"].string ?? "", url: "", version: json["version"].int)
    }

    public func close(_ number: Int) async throws(ForgeError) -> PullRequest {
        let current = try await pullRequest(number)
        return try Self.pullRequest(try await client.send("POST", "\(repo)/pull-requests/\(number)/decline",
                                                      query: ["version": "\(current.revision ?? 0)"]).json)
    }

    public func merge(_ pullRequest: PullRequest, sha: String, method: MergeMethod, message: String?) async throws(ForgeError) -> MergeResult {
        guard pullRequest.headSHA == sha else { return .refused(.headMoved("the head is \(pullRequest.headSHA), not \(sha)")) }
        let strategy = switch method {
        case .merge: "no-ff"
        case .squash: "squash"
        case .rebase: "rebase-ff-only"
        }
        var body: [String: Any] = ["strategyId": strategy, "version": pullRequest.revision ?? 0]
        if let message { body["message"] = message }
        let answer = try await client.send("POST", "\(repo)/pull-requests/\(pullRequest.number)/merge",
                                           query: ["version": "\(pullRequest.revision ?? 0)"], json: body, accepting: [409])
        guard answer.status == 409 else {
            // A 200 whose PR is not MERGED is no merge, whatever the status says.
            let merged = try Self.pullRequest(answer.json)
            guard merged.state == .merged else {
                throw .unexpectedAnswer("the merge answered 200 but the PR is \(merged.state.rawValue)", method: "POST",
                                        path: "\(repo)/pull-requests/\(pullRequest.number)/merge")
            }
            return .merged(sha: merged.mergeSHA)
        }
        let words = await client.message(in: answer)
        let lower = words.lowercased()
        if lower.contains("out-of-date") || lower.contains("out of date") || lower.contains("version") {
            return .refused(.headMoved(words))
        }
        if lower.contains("conflict") { return .refused(.notMergeable(words)) }
        return .refused(.policy(words))
    }

    public var canDeleteBranches: Bool { false }

    public func deleteBranch(_ name: String) async throws(ForgeError) {
        throw .unsupported("Bitbucket Data Center: delete the branch with the branch-utils API or the repository's auto-delete setting")
    }

    static func pullRequest(_ json: JSONValue) throws(ForgeError) -> PullRequest {
        let state: PullRequest.State = switch try json.string("state") {
        case "OPEN": .open
        case "MERGED": .merged
        case "DECLINED": .closed
        default: throw json["state"].mistake("OPEN, MERGED or DECLINED")
        }
        return PullRequest(
            number: try json.int("id"), url: json["links"]["self"].array.first?["href"].string ?? "", title: try json.string("title"),
            body: json["description"].string ?? "", head: try json["fromRef"].string("displayId"),
            base: try json["toRef"].string("displayId"), headSHA: try json["fromRef"].string("latestCommit"), state: state,
            // The merge itself refuses conflicts (409); an open PR is taken as mergeable.
            mergeable: state == .open ? true : nil,
            // A merged PR names its merge commit in `properties.mergeCommit`; its `toRef.latestCommit`
            // is another commit in a real answer that has both, so it never stands in: reverting or
            // waiting for it would act on someone else's change. No merge commit named, none reported.
            mergeSHA: state == .merged ? try json["properties"]["mergeCommit"].optionalCommitID("id") : nil,
            draft: json["draft"].bool ?? false, revision: json["version"].int)
    }
}
