import Apps

/// A reconciler object whose rollout `capstan wait` watches.
public struct WaitTarget: Sendable, Encodable, Hashable {
    public enum Kind: String, Sendable, Encodable, CaseIterable {
        case argoApplication = "argocd-application"
        case fluxKustomization = "flux-kustomization"
        case fluxHelmRelease = "flux-helmrelease"
    }

    public let kind: Kind
    public let name: String
    /// The object's namespace (Argo CD's app namespace; Flux's object namespace).
    public let namespace: String?
    /// The cluster directory or destination the catalog names, for the log.
    public let cluster: String?

    public init(kind: Kind, name: String, namespace: String?, cluster: String? = nil) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.cluster = cluster
    }

    /// How the target reads in the log: `argocd-application checkout`, `flux-kustomization flux-system/apps`.
    public var label: String {
        "\(kind.rawValue) " + (namespace.map { kind == .argoApplication && $0 == "argocd" ? "" : "\($0)/" } ?? "") + name
    }

    /// The target for a linked app, or nil with the reason it cannot be waited for.
    static func from(_ app: LinkedApp) -> (WaitTarget?, String?) {
        if app.name.contains("{{") {
            return (nil, "\(app.name): the name depends on the cluster list; not waited for")
        }
        switch app.kind {
        case .argoApplication:
            return (WaitTarget(kind: .argoApplication, name: app.name, namespace: app.namespace, cluster: app.cluster), nil)
        case .fluxKustomization:
            return (WaitTarget(kind: .fluxKustomization, name: app.name, namespace: app.namespace, cluster: app.cluster), nil)
        case .fluxHelmRelease:
            return (WaitTarget(kind: .fluxHelmRelease, name: app.name, namespace: app.namespace, cluster: app.cluster), nil)
        case .argoApplicationSet:
            return (nil, "ApplicationSet \(app.name): its generated Applications are waited for, not the set")
        }
    }

    /// `argocd/NAME`, `argocd/NAMESPACE/NAME`, `kustomization/NAMESPACE/NAME`, `helmrelease/NAMESPACE/NAME`.
    public static func parse(_ text: String) -> WaitTarget? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts.contains(where: \.isEmpty) else { return nil }
        let namespace = parts.count == 3 ? parts[1] : nil
        let name = parts[parts.count - 1]
        switch parts[0] {
        case "argocd", "application": return WaitTarget(kind: .argoApplication, name: name, namespace: namespace)
        case "kustomization": return WaitTarget(kind: .fluxKustomization, name: name, namespace: namespace)
        case "helmrelease": return WaitTarget(kind: .fluxHelmRelease, name: name, namespace: namespace)
        default: return nil
        }
    }
}
