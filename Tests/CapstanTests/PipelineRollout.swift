import CapstanTestSupport
import Foundation

/// The reconciler a release pipeline's `capstan wait` watches, tracking the release
/// repository's main as the merge and the revert land: the loopback Argo CD (its apps
/// checkout-dev, -staging, -prod and platform), or Flux's objects served by a tenant of
/// the process's shared loopback Kubernetes API (`FluxTree.objects`). When the rollout is
/// to fail, the first new revision degrades (checkout-prod) or stalls (the checkout
/// HelmRelease); the revert rolls out healthy.
struct PipelineRollout {
    let reconciler: PipelineHarness.Reconciler
    private let argo: ArgoServer?
    private let flux: KubeServer.Tenant?

    init(_ harness: PipelineHarness, rolloutFails: Bool) throws {
        reconciler = harness.reconciler
        let start = try GitFixtures.git(["rev-parse", "main"], in: harness.bare).trimmingCharacters(in: .whitespacesAndNewlines)
        switch harness.reconciler {
        case .argoCD:
            let names = ["checkout-dev", "checkout-staging", "checkout-prod", "platform"]
            argo = try ArgoServer(apps: Dictionary(uniqueKeysWithValues: names.map { name in
                (name, ArgoServer.App(sequence: "follow-main", merge: start, old: start, repo: harness.releaseURL,
                                      follow: harness.bare.path, degradeFirst: rolloutFails && name == "checkout-prod"))
            }), token: harness.otherSecrets[0])
            flux = nil
        case .flux:
            argo = nil
            flux = try KubeServer.shared().tenant(FluxTree.objects.map { object in
                KubeServer.Object(plural: object.plural, name: object.name, sequence: "follow-main", merge: start, old: start,
                                  namespace: object.namespace, follow: harness.bare.path,
                                  degradeFirst: rolloutFails && object.name == FluxTree.failing)
            })
        }
    }

    /// How the pipeline's text is pointed at this reconciler: `serverFlag` is how it names
    /// Argo CD (`--argocd-server https://argocd.acme.example`, or a CI variable); for Flux
    /// it gives a kubeconfig instead.
    func swaps(serverFlag: String) -> [(String, String)] {
        if let flux { return [(serverFlag, "--kubeconfig \(flux.kubeconfig)")] }
        if let argo, serverFlag.contains(Self.publicArgoURL) { return [(Self.publicArgoURL, argo.url)] }
        return []
    }

    static let publicArgoURL = "https://argocd.acme.example"

    /// The Argo CD address for pipelines that take it from a CI variable.
    var argoURL: String? { argo?.url }

    /// Requests the server refused or answered off its schema.
    var refused: [String] { argo?.refused ?? flux?.refused ?? [] }

    /// The stages the server played, in order.
    var stages: [String] { (argo?.log ?? flux?.log ?? []).compactMap { $0["stage"] as? String } }

    /// The stage that means the merge rolled out healthy, or failed.
    func finalStage(failed: Bool) -> String {
        switch reconciler {
        case .argoCD: failed ? "degraded" : "healthy"
        case .flux: failed ? "stalled" : "ready-merge"
        }
    }

    /// Secrets the pipeline was given for the reconciler besides the harness's.
    var secrets: [String] { flux.map { [$0.token] } ?? [] }
}
