import Foundation

/// GitLab (gitlab.com and self-managed), REST v4. The project goes in paths URL-encoded
/// (`group%2Fsub%2Fproject`); reviewers are user ids, looked up by user name; a draft is
/// a "Draft:" title. `detailed_merge_status` (15.6+) or `merge_status` says whether
/// GitLab has finished computing mergeability.
public struct GitLabForge: Forge {
    public let kind = ForgeKind.gitlab
    public let project: String
    let client: HTTPClient
    private var repo: String {
        "/projects/" + (project.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? project)
    }

    public init(project: String, client: HTTPClient) {
        self.project = project
        self.client = client
    }

    public var requestCount: Int { get async { await client.count } }

    public func find(head: String, base: String, includeClosed: Bool) async throws(ForgeError) -> [PullRequest] {
        var query = ["source_branch": head, "target_branch": base, "per_page": "20"]
        query["state"] = includeClosed ? "all" : "opened"
        return try await Pagination.linked(client, "\(repo)/merge_requests", query: query) { (page) throws(ForgeError) in
            try page.list().filter(Self.isFromThisProject).map(Self.pullRequest)
        }.filter { $0.head == head && $0.base == base }
    }

    /// Whether an MR's source branch lives in the project it targets: a fork's MR from a
    /// branch of the same name is someone else's, not Capstan's.
    static func isFromThisProject(_ json: JSONValue) -> Bool {
        guard let source = json["source_project_id"].int, let target = json["target_project_id"].int else { return true }
        return source == target
    }

    public func open(_ draft: PullRequestDraft) async throws(ForgeError) -> PullRequest {
        var body: [String: Any] = ["source_branch": draft.head, "target_branch": draft.base, "title": Self.title(draft),
                                   "description": draft.body]
        if !draft.labels.isEmpty { body["labels"] = draft.labels.joined(separator: ",") }
        if !draft.reviewers.isEmpty { body["reviewer_ids"] = try await userIDs(draft.reviewers) }
        let created = try await write("POST", "\(repo)/merge_requests", json: body).json
        guard created["sha"].isNull else { return try Self.pullRequest(created) }
        return try await headComputed(of: try created.int("iid"), created: created)
    }

    /// GitLab may answer a create before it has computed the MR's diff (`sha: null`, gitlab.com
    /// did in release-tools' recordings): the MR exists, so it is read back, twice a second for
    /// at most five seconds, until GitLab names its head; still none is an error that says the
    /// MR was opened.
    private func headComputed(of number: Int, created: JSONValue) async throws(ForgeError) -> PullRequest {
        let read = try await Polling(reads: 10).first { () throws(ForgeError) -> JSONValue? in
            let read = try await client.send("GET", "\(repo)/merge_requests/\(number)").json
            return read["sha"].isNull ? nil : read
        }
        guard let read else { throw created["sha"].mistake("the head commit of !\(number), which GitLab opened but named no head for 5 s") }
        return try Self.pullRequest(read)
    }

    public func update(_ current: PullRequest, to draft: PullRequestDraft) async throws(ForgeError) -> PullRequest {
        var body: [String: Any] = [:]
        if current.title != Self.title(draft) { body["title"] = Self.title(draft) }
        if current.body != draft.body { body["description"] = draft.body }
        let missing = draft.labels.filter { !current.labels.contains($0) }
        if !missing.isEmpty { body["add_labels"] = missing.joined(separator: ",") }
        guard !body.isEmpty else { return current }
        return try Self.pullRequest(try await write("PUT", "\(repo)/merge_requests/\(current.number)", json: body).json)
    }

    public func pullRequest(_ number: Int) async throws(ForgeError) -> PullRequest {
        try Self.pullRequest(try await client.send("GET", "\(repo)/merge_requests/\(number)").json)
    }

    public func checks(of pullRequest: PullRequest) async throws(ForgeError) -> CheckState {
        CheckState.summary(try await checkList(of: pullRequest))
    }

    /// The latest status per name: failed or canceled is red, success or skipped green, the
    /// rest (created, pending, running, manual) pending; with the MR's head pipeline.
    public func checkList(of pullRequest: PullRequest) async throws(ForgeError) -> [Check] {
        try await statusChecks(of: pullRequest) + pullRequest.forgeChecks
    }

    private func statusChecks(of pullRequest: PullRequest) async throws(ForgeError) -> [Check] {
        let sha = pullRequest.headSHA
        let statuses = try await Pagination.linked(client, "\(repo)/repository/commits/\(sha)/statuses", query: ["per_page": "100"]) {
            (page) throws(ForgeError) in try page.list()
        }
        var latest: [String: (Int, String)] = [:]
        for status in statuses {
            let name = status["name"].string ?? ""
            let id = status["id"].int ?? 0
            if latest[name].map({ $0.0 < id }) ?? true { latest[name] = (id, status["status"].string ?? "") }
        }
        return latest.sorted { $0.key < $1.key }.map { name, entry in
            let state: CheckState = ["failed", "canceled"].contains(entry.1) ? .failure : ["success", "skipped"].contains(entry.1) ? .success : .pending
            return Check(name: name, state: state, detail: entry.1)
        }
    }

    public func postStatus(_ status: CommitStatus, on sha: String) async throws(ForgeError) {
        let state = switch status.state {
        case .pending: "pending"
        case .success: "success"
        case .failure, .error: "failed"
        }
        var body: [String: Any] = ["state": state, "name": status.context, "description": status.description]
        if let url = status.targetURL { body["target_url"] = url }
        _ = try await write("POST", "\(repo)/statuses/\(sha)", json: body)
    }

    public func comment(on number: Int, body: String) async throws(ForgeError) {
        _ = try await write("POST", "\(repo)/merge_requests/\(number)/notes", json: ["body": body])
    }

    /// Lists the MR's notes oldest first, 100 a page, skipping system notes; edits with
    /// PUT …/notes/{note_id}.
    public func upsertComment(on number: Int, marker: String, body: String) async throws(ForgeError) -> CommentResult {
        let notes = "\(repo)/merge_requests/\(number)/notes"
        let existing = try await Pagination.linked(client, notes, query: ["sort": "asc", "order_by": "created_at", "per_page": "100"]) {
            (page) throws(ForgeError) in try page.list().filter { $0["system"].bool != true }.map(Self.note)
        }
        return try await CommentUpsert.run(marker: marker, body: body, existing: existing, edit: { (found) throws(ForgeError) in
            Self.note(try await write("PUT", "\(notes)/\(found.id)", json: ["body": body]).json)
        }, create: { () throws(ForgeError) in
            Self.note(try await write("POST", notes, json: ["body": body]).json)
        })
    }

    static func note(_ json: JSONValue) -> ExistingComment {
        ExistingComment(id: json["id"].int.map(String.init) ?? "", body: json["body"].string ?? "", url: "")
    }

    public func close(_ number: Int) async throws(ForgeError) -> PullRequest {
        try Self.pullRequest(try await write("PUT", "\(repo)/merge_requests/\(number)", json: ["state_event": "close"]).json)
    }

    /// `rebase` merges the way the project is set up to (merge commit, semi-linear or
    /// fast-forward): GitLab picks the method per project, not per merge.
    public func merge(_ pullRequest: PullRequest, sha: String, method: MergeMethod, message: String?) async throws(ForgeError) -> MergeResult {
        var body: [String: Any] = ["sha": sha, "squash": method == .squash]
        if let message { body[method == .squash ? "squash_commit_message" : "merge_commit_message"] = message }
        let answer = try await write("PUT", "\(repo)/merge_requests/\(pullRequest.number)/merge", json: body,
                                     accepting: [405, 406, 409, 422])
        let words = await client.message(in: answer)
        switch answer.status {
        case 409: return .refused(.headMoved(words))
        // GitLab says "Branch cannot be merged" as 406 before 16.0 and as 422 since.
        case 406: return .refused(.notMergeable(words))
        case 422 where words.lowercased().contains("cannot be merged"): return .refused(.notMergeable(words))
        case 405, 422: return .refused(MergeRefusal.classify(words + " (draft, closed, pipeline not passed, or blocked by approval rules)"))
        default:
            // 200 carries the MR as it is after the attempt, merged or not: a merge that failed
            // inside GitLab (a pre-receive hook or push rule refused it) leaves it opened with a
            // merge_error; one GitLab chose to queue (a merge train) leaves it opened to merge later.
            let json = try answer.json
            let merged = try Self.pullRequest(json)
            guard merged.state == .merged else {
                let path = "\(repo)/merge_requests/\(pullRequest.number)/merge"
                if let error = json["merge_error"].string, !error.isEmpty { return .refused(.notMergeable(await client.shown(error))) }
                if json["merge_when_pipeline_succeeds"].bool == true || json["auto_merge"].bool == true {
                    return .refused(.behindOrQueued("GitLab queued the merge (merge train or merge when the pipeline succeeds) instead of merging"))
                }
                throw .unexpectedAnswer("the merge answered \(answer.status) but the MR is \(merged.state.rawValue)", method: "PUT", path: path)
            }
            return .merged(sha: merged.mergeSHA)
        }
    }

    /// PUT …/merge with `merge_when_pipeline_succeeds` (GitLab's auto-merge), pinned to `sha`.
    public func enableAutoMerge(_ pullRequest: PullRequest, sha: String, method: MergeMethod) async throws(ForgeError) -> AutoMergeResult {
        let body: [String: Any] = ["sha": sha, "squash": method == .squash, "merge_when_pipeline_succeeds": true]
        let answer = try await write("PUT", "\(repo)/merge_requests/\(pullRequest.number)/merge", json: body,
                                     accepting: [405, 406, 409, 422])
        if answer.status != 200 {
            let words = await client.message(in: answer)
            switch answer.status {
            case 409: return .refused(.headMoved(words))
            case 406: return .refused(.notMergeable(words))
            case 422 where words.lowercased().contains("cannot be merged"): return .refused(.notMergeable(words))
            default: return .refused(MergeRefusal.classify(words))
            }
        }
        let json = try answer.json
        let merged = try Self.pullRequest(json)
        if merged.state == .merged { return .merged(sha: merged.mergeSHA) }
        guard try json.bool("merge_when_pipeline_succeeds") else {
            throw .unexpectedAnswer("GitLab neither merged nor set merge when pipeline succeeds", method: "PUT",
                                    path: "\(repo)/merge_requests/\(pullRequest.number)/merge")
        }
        return .scheduled
    }

    public func deleteBranch(_ name: String) async throws(ForgeError) {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? name
        _ = try await write("DELETE", "\(repo)/repository/branches/\(encoded)", accepting: [404])
    }

    /// Sends a write; a 403 to it is explained by a read of the project (`GET /projects/:id`,
    /// its `archived`): gitlab.com refuses every write to an archived project with a bare
    /// "403 Forbidden", even to its owner, so the refusal alone cannot say whether the token or
    /// the project's state is at fault. When the read fails, the refusal stands as it came.
    private func write(_ method: String, _ path: String, json: sending [String: Any]? = nil,
                       accepting: Set<Int> = []) async throws(ForgeError) -> HTTPAnswer {
        do {
            return try await client.send(method, path, json: json, accepting: accepting)
        } catch {
            guard case let .http(403, message, refusedMethod, refusedPath) = error,
                  let project = try? await client.send("GET", repo).json, let archived = project["archived"].bool else { throw error }
            throw .writeRefused(status: 403, message: message, method: refusedMethod, path: refusedPath, archived: archived)
        }
    }

    private func userIDs(_ names: [String]) async throws(ForgeError) -> [Int] {
        var ids: [Int] = []
        for name in names {
            if let id = Int(name) { ids.append(id); continue }
            let users = try await client.send("GET", "/users", query: ["username": name]).json.list()
            guard let id = users.first?["id"].int else { throw .configuration("no GitLab user named \(name)") }
            ids.append(id)
        }
        return ids
    }

    static func title(_ draft: PullRequestDraft) -> String {
        draft.draft && !draft.title.hasPrefix("Draft:") ? "Draft: " + draft.title : draft.title
    }

    static func pullRequest(_ json: JSONValue) throws(ForgeError) -> PullRequest {
        let state: PullRequest.State = switch try json.string("state") {
        case "merged": .merged
        case "opened": .open
        case "closed", "locked": .closed
        default: throw json["state"].mistake("opened, closed, locked or merged")
        }
        let mergeable: Bool? = switch json["detailed_merge_status"].string ?? json["merge_status"].string ?? "" {
        case "unchecked", "checking", "preparing", "approvals_syncing", "cannot_be_merged_recheck", "": nil
        case "conflict", "need_rebase", "broken_status", "cannot_be_merged": false
        default: true
        }
        let mergeSHA = json["merge_commit_sha"].string ?? json["squash_commit_sha"].string ?? (state == .merged ? json["sha"].string : nil)
        var pullRequest = PullRequest(
            number: try json.int("iid"), url: try json.string("web_url"), title: try json.string("title"),
            body: try json.optionalString("description") ?? "", head: try json.string("source_branch"), base: try json.string("target_branch"),
            headSHA: try json.string("sha"), state: state, mergeable: mergeable, mergeSHA: state == .merged ? mergeSHA : nil,
            draft: json["draft"].bool ?? false, labels: json["labels"].array.compactMap(\.string))
        if let pipeline = try headPipeline(json, head: pullRequest.headSHA) { pullRequest.forgeChecks = [pipeline] }
        return pullRequest
    }
}
