import Foundation

/// Makes the client for a forge location, with the token sent the way that forge wants it.
public enum ForgeClients {
    /// `jobToken`: the token is GitLab's CI_JOB_TOKEN, sent as JOB-TOKEN.
    public static func make(_ location: ForgeLocation, token: String?, jobToken: Bool = false,
                            options: HTTPOptions = HTTPOptions()) throws(ForgeError) -> any Forge {
        guard let base = URL(string: location.apiURL), base.scheme != nil else {
            throw .configuration("--forge-url \(location.apiURL) is not a URL")
        }
        if let bundle = options.caBundle, !FileManager.default.isReadableFile(atPath: bundle) {
            throw .configuration("--ca-bundle \(bundle): no such readable file")
        }
        var authorization: [String: String] = [:]
        if let token, !token.isEmpty {
            switch location.kind {
            case .github: authorization["Authorization"] = "Bearer \(token)"
            case .gitea, .forgejo: authorization["Authorization"] = "token \(token)"
            case .gitlab: authorization[jobToken ? "JOB-TOKEN" : "PRIVATE-TOKEN"] = token
            case .bitbucketCloud, .bitbucketDataCenter: authorization["Authorization"] = "Bearer \(token)"
            case .azure: authorization["Authorization"] = "Basic " + Data(":\(token)".utf8).base64EncodedString()
            }
        }
        let client = clients.client(for: base, authorization: authorization, options: options)
        switch location.kind {
        case .github: return GitHubForge(project: location.project, client: client)
        case .gitea, .forgejo: return GiteaForge(kind: location.kind, project: location.project, client: client)
        case .gitlab: return GitLabForge(project: location.project, client: client)
        case .bitbucketCloud: return BitbucketCloudForge(project: location.project, client: client)
        case .azure: return AzureDevOpsForge(project: location.project, client: client)
        case .bitbucketDataCenter: return BitbucketDataCenterForge(project: location.project, client: client)
        }
    }
}

/// One HTTP client per API root and credentials, so every request made with one token in
/// this process goes through the same gate, one at a time.
final class HTTPClientRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var clients: [String: HTTPClient] = [:]

    func client(for base: URL, authorization: [String: String], options: HTTPOptions) -> HTTPClient {
        let key = base.absoluteString + "\u{0}" + authorization.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{0}")
        return lock.withLock {
            if let existing = clients[key] { return existing }
            let client = HTTPClient(baseURL: base, authorization: authorization, options: options)
            clients[key] = client
            return client
        }
    }
}

extension ForgeClients {
    static let clients = HTTPClientRegistry()
}
