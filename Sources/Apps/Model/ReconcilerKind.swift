/// Which reconciler object deploys an app; it decides how the app is nudged.
public enum ReconcilerKind: String, Sendable, Encodable, Hashable, CaseIterable {
    case argoApplication = "argocd-application"
    case argoApplicationSet = "argocd-applicationset"
    case fluxKustomization = "flux-kustomization"
    case fluxHelmRelease = "flux-helmrelease"

    /// How the kind reads in text output.
    public var displayName: String {
        switch self {
        case .argoApplication: "Argo CD Application"
        case .argoApplicationSet: "Argo CD ApplicationSet"
        case .fluxKustomization: "Flux Kustomization"
        case .fluxHelmRelease: "Flux HelmRelease"
        }
    }

    public var isArgo: Bool { self == .argoApplication || self == .argoApplicationSet }
}
