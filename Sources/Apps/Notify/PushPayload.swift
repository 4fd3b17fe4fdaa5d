import Foundation

/// A GitHub `push` event body, the shape Argo CD's `/api/webhook` and Flux's github
/// Receiver parse: `ref`, `before`, `after`, `repository.html_url` (what Argo CD matches
/// against each Application's repoURL) and the commits' changed files (what Argo CD
/// compares with `argocd.argoproj.io/manifest-generate-paths`).
struct PushPayload: Encodable {
    struct Repository: Encodable {
        let name: String
        let full_name: String
        let html_url: String
        let clone_url: String
        let default_branch: String
    }

    struct Commit: Encodable {
        let id: String
        let message: String
        let added: [String]
        let modified: [String]
        let removed: [String]
    }

    let ref: String
    let before: String
    let after: String
    let repository: Repository
    let commits: [Commit]
    let head_commit: Commit

    init(_ push: PushDescription) {
        let key = RepositoryURL(push.repositoryURL).key
        let parts = key.split(separator: "/")
        let htmlURL = "https://" + key
        ref = "refs/heads/\(push.branch)"
        before = push.before
        after = push.after
        repository = Repository(name: parts.last.map(String.init) ?? key, full_name: parts.dropFirst().joined(separator: "/"),
                                html_url: htmlURL, clone_url: htmlURL + ".git", default_branch: push.branch)
        let commit = Commit(id: push.after, message: "capstan apps --notify", added: [], modified: push.changedPaths.sorted(), removed: [])
        commits = [commit]
        head_commit = commit
    }

    /// The exact bytes sent (and signed).
    func body() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? [UInt8](encoder.encode(self))) ?? Array("{}".utf8)
    }
}
