import Foundation

/// One HTTP request as Capstan sends it. Headers named in `credentialHeaders` (and
/// `Authorization`, `Cookie`, `Proxy-Authorization` always) are credentials: they are sent
/// only to the origin of `url`, so a redirect elsewhere is refused rather than followed.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    /// Sent in this order; names as given.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Header names (case-insensitive) that carry a secret besides the standard ones,
    /// such as GitLab's `PRIVATE-TOKEN` or `JOB-TOKEN`.
    public var credentialHeaders: Set<String>
    /// How the URL appears in errors and logs. Defaults to the URL without user info and
    /// with secret-looking query values masked; a caller whose path is itself a secret
    /// (a Flux receiver's hook) sets its own.
    public var shownURL: String

    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil,
                credentialHeaders: Set<String> = [], shownURL: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.credentialHeaders = Set(credentialHeaders.map { $0.lowercased() })
        self.shownURL = shownURL ?? Self.redacted(url)
    }

    /// Whether any header sent carries a credential.
    var carriesCredentials: Bool {
        let standard: Set<String> = ["authorization", "cookie", "proxy-authorization"]
        return headers.contains { standard.contains($0.name.lowercased()) || credentialHeaders.contains($0.name.lowercased()) }
    }

    /// `url` without user info, with values of query parameters whose names suggest a
    /// secret (`token`, `key`, `password`, `secret`, `signature`, `sig`, `code`) as `***`.
    public static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "(unparsable URL)" }
        components.user = nil
        components.password = nil
        components.fragment = nil
        if let items = components.percentEncodedQueryItems {
            let secretWords = ["token", "key", "password", "secret", "signature", "sig", "code", "auth"]
            components.percentEncodedQueryItems = items.map { item in
                let secret = secretWords.contains(where: item.name.lowercased().contains)
                return secret ? URLQueryItem(name: item.name, value: "***") : item
            }
        }
        return components.string ?? "(unparsable URL)"
    }
}
