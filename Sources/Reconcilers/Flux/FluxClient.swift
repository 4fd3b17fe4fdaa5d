import Foundation
import Words

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
            throw .http(url: url.absoluteString, status: response.status, message: Self.statusMessage(response.body, token: connection.token ?? ""))
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

    /// A `metav1.Status` body's message, else the body: one printable line, cut, with the
    /// token masked first (a server or proxy may echo the request back).
    static func statusMessage(_ body: Data, token: String = "") -> String {
        struct Status: Decodable { var message: String? }
        let mask = ForeignWords.masking([token])
        if let message = try? JSONDecoder().decode(Status.self, from: body).message { return ForeignWords.line(message, masking: mask) }
        return ForeignWords.plainText(body, masking: mask)
    }
}
