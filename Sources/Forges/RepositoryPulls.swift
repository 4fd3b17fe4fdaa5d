/// Pull requests in the shape GitHub and Gitea/Forgejo share (Gitea copies GitHub's API
/// here): GET, POST and PATCH /pulls, requested reviewers, labels through the issue, and
/// commit statuses. What each forge puts in the bodies (GitHub's `draft` flag, Gitea's
/// "WIP:" titles and labels by id or name) and how it reads a PR's JSON stay in the
/// client, which hands its reader in.
struct RepositoryPulls {
    let client: HTTPClient
    let repo: String
    /// The forge's reading of a PR's JSON.
    let read: @Sendable (JSONValue) throws(ForgeError) -> PullRequest

    func get(_ number: Int) async throws(ForgeError) -> PullRequest {
        try read(try await client.send("GET", "\(repo)/pulls/\(number)").json)
    }

    func create(_ body: sending [String: Any]) async throws(ForgeError) -> PullRequest {
        try read(try await client.send("POST", "\(repo)/pulls", json: body).json)
    }

    func edit(_ number: Int, _ fields: sending [String: Any]) async throws(ForgeError) -> PullRequest {
        try read(try await client.send("PATCH", "\(repo)/pulls/\(number)", json: fields).json)
    }

    func requestReviewers(_ reviewers: [String], on number: Int) async throws(ForgeError) {
        _ = try await client.send("POST", "\(repo)/pulls/\(number)/requested_reviewers", json: ["reviewers": reviewers])
    }

    /// Adds labels (as the forge wants them sent); answers the PR's labels by name.
    func addLabels(_ labels: sending [Any], on number: Int) async throws(ForgeError) -> [String] {
        try await client.send("POST", "\(repo)/issues/\(number)/labels", json: ["labels": labels]).json.list().compactMap { $0["name"].string }
    }

    /// Sends only what differs: title and body in one PATCH, then the labels `current`
    /// lacks. `title` is the one the forge should show; `encode` says how labels are sent.
    func update(_ current: PullRequest, title: String, body: String, labels: [String],
                encode: ([String]) -> [Any]) async throws(ForgeError) -> PullRequest {
        var updated = current
        if current.title != title || current.body != body {
            updated = try await edit(current.number, ["title": title, "body": body])
        }
        let missing = labels.filter { !current.labels.contains($0) }
        if !missing.isEmpty {
            updated.labels = try await addLabels(encode(missing), on: current.number)
        }
        return updated
    }

    func postStatus(_ status: CommitStatus, on sha: String) async throws(ForgeError) {
        var body: [String: Any] = ["state": status.state.rawValue, "context": status.context, "description": status.description]
        if let url = status.targetURL { body["target_url"] = url }
        _ = try await client.send("POST", "\(repo)/statuses/\(sha)", json: body)
    }

    /// Why a merge request sent `accepting: [405, 409]` was refused: 409, the head moved
    /// from the pinned SHA; 405, conflicts or a policy (the forge's words tell which).
    /// nil when the forge merged.
    static func refusal(in answer: HTTPAnswer, client: HTTPClient) async -> MergeRefusal? {
        switch answer.status {
        case 409: .headMoved(await client.message(in: answer))
        case 405: MergeRefusal.classify(await client.message(in: answer))
        default: nil
        }
    }

    /// The fields both forges name alike; `merged`, `mergeable` and `draft` are each
    /// forge's own reading.
    static func pullRequest(_ json: JSONValue, merged: Bool, mergeable: Bool?, draft: Bool) throws(ForgeError) -> PullRequest {
        let state = try json.string("state")
        guard ["open", "closed"].contains(state) else { throw json["state"].mistake("open or closed") }
        return PullRequest(
            number: try json.int("number"), url: try json.string("html_url"), title: try json.string("title"),
            body: try json.optionalString("body") ?? "", head: try json["head"].string("ref"), base: try json["base"].string("ref"),
            headSHA: try json["head"].string("sha"),
            state: merged ? .merged : (state == "open" ? .open : .closed),
            mergeable: mergeable, mergeSHA: merged ? try json.optionalString("merge_commit_sha") : nil,
            draft: draft, labels: json["labels"].array.compactMap { $0["name"].string })
    }
}
