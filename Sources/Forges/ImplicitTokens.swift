/// Which token variables Capstan may pick up without `--token-env`, for one remote.
///
/// A token only ever goes to the server it was made for. A CI job's own token
/// (`CI_JOB_TOKEN`, `SYSTEM_ACCESSTOKEN`, the `GITHUB_TOKEN` of Gitea and Forgejo Actions) is
/// offered only to a remote on that CI's server; `GITHUB_TOKEN`/`GH_TOKEN` only to
/// github.com (GitHub Enterprise takes `GH_ENTERPRISE_TOKEN`, as the gh CLI does, or the job's
/// token on its own server). A remote whose forge cannot be told gets no implicit token:
/// name one with `--token-env`.
///
/// `CAPSTAN_TOKEN` comes first, for any remote: it is Capstan's own variable, set for this
/// run only (the GitHub Action passes its `token` input in it), so it is meant for the
/// repository the command names.
extension ForgeLocation {
    public static func implicitTokenVariables(remote: String, kind explicitKind: ForgeKind? = nil,
                                              environment: [String: String]) -> [String] {
        let own = ["CAPSTAN_TOKEN"]
        let ci = fromEnvironment(environment)
        let server = Server(remote)
        let onCIServer = ci.flatMap { ci in server.map { ci.server?.hosts($0) ?? false } } ?? false
        let ciKind = onCIServer ? ci?.location.kind : nil
        guard let kind = explicitKind ?? forgeKind(remote: remote, environment: environment) else { return own }
        let jobToken = onCIServer && ciKind == kind
        switch kind {
        case .github:
            if server?.host == "github.com" { return own + ["GITHUB_TOKEN", "GH_TOKEN"] }
            return own + ["GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"] + (jobToken ? ["GITHUB_TOKEN"] : [])
        case .gitlab: return own + ["GITLAB_TOKEN"] + (jobToken ? ["CI_JOB_TOKEN"] : [])
        case .gitea: return own + ["GITEA_TOKEN"] + (jobToken ? ["GITHUB_TOKEN"] : [])
        case .forgejo: return own + ["FORGEJO_TOKEN", "GITEA_TOKEN"] + (jobToken ? ["GITHUB_TOKEN"] : [])
        case .bitbucketCloud, .bitbucketDataCenter: return own + ["BITBUCKET_TOKEN"]
        case .azure: return own + ["AZURE_DEVOPS_TOKEN"] + (jobToken ? ["SYSTEM_ACCESSTOKEN"] : [])
        }
    }

    /// The forge a remote lives on, as far as its host or the CI's own server tell.
    public static func forgeKind(remote: String, environment: [String: String]) -> ForgeKind? {
        let server = Server(remote)
        if let ci = fromEnvironment(environment), let server, ci.server?.hosts(server) == true { return ci.location.kind }
        return fromRemoteURL(remote, kind: nil)?.kind
    }
}
