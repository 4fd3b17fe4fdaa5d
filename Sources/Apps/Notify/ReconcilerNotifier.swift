import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Signatures

/// Nudges the reconcilers about affected apps; deploying stays their job. Argo CD: a
/// `refresh=normal` GET per Application through its API, and/or one push event to its
/// webhook. Flux: one call per Receiver, signed as the Receiver's type expects.
public struct ReconcilerNotifier: Sendable {
    public let configuration: NotifyConfiguration
    public let transport: any HTTPTransport

    public init(configuration: NotifyConfiguration, transport: any HTTPTransport = URLSessionTransport()) {
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
            var request = Self.post(webhook, body: payload)
            request.setValue("push", forHTTPHeaderField: "X-GitHub-Event")
            if let secret = configuration.argoWebhookSecret, !secret.isEmpty {
                request.setValue("sha256=" + HMAC.sha256Hex(payload, key: Array(secret.utf8)), forHTTPHeaderField: "X-Hub-Signature-256")
            }
            results.append(await send(request, kind: "argocd-webhook", app: nil))
        }
        if fluxAffected {
            for receiver in configuration.fluxReceivers {
                var request = Self.post(receiver.url, body: payload)
                let signature = receiver.token.map { "sha256=" + HMAC.sha256Hex(payload, key: Array($0.utf8)) }
                switch receiver.kind {
                case .generic: break
                case .genericHMAC: request.setValue(signature, forHTTPHeaderField: "X-Signature")
                case .github:
                    request.setValue("push", forHTTPHeaderField: "X-GitHub-Event")
                    request.setValue(signature, forHTTPHeaderField: "X-Hub-Signature-256")
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
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        return await send(request, kind: "argocd-refresh", app: app.name)
    }

    private static func post(_ url: URL, body: [UInt8]) -> URLRequest {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("capstan", forHTTPHeaderField: "User-Agent")
        return request
    }

    private func send(_ request: URLRequest, kind: String, app: String?) async -> NotifyResult {
        let url = request.url.map { kind == "flux-receiver" ? Self.redactingHookPath($0) : $0.absoluteString } ?? "?"
        do {
            let (status, body) = try await transport.send(request)
            let ok = (200..<300).contains(status)
            let message = ok ? nil : String(decoding: body.prefix(300), as: UTF8.self)
            return NotifyResult(kind: kind, url: url, app: app, status: status, ok: ok, message: message)
        } catch {
            return NotifyResult(kind: kind, url: url, app: app, status: nil, ok: false, message: "\(error)")
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
