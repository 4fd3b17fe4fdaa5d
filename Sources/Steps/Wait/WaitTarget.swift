import Foundation
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

    /// Set when another target has the same kind, namespace and name on another cluster.
    public var onSeveralClusters = false

    /// How the target reads in the log: `argocd-application checkout`, `flux-kustomization flux-system/apps`
    /// (`… on staging` when the same object is waited for on several clusters).
    public var label: String {
        "\(kind.rawValue) " + (namespace.map { kind == .argoApplication && $0 == "argocd" ? "" : "\($0)/" } ?? "") + name
            + (onSeveralClusters ? cluster.map { " on \($0)" } ?? "" : "")
    }

    /// `kustomization/NAME`, `helmrelease/NAME`: how notification-controller names a Flux object's statuses.
    var fluxName: String {
        "\(kind == .fluxHelmRelease ? "helmrelease" : "kustomization")/\(name)".lowercased()
    }

    /// The targets for a linked app (a Flux object applied by several clusters' bootstrap
    /// Kustomizations is one object on each of them), or none with the reason it cannot be waited for.
    static func from(_ app: LinkedApp) -> ([WaitTarget], String?) {
        if app.name.contains("{{") {
            return ([], "\(app.name): the name depends on the cluster list; not waited for")
        }
        let kind: Kind
        switch app.kind {
        case .argoApplication: kind = .argoApplication
        case .fluxKustomization: kind = .fluxKustomization
        case .fluxHelmRelease: kind = .fluxHelmRelease
        case .argoApplicationSet:
            return ([], "ApplicationSet \(app.name): its generated Applications are waited for, not the set")
        }
        let clusters = kind == .argoApplication ? [app.cluster]
            : app.cluster.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? [nil]
        return (clusters.map { WaitTarget(kind: kind, name: app.name, namespace: app.namespace, cluster: $0) }, nil)
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
