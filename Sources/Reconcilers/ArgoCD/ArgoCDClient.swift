import Foundation
import Words

/// Argo CD's REST API, the one operation a wait needs: `ApplicationService_Get`
/// (`GET /api/v1/applications/{name}`), optionally with `refresh=normal` so the first look
/// also makes Argo CD compare against the repository at once instead of at its next poll.
public struct ArgoCDClient: Sendable {
    public let server: URL
    private let token: String
    public let transport: any ReconcilerTransport

    public init(server: URL, token: String, transport: any ReconcilerTransport) {
        self.server = server
        self.token = token
        self.transport = transport
    }

    /// One request. `namespace`: the Application's namespace when apps live outside the
    /// control plane's (`appNamespace`); nil or "argocd" sends none.
    public func application(_ name: String, namespace: String?, refresh: Bool) async throws(ReconcilerError) -> ArgoApplication {
        let url = applicationURL(name, namespace: namespace, refresh: refresh)
        let request = ReconcilerRequest(url: url, headers: ["Authorization": "Bearer \(token)", "Accept": "application/json"])
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else {
            throw .http(url: Self.shown(url), status: response.status, message: Self.errorMessage(response.body, token: token))
        }
        do {
            return try ArgoApplication(json: response.body)
        } catch {
            throw .undecodable(url: Self.shown(url), message: "not an Application")
        }
    }

    func applicationURL(_ name: String, namespace: String?, refresh: Bool) -> URL {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        let escaped = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
        var components = URLComponents(url: server.appendingPathComponent("api/v1/applications"), resolvingAgainstBaseURL: false)
        components?.percentEncodedPath += "/" + escaped
        var query: [URLQueryItem] = []
        if refresh { query.append(URLQueryItem(name: "refresh", value: "normal")) }
        if let namespace, namespace != "argocd" { query.append(URLQueryItem(name: "appNamespace", value: namespace)) }
        components?.queryItems = query.isEmpty ? nil : query
        return components?.url ?? server
    }

    static func shown(_ url: URL) -> String {
        url.absoluteString
    }

    /// `runtimeError.message` (or `.error`), else the body: one printable line, cut, with
    /// the token masked first (a server or proxy may echo the request back).
    static func errorMessage(_ body: Data, token: String = "") -> String {
        struct RuntimeError: Decodable {
            var message: String?
            var error: String?
        }
        let mask = ForeignWords.masking([token])
        if let error = try? JSONDecoder().decode(RuntimeError.self, from: body), let text = error.message ?? error.error {
            return ForeignWords.line(text, masking: mask)
        }
        return ForeignWords.plainText(body, masking: mask)
    }
}
