import CapstanTestSupport
import Foundation

/// The reconcilers a release pipeline's `capstan wait` watches, tracking the release
/// repository's main as the merge and the revert land: the loopback Argo CD (its apps
/// checkout-dev, -staging, -prod and platform) and, when Flux deploys the repository too,
/// Flux's objects served by a tenant of the process's shared loopback Kubernetes API
/// (`FluxTree.objects`). One wait judges both at once. When the rollout is to fail, the
/// first new revision degrades checkout-prod and stalls the checkout HelmRelease; the
/// revert rolls out healthy on both.
struct PipelineRollout {
    private let argo: ArgoServer
    private let flux: KubeServer.Tenant?

    init(_ harness: PipelineHarness, rolloutFails: Bool) throws {
        let start = try GitFixtures.git(["rev-parse", "main"], in: harness.bare).trimmingCharacters(in: .whitespacesAndNewlines)
        let names = ["checkout-dev", "checkout-staging", "checkout-prod", "platform"]
        argo = try ArgoServer(apps: Dictionary(uniqueKeysWithValues: names.map { name in
            (name, ArgoServer.App(sequence: "follow-main", merge: start, old: start, repo: harness.releaseURL,
                                  follow: harness.bare.path, degradeFirst: rolloutFails && name == "checkout-prod"))
        }), token: harness.otherSecrets[0])
        flux = harness.flux ? try KubeServer.shared().tenant(FluxTree.objects.map { object in
            KubeServer.Object(plural: object.plural, name: object.name, sequence: "follow-main", merge: start, old: start,
                              namespace: object.namespace, follow: harness.bare.path,
                              degradeFirst: rolloutFails && object.name == FluxTree.failing)
        }) : nil
    }

    static let publicArgoURL = "https://argocd.acme.example"

    /// How the pipeline's text is pointed at the reconcilers: `serverFlag` is how it names
    /// Argo CD (`--argocd-server https://argocd.acme.example`, or a CI variable); the loopback
    /// Argo CD's address replaces the public one, and a kubeconfig for Flux follows it.
    func swaps(serverFlag: String) -> [(String, String)] {
        let argoFlag = serverFlag.replacingOccurrences(of: Self.publicArgoURL, with: argo.url)
        let flags = argoFlag + (flux.map { " --kubeconfig \($0.kubeconfig)" } ?? "")
        return flags == serverFlag ? [] : [(serverFlag, flags)]
    }

    /// The Argo CD address for pipelines that take it from a CI variable.
    var argoURL: String { argo.url }

    /// Requests a server refused or answered off its schema.
    var refused: [String] { argo.refused + (flux?.refused ?? []) }

    /// Whether each reconciler played the merge to its end: healthy, or failed.
    func sawTheEnd(failed: Bool) -> Bool {
        argo.log.contains { $0["stage"] as? String == (failed ? "degraded" : "healthy") }
            && (flux.map { $0.log.contains { $0["stage"] as? String == (failed ? "stalled" : "ready-merge") } } ?? true)
    }

    /// What each server played, for a failure message.
    var stages: String {
        "argocd: \(argo.log.compactMap { $0["stage"] as? String }); flux: \(flux?.log.compactMap { $0["stage"] as? String } ?? [])"
    }

    /// Secrets the pipeline was given for the reconcilers besides the harness's.
    var secrets: [String] { flux.map { [$0.token] } ?? [] }
}
