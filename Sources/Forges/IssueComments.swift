/// Issue comments in the shape GitHub and Gitea/Forgejo share (Gitea copies GitHub's API
/// here): POST /issues/{n}/comments to create, PATCH /issues/comments/{id} to edit. Only
/// how the existing comments are listed differs (GitHub pages, Gitea answers at once).
struct IssueComments {
    let client: HTTPClient
    let repo: String

    func create(on number: Int, body: String) async throws(ForgeError) -> ExistingComment {
        Self.comment(try await client.send("POST", "\(repo)/issues/\(number)/comments", json: ["body": body]).json)
    }

    /// Edits the oldest of `existing` carrying `marker`, or creates a comment.
    func upsert(on number: Int, marker: String, body: String, existing: [ExistingComment]) async throws(ForgeError) -> CommentResult {
        try await CommentUpsert.run(marker: marker, body: body, existing: existing, edit: { (found) throws(ForgeError) in
            Self.comment(try await client.send("PATCH", "\(repo)/issues/comments/\(found.id)", json: ["body": body]).json)
        }, create: { () throws(ForgeError) in
            try await create(on: number, body: body)
        })
    }

    static func comment(_ json: JSONValue) -> ExistingComment {
        ExistingComment(id: json["id"].int.map(String.init) ?? "", body: json["body"].string ?? "", url: json["html_url"].string ?? "")
    }
}
