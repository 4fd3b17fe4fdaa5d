import Forges
import Foundation
import Reconcilers
import Synchronization

/// The Kubernetes API of a catalog cluster (a `clusters/<name>` directory), nil when the
/// kubeconfig has no context for it.
public typealias FluxClusterClients = @Sendable (_ cluster: String) throws(ReconcilerError) -> FluxClient?

/// Where to read rollout state: Argo CD's API and/or the Kubernetes API for Flux.
public struct ReconcilerAccess: Sendable {
    public var argo: ArgoCDClient?
    /// The kubeconfig's current (or given) context: Flux on the one cluster waited for.
    public var flux: FluxClient?
    /// Flux apps on several clusters: each cluster's own context.
    public var fluxClusters: FluxClusterClients?
    /// `--via forge`: Flux apps judged from the commit statuses on the merge commit instead.
    public var fluxStatuses: (any CommitStatusReading)?

    public init(argo: ArgoCDClient? = nil, flux: FluxClient? = nil, fluxClusters: FluxClusterClients? = nil,
                fluxStatuses: (any CommitStatusReading)? = nil) {
        self.argo = argo
        self.flux = flux
        self.fluxClusters = fluxClusters
        self.fluxStatuses = fluxStatuses
    }
}

/// Counts the requests a wait sends, so its outcome (and the test of "one request per app
/// per poll") can say how many went out.
public final class CountingTransport: ReconcilerTransport {
    private let inner: any ReconcilerTransport
    private let count = Mutex(0)

    public init(_ inner: any ReconcilerTransport) {
        self.inner = inner
    }

    public var requests: Int { count.withLock { $0 } }

    public func send(_ request: ReconcilerRequest) async throws(ReconcilerError) -> ReconcilerResponse {
        count.withLock { $0 += 1 }
        return try await inner.send(request)
    }
}

/// One look at one target: one API request, judged.
struct RolloutObserver: Sendable {
    let access: ReconcilerAccess
    let argoJudge: ArgoRolloutJudge
    let fluxJudge: FluxRolloutJudge
    /// Namespace for Flux objects the repository leaves unnamespaced.
    let defaultFluxNamespace: String
    /// Flux targets on one of several clusters: that cluster's client (the others use `access.flux`).
    var fluxByCluster: [String: FluxClient] = [:]
    /// `--via forge`: how many targets share each `<kind>/<name>` (one per cluster, each
    /// cluster's notification-controller posting its own status).
    var sharedNames: [String: Int] = [:]

    /// `statuses`: the merge commit's statuses, read once per poll, with `--via forge`.
    func observe(_ target: WaitTarget, firstLook: Bool, statuses: [CommitStatus]?) async throws(WaitError) -> AppVerdict {
        if target.kind != .argoApplication, let statuses {
            return FluxCommitStatusJudge.judge(target, statuses: statuses, clusters: sharedNames[target.fluxName] ?? 1)
        }
        do {
            switch target.kind {
            case .argoApplication:
                guard let argo = access.argo else { throw WaitError.usage("\(target.label): give --argocd-server to wait for Argo CD apps") }
                // The first look asks Argo CD to compare with the repository now (same request).
                let app = try await argo.application(target.name, namespace: target.namespace, refresh: firstLook)
                return argoJudge.judge(app)
            case .fluxKustomization, .fluxHelmRelease:
                guard let flux = target.cluster.flatMap({ fluxByCluster[$0] }) ?? access.flux else {
                    throw WaitError.usage("\(target.label): give a kubeconfig (--kubeconfig, $KUBECONFIG) or run in the cluster to wait for Flux")
                }
                let kind: FluxClient.Kind = target.kind == .fluxKustomization ? .kustomization : .helmRelease
                let object = try await flux.object(kind, name: target.name, namespace: target.namespace ?? defaultFluxNamespace)
                return fluxJudge.judge(object)
            }
        } catch let error as WaitError {
            throw error
        } catch let error as ReconcilerError {
            if error.isTransient {
                return AppVerdict(phase: .waiting, messages: ["not reachable this poll: \(error)"])
            }
            throw .reconciler(target: target.label, error: error)
        } catch {
            throw .usage("\(error)")
        }
    }
}
