/// What a token needs for a read a forge refused with 403. A read of checks or statuses
/// needs read permissions a PR step's write token may lack (GitHub's checks and statuses
/// are permissions of their own), and telling such a token to get "write" sends its owner
/// the wrong way. The forge is told apart by Capstan's own request paths: each forge's
/// status API has a shape of its own.
enum ReadPermission {
    /// The hint for a refused GET of `path` (as shown in errors: under the API root, with
    /// its query).
    static func hint(forGET path: String) -> String {
        if let needed = statusRead(path) { return "the token may not read checks or statuses here; it needs \(needed)" }
        return "the token may not read this: it needs read access to the repository and its pull requests"
    }

    /// The permission a status read needs in its forge's words; nil for other reads.
    static func statusRead(_ path: String) -> String? {
        let path = String(path.prefix { $0 != "?" })
        if path.hasPrefix("/repos/"), path.contains("/commits/") {
            if path.hasSuffix("/check-runs") || path.hasSuffix("/status") {
                return "checks: read and statuses: read (a GitHub fine-grained token or app: Checks and Commit statuses, read; "
                    + "a classic token: repo)"
            }
            if path.hasSuffix("/statuses") { return "the read:repository scope (Gitea/Forgejo)" }
        }
        if path.hasPrefix("/projects/"), path.contains("/repository/commits/"), path.hasSuffix("/statuses") {
            return "the read_api scope and at least the Reporter role (GitLab)"
        }
        if path.hasPrefix("/repositories/"), path.hasSuffix("/statuses") {
            return path.contains("/pullrequests/")
                ? "the pullrequest scope (read:pullrequest:bitbucket for a Bitbucket Cloud API token)"
                : "the repository scope (read:repository:bitbucket for a Bitbucket Cloud API token)"
        }
        if path.contains("/build-status/") || (path.contains("/pull-requests/") && path.hasSuffix("/merge")) {
            return "read permission on the repository (REPO_READ; a Bitbucket Data Center HTTP access token with Repository read)"
        }
        if path.contains("/_apis/git/repositories/"), path.hasSuffix("/statuses") {
            return "the Code (Read) scope, vso.code (Azure DevOps)"
        }
        return nil
    }
}
