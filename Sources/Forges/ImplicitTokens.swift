/// Which token variables Capstan may pick up without `--token-env`, for one remote.
///
/// A token only ever goes to the server it was made for. A CI job's own token
/// (`CI_JOB_TOKEN`, `SYSTEM_ACCESSTOKEN`, the `GITHUB_TOKEN` of Gitea and Forgejo Actions) is
/// offered only to a remote on that CI's server; `GITHUB_TOKEN`/`GH_TOKEN` only to
/// github.com (GitHub Enterprise takes `GH_ENTERPRISE_TOKEN`, as the gh CLI does, or the job's
/// token on its own server). A remote whose forge cannot be told gets no implicit token:
/// name one with `--token-env`.
extension ForgeLocation {
    public static func implicitTokenVariables(remote: String, kind explicitKind: ForgeKind? = nil,
                                              environment: [String: String]) -> [String] {
        let ci = fromEnvironment(environment)
        let server = Server(remote)
        let onCIServer = ci.flatMap { ci in server.map { ci.server?.hosts($0) ?? false } } ?? false
        let ciKind = onCIServer ? ci?.location.kind : nil
        guard let kind = explicitKind ?? ciKind ?? fromRemoteURL(remote, kind: nil)?.kind else { return [] }
        let jobToken = onCIServer && ciKind == kind
        switch kind {
        case .github:
            if server?.host == "github.com" { return ["GITHUB_TOKEN", "GH_TOKEN"] }
            return ["GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"] + (jobToken ? ["GITHUB_TOKEN"] : [])
        case .gitlab: return ["GITLAB_TOKEN"] + (jobToken ? ["CI_JOB_TOKEN"] : [])
        case .gitea: return ["GITEA_TOKEN"] + (jobToken ? ["GITHUB_TOKEN"] : [])
        case .forgejo: return ["FORGEJO_TOKEN", "GITEA_TOKEN"] + (jobToken ? ["GITHUB_TOKEN"] : [])
        case .bitbucketCloud, .bitbucketDataCenter: return ["BITBUCKET_TOKEN"]
        case .azure: return ["AZURE_DEVOPS_TOKEN"] + (jobToken ? ["SYSTEM_ACCESSTOKEN"] : [])
        }
    }
}
