import Foundation
import HTTP
import Signatures
import Words

/// Nudges the reconcilers about affected apps; deploying stays their job. Argo CD: a
/// `refresh=normal` GET per Application through its API, and/or one push event to its
/// webhook. Flux: one call per Receiver, signed as the Receiver's type expects.
public struct ReconcilerNotifier: Sendable {
    public let configuration: NotifyConfiguration
    /// The product's one HTTP transport: bounded in time and size, redirects only within
    /// an origin, so the Argo CD token never reaches another host.
    public let transport: HTTPTransport

    public init(configuration: NotifyConfiguration, transport: HTTPTransport = HTTPTransport(policy: HTTPPolicy(timeout: 30, maxResponseBytes: 1 << 20))) {
        self.configuration = configuration
        self.transport = transport
    }

    /// Checks that every target has what it needs before anything is sent.
    public func validate() throws(NotifyError) {
        if configuration.argoServer != nil, configuration.argoToken?.isEmpty != false {
            throw .missingSecret("the Argo CD API needs a token (set the token environment variable)")
        }
        for receiver in configuration.fluxReceivers where receiver.kind != .generic && receiver.token?.isEmpty != false {
            throw .missingSecret("a \(receiver.kind.rawValue) Flux Receiver needs its token (set the receiver token environment variable)")
        }
    }

    public func notify(_ affected: [AffectedApp]) async -> [NotifyResult] {
        var results: [NotifyResult] = []
        // Apps whose names still hold template expressions cannot be addressed by name.
        let argoApps = affected.map(\.app).filter { $0.kind == .argoApplication && !GeneratorTemplate.isTemplated($0.name) }
        let fluxAffected = affected.contains { !$0.app.kind.isArgo }
        let argoAffected = affected.contains { $0.app.kind.isArgo }
        if let server = configuration.argoServer, let token = configuration.argoToken {
            for app in argoApps {
                results.append(await refresh(app, server: server, token: token))
            }
        }
        let payload = PushPayload(configuration.push).body()
        if let webhook = configuration.argoWebhook, argoAffected {
            var request = Self.post(webhook, body: payload, shownURL: HTTPRequest.redacted(webhook))
            request.headers.append(("X-GitHub-Event", "push"))
            if let secret = configuration.argoWebhookSecret, !secret.isEmpty {
                request.headers.append(("X-Hub-Signature-256", "sha256=" + HMAC.sha256Hex(payload, key: Array(secret.utf8))))
            }
            results.append(await send(request, kind: "argocd-webhook", app: nil))
        }
        if fluxAffected {
            for receiver in configuration.fluxReceivers {
                var request = Self.post(receiver.url, body: payload, shownURL: Self.redactingHookPath(receiver.url))
                let signature = receiver.token.map { "sha256=" + HMAC.sha256Hex(payload, key: Array($0.utf8)) }
                switch receiver.kind {
                case .generic: break
                case .genericHMAC: if let signature { request.headers.append(("X-Signature", signature)) }
                case .github:
                    request.headers.append(("X-GitHub-Event", "push"))
                    if let signature { request.headers.append(("X-Hub-Signature-256", signature)) }
                }
                results.append(await send(request, kind: "flux-receiver", app: nil))
            }
        }
        return results
    }

    /// `GET /api/v1/applications/{name}?refresh=normal` (with `appNamespace` for apps
    /// outside the control plane's namespace).
    private func refresh(_ app: LinkedApp, server: URL, token: String) async -> NotifyResult {
        var components = URLComponents(url: server.appendingPathComponent("api/v1/applications/\(app.name)"), resolvingAgainstBaseURL: false)
        var query = [URLQueryItem(name: "refresh", value: "normal")]
        if let namespace = app.namespace, namespace != "argocd" { query.append(URLQueryItem(name: "appNamespace", value: namespace)) }
        components?.queryItems = query
        guard let url = components?.url else {
            return NotifyResult(kind: "argocd-refresh", url: server.absoluteString, app: app.name, status: nil, ok: false, message: "bad URL")
        }
        let request = HTTPRequest(method: "GET", url: url, headers: [("Authorization", "Bearer \(token)"), ("Accept", "application/json"),
                                                                    ("User-Agent", "capstan")])
        return await send(request, kind: "argocd-refresh", app: app.name, secrets: [token])
    }

    private static func post(_ url: URL, body: [UInt8], shownURL: String) -> HTTPRequest {
        HTTPRequest(method: "POST", url: url, headers: [("Content-Type", "application/json"), ("User-Agent", "capstan")],
                    body: Data(body), shownURL: shownURL)
    }

    /// The result as printed: the URL as shown (a receiver's secret path cut short), and the
    /// server's words with every secret sent masked (a server may echo what it was sent),
    /// then made one printable line and cut: masked first, so a secret across the cut is
    /// never shown in part.
    private func send(_ request: HTTPRequest, kind: String, app: String?, secrets: [String] = []) async -> NotifyResult {
        let masked = ForeignWords.masking(secrets + [request.url.path])
        do {
            let response = try await transport.send(request)
            let ok = (200..<300).contains(response.status)
            let message = ok ? nil : ForeignWords.plainText(response.body, masking: masked)
            return NotifyResult(kind: kind, url: request.shownURL, app: app, status: response.status, ok: ok, message: message)
        } catch {
            return NotifyResult(kind: kind, url: request.shownURL, app: app, status: nil, ok: false, message: ForeignWords.line(error.detail, masking: masked))
        }
    }

    /// A Receiver's webhook path is its only credential for the generic type, so results
    /// (which end up in CI logs) show just its first characters.
    static func redactingHookPath(_ url: URL) -> String {
        let text = url.absoluteString
        guard let range = text.range(of: "/hook/") else { return text }
        let digest = text[range.upperBound...]
        return text[..<range.upperBound] + digest.prefix(8) + (digest.count > 8 ? "…" : "")
    }
}
