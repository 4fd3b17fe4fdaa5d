import Foundation
import HTTP

/// Reads Flux objects through the Kubernetes API: one GET per object.
public struct FluxClient: Sendable {
    /// The Flux object kinds capstan waits for, with their API group, version and plural.
    public enum Kind: String, Sendable {
        case kustomization = "Kustomization"
        case helmRelease = "HelmRelease"

        var path: String {
            switch self {
            case .kustomization: "apis/kustomize.toolkit.fluxcd.io/v1"
            case .helmRelease: "apis/helm.toolkit.fluxcd.io/v2"
            }
        }

        var plural: String {
            switch self {
            case .kustomization: "kustomizations"
            case .helmRelease: "helmreleases"
            }
        }
    }

    public let connection: KubernetesConnection
    public let transport: any ReconcilerTransport

    public init(connection: KubernetesConnection, transport: any ReconcilerTransport) {
        self.connection = connection
        self.transport = transport
    }

    /// `GET /apis/<group>/<version>/namespaces/<namespace>/<plural>/<name>`.
    public func object(_ kind: Kind, name: String, namespace: String) async throws(ReconcilerError) -> FluxObject {
        let url = objectURL(kind, name: name, namespace: namespace)
        let response = try await transport.send(ReconcilerRequest(url: url, headers: connection.headers, tls: connection.tls))
        guard (200..<300).contains(response.status) else {
            throw .http(url: url.absoluteString, status: response.status,
                        message: Self.statusMessage(response.body, masking: connection.token.map { [$0] } ?? []))
        }
        do {
            return try FluxObject(json: response.body)
        } catch {
            throw .undecodable(url: url.absoluteString, message: "not a \(kind.rawValue)")
        }
    }

    func objectURL(_ kind: Kind, name: String, namespace: String) -> URL {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        let escape = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return connection.server
            .appendingPathComponent(kind.path)
            .appendingPathComponent("namespaces/\(escape(namespace))/\(kind.plural)/\(escape(name))")
    }

    /// A `metav1.Status` body's message, else the start of the body; the token masked (before
    /// the body is cut) and one printable line.
    static func statusMessage(_ body: Data, masking secrets: [String] = []) -> String {
        struct Status: Decodable { var message: String? }
        if let message = try? JSONDecoder().decode(Status.self, from: body).message { return ServerWords.shown(message, masking: secrets) }
        return String(ServerWords.shown(String(decoding: body, as: UTF8.self), masking: secrets).prefix(300))
    }
}
