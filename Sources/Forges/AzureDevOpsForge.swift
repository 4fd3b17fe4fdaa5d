import Foundation

/// Azure DevOps Services and Server, Git REST 7.1. The API root is the organisation (or
/// collection) URL; the project is "PROJECT/REPOSITORY". Completing a PR is a PATCH to
/// `status: completed` pinned with `lastMergeSourceCommit`; Azure may complete it a moment
/// later, so Capstan re-reads until it is completed. Checks are the head's commit statuses,
/// the PR's own statuses and its blocking policy evaluations.
public struct AzureDevOpsForge: Forge {
    public let kind = ForgeKind.azure
    public let project: String
    let client: HTTPClient
    static let apiVersion = "7.1"

    private var repo: String {
        let parts = project.split(separator: "/", maxSplits: 1).map(String.init)
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text }
        return "/\(encode(parts.first ?? ""))/_apis/git/repositories/\(encode(parts.count > 1 ? parts[1] : parts.first ?? ""))"
    }

    public init(project: String, client: HTTPClient) {
        self.project = project
        self.client = client
    }

    public var requestCount: Int { get async { await client.count } }

    func send(_ method: String, _ path: String, query: [String: String] = [:], json: [String: Any]? = nil,
              accepting: Set<Int> = []) async throws(ForgeError) -> HTTPAnswer {
        try await client.send(method, repo + path, query: query.merging(["api-version": Self.apiVersion]) { $1 },
                              body: json.map(JSONBody.encode), accepting: accepting)
    }

    public func find(head: String, base: String, includeClosed: Bool) async throws(ForgeError) -> [PullRequest] {
        let criteria = [
            "searchCriteria.sourceRefName": "refs/heads/\(head)", "searchCriteria.targetRefName": "refs/heads/\(base)",
            "searchCriteria.status": includeClosed ? "all" : "active",
        ]
        return try await pages("/pullrequests", query: criteria).map(Self.pullRequest).filter { $0.head == head && $0.base == base }
    }

    /// Azure's page size: `$top` asked of every list read in pages.
    static let pageSize = 100

    /// Every `value` of a list, read to its end within `Pagination.maxPages`: Azure's REST
    /// description pages pull requests with `$top`/`$skip` (a full page means "ask on"),
    /// and where Azure answers with an `x-ms-continuationtoken` header (or a
    /// `continuationToken` field) the next page is asked with that token instead.
    private func pages(_ path: String, query: [String: String]) async throws(ForgeError) -> [JSONValue] {
        var all: [JSONValue] = []
        var position: [String: String] = ["$skip": "0"]
        for _ in 0..<Pagination.maxPages {
            let answer = try await send("GET", path, query: query.merging(["$top": "\(Self.pageSize)"]) { $1 }.merging(position) { $1 })
            let json = try answer.json
            let values = try json.list("value")
            all += values
            var token = answer.header("x-ms-continuationtoken")
            if token == nil { token = try json.optionalString("continuationToken") }
            if let token, !token.isEmpty {
                position = ["continuationToken": token]
            } else if values.count >= Self.pageSize {
                position = ["$skip": "\(all.count)"]
            } else {
                return all
            }
        }
        throw Pagination.tooLong(repo + path)
    }

    public func open(_ draft: PullRequestDraft) async throws(ForgeError) -> PullRequest {
        var body: [String: Any] = ["sourceRefName": "refs/heads/\(draft.head)", "targetRefName": "refs/heads/\(draft.base)",
                                   "title": draft.title, "description": draft.body, "isDraft": draft.draft]
        if !draft.labels.isEmpty { body["labels"] = draft.labels.map { ["name": $0] } }
        if !draft.reviewers.isEmpty { body["reviewers"] = draft.reviewers.map { ["id": $0] } }
        return try Self.pullRequest(try await send("POST", "/pullrequests", json: body).json)
    }

    public func update(_ current: PullRequest, to draft: PullRequestDraft) async throws(ForgeError) -> PullRequest {
        var updated = current
        if current.title != draft.title || current.body != draft.body {
            updated = try Self.pullRequest(try await send("PATCH", "/pullrequests/\(current.number)",
                                                      json: ["title": draft.title, "description": draft.body]).json)
        }
        for label in draft.labels where !current.labels.contains(label) {
            _ = try await send("POST", "/pullRequests/\(current.number)/labels", json: ["name": label])
            updated.labels.append(label)
        }
        return updated
    }

    public func pullRequest(_ number: Int) async throws(ForgeError) -> PullRequest {
        try Self.pullRequest(try await send("GET", "/pullrequests/\(number)").json)
    }

    public func checks(of pullRequest: PullRequest) async throws(ForgeError) -> CheckState {
        CheckState.summary(try await checkList(of: pullRequest))
    }

    /// The latest status per genre/name, notApplicable left out: failed, error or
    /// partiallySucceeded red, succeeded green, the rest (pending, notSet) pending, as
    /// `checkState` says why — the head's commit statuses and the PR's own statuses alike;
    /// with the PR's blocking policy evaluations.
    public func checkList(of pullRequest: PullRequest) async throws(ForgeError) -> [Check] {
        try await statusChecks(of: pullRequest) + (try await pullRequestStatusChecks(of: pullRequest))
            + (try await policyChecks(of: pullRequest))
    }

    private func statusChecks(of pullRequest: PullRequest) async throws(ForgeError) -> [Check] {
        let statuses = try await latestStatuses(on: pullRequest.headSHA)
        var latest: [String: String] = [:]
        for status in statuses {
            let name = (status["context"]["genre"].string ?? "") + "/" + (status["context"]["name"].string ?? "")
            if latest[name] == nil { latest[name] = status["state"].string ?? "" }
        }
        return latest.filter { $0.value != "notApplicable" }.sorted { $0.key < $1.key }.map { name, word in
            Check(name: name, state: Self.checkState(word), detail: word)
        }
    }

    /// Statuses - List with latestOnly: the newest status per genre and name.
    func latestStatuses(on sha: String) async throws(ForgeError) -> [JSONValue] {
        try await send("GET", "/commits/\(sha)/statuses", query: ["latestOnly": "true"]).json.list("value")
    }

    public func postStatus(_ status: CommitStatus, on sha: String) async throws(ForgeError) {
        let state = switch status.state {
        case .pending: "pending"
        case .success: "succeeded"
        case .failure: "failed"
        case .error: "error"
        }
        var body: [String: Any] = ["state": state, "description": status.description,
                                   "context": ["name": status.context, "genre": "capstan"]]
        if let url = status.targetURL { body["targetUrl"] = url }
        _ = try await send("POST", "/commits/\(sha)/statuses", json: body)
    }

    public func comment(on number: Int, body: String) async throws(ForgeError) {
        _ = try await send("POST", "/pullRequests/\(number)/threads",
                           json: ["comments": [["parentCommentId": 0, "content": body, "commentType": "text"]], "status": "active"])
    }

    /// Azure keeps comments in threads; the marked comment is a thread's first comment.
    /// The threads list is not paged. Edits are PATCH …/threads/{threadId}/comments/{commentId}.
    public func upsertComment(on number: Int, marker: String, body: String) async throws(ForgeError) -> CommentResult {
        let threads = try await send("GET", "/pullRequests/\(number)/threads").json.list("value")
        let existing = threads.filter { $0["isDeleted"].bool != true }.compactMap { thread -> ExistingComment? in
            guard let first = thread["comments"].array.first, first["isDeleted"].bool != true,
                  let threadID = thread["id"].int, let commentID = first["id"].int else { return nil }
            return ExistingComment(id: "\(threadID)/\(commentID)", body: first["content"].string ?? "", url: "")
        }
        return try await CommentUpsert.run(marker: marker, body: body, existing: existing, edit: { (found) throws(ForgeError) in
            let ids = found.id.split(separator: "/")
            guard ids.count == 2, let thread = ids.first, let comment = ids.last else {
                throw .unexpectedAnswer("comment id \(found.id) is not THREAD/COMMENT", method: "PATCH", path: "/pullRequests/\(number)/threads")
            }
            _ = try await send("PATCH", "/pullRequests/\(number)/threads/\(thread)/comments/\(comment)", json: ["content": body])
            return found
        }, create: { () throws(ForgeError) in
            let thread = try await send("POST", "/pullRequests/\(number)/threads",
                                        json: ["comments": [["parentCommentId": 0, "content": body, "commentType": "text"]], "status": "active"]).json
            return ExistingComment(id: "\(thread["id"].int ?? 0)/\(thread["comments"].array.first?["id"].int ?? 1)", body: body, url: "")
        })
    }

    public func close(_ number: Int) async throws(ForgeError) -> PullRequest {
        try Self.pullRequest(try await send("PATCH", "/pullrequests/\(number)", json: ["status": "abandoned"]).json)
    }

    public func merge(_ pullRequest: PullRequest, sha: String, method: MergeMethod, message: String?) async throws(ForgeError) -> MergeResult {
        try await merge(pullRequest, sha: sha, method: method, message: message, deletingBranch: false)
    }

    public func merge(_ pullRequest: PullRequest, sha: String, method: MergeMethod, message: String?,
                      deletingBranch: Bool) async throws(ForgeError) -> MergeResult {
        var options: [String: Any] = ["mergeStrategy": Self.strategy(method)]
        if let message { options["mergeCommitMessage"] = message }
        if deletingBranch { options["deleteSourceBranch"] = true }
        let body: [String: Any] = ["status": "completed", "lastMergeSourceCommit": ["commitId": sha], "completionOptions": options]
        let (answer, refusal) = try await patchCompletion(pullRequest.number, body)
        if let refusal { return .refused(refusal) }
        let answered = try Self.pullRequest(answer.json)
        guard answered.state == .open else { return Self.completion(answered) }
        // Completion is asynchronous: read until Azure says how it ended.
        let polling = Polling(reads: 30)
        let ended = try await polling.first { () throws(ForgeError) -> MergeResult? in
            let read = try await self.pullRequest(pullRequest.number)
            guard read.state == .open else { return Self.completion(read) }
            guard read.mergeable != false else {
                return .refused(.policy("Azure DevOps did not complete the pull request (merge status: conflicts or rejected by policy)"))
            }
            return nil
        }
        // Still active and not rejected after every read: Azure may yet complete it, so it
        // is neither merged nor refused (a pipeline told "refused" would skip waiting on and
        // reverting a merge that then happens).
        guard let ended else {
            throw .unexpectedAnswer("the pull request was still completing after \(polling.reads) reads; it may yet complete "
                + "(merged or not): look at the PR", method: "PATCH", path: "\(repo)/pullrequests/\(pullRequest.number)")
        }
        return ended
    }

    /// How a PR that is no longer open ended: merged, or not completed (abandoned).
    private static func completion(_ pullRequest: PullRequest) -> MergeResult {
        pullRequest.state == .merged ? .merged(sha: pullRequest.mergeSHA) : .refused(.policy("the pull request was not completed"))
    }

    /// Auto-complete: a PATCH setting `autoCompleteSetBy` (the identity that asks: the PR's
    /// creator, which is Capstan's own token when Capstan opened it) and the completion options;
    /// Azure then completes the PR once its policies pass. Azure's REST API takes no commit
    /// to pin this to, so the head is compared right before asking; the PR read back says
    /// whether it completed at once.
    public func enableAutoMerge(_ pullRequest: PullRequest, sha: String, method: MergeMethod) async throws(ForgeError) -> AutoMergeResult {
        let current = try await send("GET", "/pullrequests/\(pullRequest.number)").json
        let head = try current["lastMergeSourceCommit"].string("commitId")
        guard head == sha else { return .refused(.headMoved("the head is now \(head), not the \(sha.prefix(12)) checked")) }
        let identity = try current["createdBy"].string("id")
        let body: [String: Any] = ["autoCompleteSetBy": ["id": identity], "completionOptions": ["mergeStrategy": Self.strategy(method)]]
        let (answer, refusal) = try await patchCompletion(pullRequest.number, body)
        if let refusal { return .refused(refusal) }
        let after = try Self.pullRequest(answer.json)
        if after.state == .merged { return .merged(sha: after.mergeSHA) }
        guard try answer.json["autoCompleteSetBy"].optionalString("id") != nil else {
            throw .unexpectedAnswer("Azure DevOps did not keep autoCompleteSetBy on the pull request", method: "PATCH",
                                    path: "\(repo)/pullrequests/\(pullRequest.number)")
        }
        return .scheduled
    }

    /// PATCHes a completion (now, or auto-complete) onto the PR: Azure's 409 is a head that
    /// moved, its 400/403 a conflict or policy in its own words.
    private func patchCompletion(_ number: Int, _ body: [String: Any]) async throws(ForgeError) -> (answer: HTTPAnswer, refusal: MergeRefusal?) {
        let answer = try await send("PATCH", "/pullrequests/\(number)", json: body, accepting: [400, 403, 409])
        switch answer.status {
        case 409: return (answer, .headMoved(await client.message(in: answer)))
        case 400, 403: return (answer, MergeRefusal.classify(await client.message(in: answer)))
        default: return (answer, nil)
        }
    }

    static func strategy(_ method: MergeMethod) -> String {
        switch method {
        case .merge: "noFastForward"
        case .squash: "squash"
        case .rebase: "rebase"
        }
    }

    public var canDeleteBranches: Bool { false }
    public var deletesBranchOnMerge: Bool { true }

    public func deleteBranch(_ name: String) async throws(ForgeError) {
        throw .unsupported("Azure DevOps deletes the source branch on completion only; branch deletion after the merge is not supported")
    }

    static func pullRequest(_ json: JSONValue) throws(ForgeError) -> PullRequest {
        let state: PullRequest.State = switch try json.string("status") {
        case "active": .open
        case "completed": .merged
        case "abandoned": .closed
        default: throw json["status"].mistake("active, completed or abandoned")
        }
        let mergeable: Bool? = switch json["mergeStatus"].string {
        case "succeeded": true
        case "conflicts", "failure", "rejectedByPolicy": false
        default: nil
        }
        let number = try json.int("pullRequestId")
        let repository = json["repository"]
        var pullRequest = PullRequest(
            number: number, url: try Self.page(of: number, in: repository), title: try json.string("title"),
            body: json["description"].string ?? "",
            head: Self.branch(try json.string("sourceRefName")), base: Self.branch(try json.string("targetRefName")),
            headSHA: try json["lastMergeSourceCommit"].string("commitId"), state: state, mergeable: mergeable,
            mergeSHA: state == .merged ? json["lastMergeCommit"]["commitId"].string : nil, draft: json["isDraft"].bool ?? false,
            labels: json["labels"].array.compactMap { $0["name"].string })
        pullRequest.projectID = repository["project"]["id"].string
        return pullRequest
    }

    private static func branch(_ reference: String) -> String {
        return reference.hasPrefix("refs/heads/") ? String(reference.dropFirst(11)) : reference
    }
}
