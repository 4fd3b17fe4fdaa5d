/// What `upsertComment` did with a PR's marked comment.
public struct CommentResult: Sendable, Codable, Equatable {
    public enum Action: String, Sendable, Codable {
        /// No comment carried the marker: a new one was posted.
        case created
        /// The marked comment said something else: it was edited in place.
        case updated
        /// The marked comment already said this: nothing was written.
        case unchanged
    }

    public var action: Action
    /// The forge's id of the comment (for Azure DevOps, "THREAD/COMMENT").
    public var id: String
    /// A link to the comment where the forge gives one, else "".
    public var url: String

    public init(action: Action, id: String, url: String = "") {
        self.action = action
        self.id = id
        self.url = url
    }
}

/// A PR comment as `upsertComment` reads it while looking for its marker.
struct ExistingComment: Sendable {
    var id: String
    var body: String
    var url: String
    /// Bitbucket Data Center pins edits to the comment's version.
    var version: Int?

    /// The marked comment to edit in `comments` (oldest first): the first carrying the
    /// marker, so a later duplicate someone made by hand never steals the edits.
    static func marked(_ marker: String, in comments: [ExistingComment]) -> ExistingComment? {
        comments.first { $0.body.contains(marker) }
    }
}

/// The find-then-edit-or-create every client's `upsertComment` shares; each client
/// supplies its forge's list, edit and create calls.
enum CommentUpsert {
    static func run(marker: String, body: String, existing: [ExistingComment],
                    edit: (ExistingComment) async throws(ForgeError) -> ExistingComment,
                    create: () async throws(ForgeError) -> ExistingComment) async throws(ForgeError) -> CommentResult {
        guard !marker.isEmpty, body.contains(marker) else {
            throw .configuration("the comment body does not contain its marker \(marker.debugDescription); it could not be found again")
        }
        if let found = ExistingComment.marked(marker, in: existing) {
            if found.body == body { return CommentResult(action: .unchanged, id: found.id, url: found.url) }
            let edited = try await edit(found)
            return CommentResult(action: .updated, id: found.id, url: edited.url.isEmpty ? found.url : edited.url)
        }
        let created = try await create()
        return CommentResult(action: .created, id: created.id, url: created.url)
    }
}
