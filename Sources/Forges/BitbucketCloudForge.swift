import Foundation

/// Bitbucket Cloud, REST 2.0. It has no merge pinned to a SHA: Capstan re-reads the PR
/// right before merging and refuses when the head differs from the one it checked (the
/// forge's own 409 covers refs moving during the merge). Hashes may come abbreviated (12
/// hex digits); they are compared by prefix. Bitbucket has no PR labels (ignored);
/// reviewers are account UUIDs ("{…}").
public struct BitbucketCloudForge: Forge {
    public let kind = ForgeKind.bitbucketCloud
    public let project: String
    let client: HTTPClient
    private var repo: String { "/repositories/\(project)" }

    public init(project: String, client: HTTPClient) {
        self.project = project
        self.client = client
    }

    public var requestCount: Int { get async { await client.count } }

    public func find(head: String, base: String, includeClosed: Bool) async throws(ForgeError) -> [PullRequest] {
        var found: [PullRequest] = []
        for state in includeClosed ? ["OPEN", "MERGED"] : ["OPEN"] {
            found += try await Pagination.nextField(client, "\(repo)/pullrequests", query: ["state": state, "pagelen": "50"]) {
                (page) throws(ForgeError) in try page.list("values").filter(Self.isFromThisRepository).map(Self.pullRequest)
            }.filter { $0.head == head && $0.base == base }
            if !found.isEmpty { break }
        }
        return found
    }

    public func open(_ draft: PullRequestDraft) async throws(ForgeError) -> PullRequest {
        var body: [String: Any] = [
            "type": "pullrequest", "title": draft.title, "summary": ["raw": draft.body],
            "source": ["branch": ["name": draft.head]], "destination": ["branch": ["name": draft.base]],
        ]
        if draft.draft { body["draft"] = true }
        if !draft.reviewers.isEmpty { body["reviewers"] = draft.reviewers.map { ["uuid": $0] } }
        return try Self.pullRequest(try await client.send("POST", "\(repo)/pullrequests", json: body).json)
    }

    public func update(_ current: PullRequest, to draft: PullRequestDraft) async throws(ForgeError) -> PullRequest {
        guard current.title != draft.title || current.body != draft.body else { return current }
        let body: [String: Any] = ["type": "pullrequest", "title": draft.title, "summary": ["raw": draft.body]]
        return try Self.pullRequest(try await client.send("PUT", "\(repo)/pullrequests/\(current.number)", json: body).json)
    }

    public func pullRequest(_ number: Int) async throws(ForgeError) -> PullRequest {
        try Self.pullRequest(try await client.send("GET", "\(repo)/pullrequests/\(number)").json)
    }

    /// Bitbucket lists build statuses per PR; those of other commits than the head are skipped.
    public func checks(of pullRequest: PullRequest) async throws(ForgeError) -> CheckState {
        CheckState.summary(try await checkList(of: pullRequest))
    }

    /// The latest build status per key on the head: FAILED or STOPPED red, SUCCESSFUL green, INPROGRESS pending.
    /// A bare commit (`pr status --sha`, PR number 0) has no PR to list them: its own statuses are read.
    public func checkList(of pullRequest: PullRequest) async throws(ForgeError) -> [Check] {
        let sha = pullRequest.headSHA
        let list = pullRequest.number > 0 ? "\(repo)/pullrequests/\(pullRequest.number)/statuses" : "\(repo)/commit/\(sha)/statuses"
        // Sorted by creation, the head's statuses last: every page is read.
        let statuses = try await Pagination.nextField(client, list, query: ["pagelen": "100"]) {
            (page) throws(ForgeError) in try page.list("values")
        }
        // One status a key; shown by its name (Jenkins' keys are MD5 sums), else by its key.
        var latest: [String: (name: String, word: String)] = [:]
        for status in statuses {
            if let link = status["links"]["commit"]["href"].string, !link.contains(String(sha.prefix(12))) { continue }
            let key = status["key"].string ?? ""
            let name = status["name"].string.flatMap { $0.isEmpty ? nil : $0 } ?? key
            if latest[key] == nil { latest[key] = (name, status["state"].string ?? "") }
        }
        return latest.sorted { $0.key < $1.key }.map { _, entry in
            Check(name: entry.name, state: ["FAILED", "STOPPED"].contains(entry.word) ? .failure : entry.word == "SUCCESSFUL" ? .success : .pending,
                  detail: entry.word)
        }
    }

    public func postStatus(_ status: CommitStatus, on sha: String) async throws(ForgeError) {
        let state = switch status.state {
        case .pending: "INPROGRESS"
        case .success: "SUCCESSFUL"
        case .failure, .error: "FAILED"
        }
        let body: [String: Any] = ["type": "commitstatus", "key": status.context, "state": state, "name": status.context,
                                   "description": status.description, "url": status.targetURL ?? "https://capstan.invalid/status"]
        _ = try await client.send("POST", "\(repo)/commit/\(sha)/statuses/build", json: body)
    }

    public func comment(on number: Int, body: String) async throws(ForgeError) {
        _ = try await client.send("POST", "\(repo)/pullrequests/\(number)/comments", json: ["type": "pullrequest_comment", "content": ["raw": body]])
    }

    /// Lists the PR's comments 100 a page (oldest first) until there is no `next`, skipping
    /// deleted ones; edits with PUT …/comments/{comment_id}.
    public func upsertComment(on number: Int, marker: String, body: String) async throws(ForgeError) -> CommentResult {
        let comments = "\(repo)/pullrequests/\(number)/comments"
        let existing = try await Pagination.nextField(client, comments, query: ["pagelen": "100"]) { (page) throws(ForgeError) in
            try page.list("values").filter { $0["deleted"].bool != true }.map(Self.comment)
        }
        return try await CommentUpsert.run(marker: marker, body: body, existing: existing, edit: { (found) throws(ForgeError) in
            Self.comment(try await client.send("PUT", "\(comments)/\(found.id)", json: ["type": "pullrequest_comment", "content": ["raw": body]]).json)
        }, create: { () throws(ForgeError) in
            Self.comment(try await client.send("POST", comments, json: ["type": "pullrequest_comment", "content": ["raw": body]]).json)
        })
    }

    static func comment(_ json: JSONValue) -> ExistingComment {
        ExistingComment(id: json["id"].int.map(String.init) ?? "", body: json["content"]["raw"].string ?? "",
                        url: json["links"]["html"]["href"].string ?? "")
    }

    public func close(_ number: Int) async throws(ForgeError) -> PullRequest {
        try Self.pullRequest(try await client.send("POST", "\(repo)/pullrequests/\(number)/decline").json)
    }

    public func merge(_ pullRequest: PullRequest, sha: String, method: MergeMethod, message: String?) async throws(ForgeError) -> MergeResult {
        // No SHA pin in the API: compare the head right before merging.
        let current = try await self.pullRequest(pullRequest.number)
        guard Self.sameCommit(current.headSHA, sha) else {
            return .refused(.headMoved("the head is now \(current.headSHA), not the \(sha.prefix(12)) checked"))
        }
        let strategy = switch method {
        case .merge: "merge_commit"
        case .squash: "squash"
        case .rebase: "rebase_fast_forward"
        }
        var body: [String: Any] = ["type": "pullrequest_merge_parameters", "merge_strategy": strategy]
        if let message { body["message"] = message }
        let answer = try await client.send("POST", "\(repo)/pullrequests/\(pullRequest.number)/merge", json: body, accepting: [400, 409])
        let words = await client.message(in: answer)
        switch answer.status {
        case 409: return .refused(.headMoved(words))
        case 400: return .refused(try await closedMeanwhile(pullRequest.number, refusal: words) ?? MergeRefusal.classify(words))
        case 202: return try await followMergeTask(answer, number: pullRequest.number, sha: sha)
        default: return try mergedChecked(try Self.pullRequest(answer.json), sha, answered: "the merge answered \(answer.status)")
        }
    }

    /// A merged PR as the merge's result, when its head is the one checked: without a pin, a
    /// push between the last look and the merge is merged with it, and the merged PR names
    /// the head it merged.
    private func mergedChecked(_ merged: PullRequest, _ sha: String, answered: String) throws(ForgeError) -> MergeResult {
        guard merged.state == .merged else {
            throw .unexpectedAnswer("\(answered) but the PR is \(merged.state.rawValue)", method: "POST", path: "\(repo)/pullrequests/\(merged.number)/merge")
        }
        guard Self.sameCommit(merged.headSHA, sha) else {
            throw .unexpectedAnswer("the PR merged (merge commit \(merged.mergeSHA ?? "unknown")), but its head was \(merged.headSHA), "
                + "not the head checked (\(sha.prefix(12))): a push landed between Capstan's last look and the merge, and was merged unchecked",
                method: "POST", path: "\(repo)/pullrequests/\(merged.number)/merge")
        }
        return .merged(sha: merged.mergeSHA)
    }

    /// What the PR became when bitbucket.org refuses its merge as "already closed" (400
    /// "newstatus: This pull request is already closed."): merged by someone else or an
    /// earlier merge, or declined, between Capstan's last read and its merge. One read says
    /// which, so the refusal is told truthfully; nil when the words say otherwise or the PR
    /// is still open (then the refusal is classified by its words).
    private func closedMeanwhile(_ number: Int, refusal words: String) async throws(ForgeError) -> MergeRefusal? {
        guard words.lowercased().contains("already closed") else { return nil }
        let json = try await client.send("GET", "\(repo)/pullrequests/\(number)").json
        let current = try Self.pullRequest(json)
        guard current.state != .open else { return nil }
        return .notOpen(state: try json.string("state").lowercased(), mergeSHA: current.mergeSHA, message: words)
    }

    /// Bitbucket merges a slow PR in the background: 202 with the task to poll in `Location`.
    /// Polled twice a second for at most two minutes until SUCCESS, whose merged PR is the
    /// result; a failed task is a refusal in Bitbucket's words; one still pending is an error.
    private func followMergeTask(_ accepted: HTTPAnswer, number: Int, sha: String) async throws(ForgeError) -> MergeResult {
        let path = "\(repo)/pullrequests/\(number)/merge"
        guard let location = accepted.header("Location") else {
            throw .unexpectedAnswer("202 without the Location of the merge task", method: "POST", path: path)
        }
        let ended = try await Polling(reads: 240).first(readingAtOnce: true) { () throws(ForgeError) -> MergeResult? in
            let answer = try await client.follow(location, accepting: [400, 403, 409])
            guard answer.status == 200 else { return .refused(MergeRefusal.classify(await client.message(in: answer))) }
            let task = try answer.json
            switch try task.string("task_status") {
            case "PENDING":
                return nil
            case "SUCCESS":
                return try mergedChecked(try Self.pullRequest(task["merge_result"].object()), sha, answered: "the merge task succeeded")
            default:
                throw task["task_status"].mistake("PENDING or SUCCESS")
            }
        }
        guard let ended else {
            throw .unexpectedAnswer("the merge task was still PENDING after two minutes; the PR may yet merge", method: "GET", path: path)
        }
        return ended
    }

    public func deleteBranch(_ name: String) async throws(ForgeError) {
        _ = try await client.send("DELETE", "\(repo)/refs/branches/\(HTTPClient.branchPath(name))", accepting: [404])
    }

    static func sameCommit(_ a: String, _ b: String) -> Bool {
        let length = min(a.count, b.count)
        return length >= 7 && a.prefix(length) == b.prefix(length)
    }

    /// Whether a PR's source branch lives in the repository it targets: a fork's PR from a
    /// branch of the same name is someone else's, not Capstan's.
    static func isFromThisRepository(_ json: JSONValue) -> Bool {
        let from = json["source"]["repository"], to = json["destination"]["repository"]
        if let fromID = from["uuid"].string, let toID = to["uuid"].string { return fromID == toID }
        guard let fromName = from["full_name"].string, let toName = to["full_name"].string else { return true }
        return fromName.lowercased() == toName.lowercased()
    }

    static func pullRequest(_ json: JSONValue) throws(ForgeError) -> PullRequest {
        let state: PullRequest.State = switch try json.string("state") {
        case "OPEN": .open
        case "MERGED": .merged
        case "DECLINED", "SUPERSEDED": .closed
        default: throw json["state"].mistake("OPEN, MERGED, DECLINED or SUPERSEDED")
        }
        let pullRequest = PullRequest(
            number: try json.int("id"), url: try json["links"]["html"].string("href"), title: try json.string("title"),
            body: json["summary"]["raw"].string ?? "", head: try json["source"]["branch"].string("name"),
            base: try json["destination"]["branch"].string("name"), headSHA: try json["source"]["commit"].string("hash"),
            // Bitbucket Cloud does not report mergeability: an open PR is taken as mergeable and
            // the merge itself refuses conflicts (400).
            state: state, mergeable: json["mergeable"].bool ?? (state == .open ? true : nil), mergeSHA: state == .merged ? json["merge_commit"]["hash"].string : nil,
            draft: json["draft"].bool ?? false)
        return pullRequest
    }
}

