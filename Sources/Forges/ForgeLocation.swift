import Foundation

/// Which forge, where its API is, and which repository: worked out from flags, then CI
/// variables, then the remote URL, in that order of precedence.
public struct ForgeLocation: Sendable, Equatable {
    public var kind: ForgeKind
    /// The API root: https://api.github.com, https://ghe.example/api/v3, https://gitlab.example/api/v4, …
    public var apiURL: String
    /// owner/repo (GitHub, Gitea, Bitbucket), group/…/project (GitLab),
    /// PROJECT/repo (Bitbucket DC), organization/project/repo (Azure DevOps).
    public var project: String

    public init(kind: ForgeKind, apiURL: String, project: String) {
        self.kind = kind
        self.apiURL = apiURL
        self.project = project
    }

    /// Resolves the location. `forge`, `forgeURL` and `project` are the flags; any of them
    /// overrides what detection finds.
    ///
    /// CI variables describe the CI's own server and the repository the pipeline runs for,
    /// which is usually the application, not the release repository. So they are used only
    /// for a remote on that same server (for its kind and API root; the project still comes
    /// from the remote's path), or when no remote is given at all.
    public static func detect(remote: String, forge: ForgeKind? = nil, forgeURL: String? = nil, project: String? = nil,
                              environment: [String: String]) throws(ForgeError) -> ForgeLocation {
        let ci = fromEnvironment(environment)
        let remoteServer = Server(remote)
        let ciApplies = ci.map { ci in remote.isEmpty || remoteServer.map { ci.server?.hosts($0) ?? false } ?? false } ?? false
        let fromCI = ciApplies ? ci?.location : nil
        let fromRemote = fromRemoteURL(remote, kind: forge ?? fromCI?.kind)
        guard let kind = forge ?? fromCI?.kind ?? fromRemote?.kind else {
            let hint = ci.map { " (the \($0.location.kind.rawValue) CI variables describe \($0.server?.display ?? "another server"), not this remote)" } ?? ""
            throw .configuration("cannot tell which forge \(remoteDisplay(remote)) is on\(hint): give --forge (\(ForgeKind.allCases.map(\.rawValue).joined(separator: ", "))) and --forge-url")
        }
        let sameKind = { (location: ForgeLocation?) in location?.kind == kind ? location : nil }
        let api = forgeURL.map { apiRoot(kind: kind, forgeURL: $0) } ?? sameKind(fromCI)?.apiURL ?? sameKind(fromRemote)?.apiURL
        let name = project ?? sameKind(fromRemote)?.project ?? (remote.isEmpty ? sameKind(fromCI)?.project : nil)
        guard let api, !api.isEmpty else { throw .configuration("cannot tell where the \(kind.rawValue) API is: give --forge-url") }
        guard let name, !name.isEmpty else { throw .configuration("cannot tell the repository on \(kind.rawValue): give --project") }
        return ForgeLocation(kind: kind, apiURL: api, project: name)
    }

    /// A server as a remote or a CI variable names it: scheme, host name and explicit port.
    struct Server: Equatable {
        var scheme: String
        var host: String
        var port: Int?

        init?(_ address: String) {
            guard let (scheme, hostAndPort, _) = ForgeLocation.split(address) else { return nil }
            self.scheme = scheme
            if scheme != "ssh", let colon = hostAndPort.lastIndex(of: ":"), let port = Int(hostAndPort[hostAndPort.index(after: colon)...]) {
                host = String(hostAndPort[..<colon])
                self.port = port
            } else {
                host = hostAndPort
            }
            host = host.lowercased()
        }

        /// Whether a remote at `other` lives on this server: same host name, and the same
        /// port when both are web addresses (SSH runs on its own port).
        func hosts(_ other: Server) -> Bool {
            guard host == other.host else { return false }
            return scheme == "ssh" || other.scheme == "ssh" || port == other.port
        }

        var display: String { "\(scheme)://\(host)\(port.map { ":\($0)" } ?? "")" }
    }

    /// The API root for a forge's web address (a full API URL is kept as it is).
    static func apiRoot(kind: ForgeKind, forgeURL: String) -> String {
        let url = forgeURL.hasSuffix("/") ? String(forgeURL.dropLast()) : forgeURL
        let suffix: String = switch kind {
        case .github: url.contains("://github.com") ? "" : "/api/v3"
        case .gitlab: "/api/v4"
        case .gitea, .forgejo: "/api/v1"
        case .bitbucketCloud: ""
        case .bitbucketDataCenter: "/rest/api/latest"
        case .azure: ""
        }
        if kind == .github && url.contains("://github.com") { return "https://api.github.com" }
        if kind == .bitbucketCloud && url.contains("://bitbucket.org") { return "https://api.bitbucket.org/2.0" }
        if suffix.isEmpty || url.hasSuffix(suffix) || url.contains("/api/") || url.contains("/rest/api/") { return url }
        return url + suffix
    }

    /// What the CI system running Capstan says about its server and the repository it runs for.
    static func fromEnvironment(_ environment: [String: String]) -> (location: ForgeLocation, server: Server?)? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if value("GITEA_ACTIONS") == "true" || value("FORGEJO_ACTIONS") == "true" || value("FORGEJO_TOKEN") != nil && value("GITHUB_ACTIONS") == "true" {
            let kind: ForgeKind = value("FORGEJO_ACTIONS") == "true" ? .forgejo : .gitea
            let server = value("GITHUB_SERVER_URL") ?? value("GITEA_SERVER_URL") ?? ""
            return (ForgeLocation(kind: kind, apiURL: value("GITHUB_API_URL") ?? apiRoot(kind: kind, forgeURL: server),
                                  project: value("GITHUB_REPOSITORY") ?? ""), Server(server))
        }
        if value("GITHUB_ACTIONS") == "true" {
            return (ForgeLocation(kind: .github, apiURL: value("GITHUB_API_URL") ?? "https://api.github.com",
                                  project: value("GITHUB_REPOSITORY") ?? ""), Server(value("GITHUB_SERVER_URL") ?? "https://github.com"))
        }
        if value("GITLAB_CI") == "true" {
            let api = value("CI_API_V4_URL") ?? value("CI_SERVER_URL").map { $0 + "/api/v4" } ?? ""
            return (ForgeLocation(kind: .gitlab, apiURL: api, project: value("CI_PROJECT_PATH") ?? ""),
                    Server(value("CI_SERVER_URL") ?? value("CI_API_V4_URL") ?? ""))
        }
        if let workspace = value("BITBUCKET_WORKSPACE") ?? value("BITBUCKET_REPO_OWNER"), let slug = value("BITBUCKET_REPO_SLUG") {
            return (ForgeLocation(kind: .bitbucketCloud, apiURL: "https://api.bitbucket.org/2.0", project: "\(workspace)/\(slug)"),
                    Server("https://bitbucket.org"))
        }
        if let collection = value("SYSTEM_TEAMFOUNDATIONCOLLECTIONURI") {
            let project = value("SYSTEM_TEAMPROJECT") ?? ""
            let repository = value("BUILD_REPOSITORY_NAME") ?? ""
            let root = collection.hasSuffix("/") ? String(collection.dropLast()) : collection
            return (ForgeLocation(kind: .azure, apiURL: root, project: "\(project)/\(repository)"), Server(root))
        }
        return nil
    }

    /// What a remote URL's host and path say: well-known hosts by name, others by their
    /// path conventions when `kind` is known.
    static func fromRemoteURL(_ remote: String, kind: ForgeKind?) -> ForgeLocation? {
        guard let (scheme, host, path) = split(remote) else { return nil }
        var segments = path.split(separator: "/").map(String.init)
        if let last = segments.last, last.hasSuffix(".git") { segments[segments.count - 1] = String(last.dropLast(4)) }
        let web = "\(scheme == "http" ? "http" : "https")://\(host)"
        if host == "github.com", segments.count >= 2 {
            return ForgeLocation(kind: .github, apiURL: "https://api.github.com", project: segments.prefix(2).joined(separator: "/"))
        }
        if host == "gitlab.com" || (kind == .gitlab && segments.count >= 2) {
            return ForgeLocation(kind: .gitlab, apiURL: web + "/api/v4", project: segments.joined(separator: "/"))
        }
        if host == "bitbucket.org", segments.count >= 2 {
            return ForgeLocation(kind: .bitbucketCloud, apiURL: "https://api.bitbucket.org/2.0", project: segments.prefix(2).joined(separator: "/"))
        }
        if host == "dev.azure.com" || host.hasSuffix(".visualstudio.com") {
            // dev.azure.com/ORG/PROJECT/_git/REPO
            guard let git = segments.firstIndex(of: "_git"), git + 1 < segments.count, git >= 1 else { return nil }
            let organisation = host == "dev.azure.com" ? segments[0] : String(host.split(separator: ".")[0])
            let root = host == "dev.azure.com" ? "https://dev.azure.com/\(organisation)" : "https://\(host)"
            return ForgeLocation(kind: .azure, apiURL: root, project: "\(segments[git - 1])/\(segments[git + 1])")
        }
        guard let kind, segments.count >= 2 else { return nil }
        switch kind {
        case .azure:
            // Azure DevOps Server: https://host/COLLECTION/PROJECT/_git/REPO
            guard let git = segments.firstIndex(of: "_git"), git + 1 < segments.count, git >= 1 else { return nil }
            let root = ([web] + segments[..<(git - 1)]).joined(separator: "/")
            return ForgeLocation(kind: kind, apiURL: root, project: "\(segments[git - 1])/\(segments[git + 1])")
        case .github, .gitea, .forgejo:
            return ForgeLocation(kind: kind, apiURL: apiRoot(kind: kind, forgeURL: web), project: segments.suffix(2).joined(separator: "/"))
        case .bitbucketCloud:
            // WORKSPACE/repo behind another host (a proxy or mirror): the API is not on it, so
            // --forge-url must say where it is.
            return ForgeLocation(kind: kind, apiURL: "", project: segments.prefix(2).joined(separator: "/"))
        case .bitbucketDataCenter:
            // https://host/scm/PROJECT/repo.git
            let tail = segments.first == "scm" ? Array(segments.dropFirst()) : segments
            return ForgeLocation(kind: kind, apiURL: web + "/rest/api/latest", project: tail.suffix(2).joined(separator: "/"))
        default:
            return nil
        }
    }

    /// scheme, host[:port], path of an https://, ssh:// or scp-like remote.
    fileprivate static func split(_ remote: String) -> (String, String, String)? {
        if let url = URL(string: remote), let scheme = url.scheme, let host = url.host, ["http", "https", "ssh"].contains(scheme) {
            let port = url.port.map { ":\($0)" } ?? ""
            return (scheme, scheme == "ssh" ? host : host + port, url.path)
        }
        // git@host:owner/repo.git
        guard let at = remote.firstIndex(of: "@"), let colon = remote[at...].firstIndex(of: ":") else { return nil }
        return ("ssh", String(remote[remote.index(after: at)..<colon]), String(remote[remote.index(after: colon)...]))
    }

    private static func remoteDisplay(_ remote: String) -> String {
        guard let url = URL(string: remote), url.user != nil || url.password != nil, let host = url.host else { return remote }
        return "\(url.scheme ?? "https")://\(host)\(url.port.map { ":\($0)" } ?? "")\(url.path)"
    }
}
