import CapstanTestSupport

/// The example release repository deployed by Flux as well, to a second cluster `edge`
/// (Argo CD deploys it to its own): the bootstrap GitRepository and Kustomization of
/// clusters/edge, a Kustomization per directory Argo CD deploys (`platform`, `envs/prod`),
/// and the checkout chart as a HelmRelease (reconcileStrategy Revision: its version
/// carries the commit) whose values are generated from `envs/prod/config.yaml`, the file
/// the pipelines bump. Repository addresses are the public one, swapped as Argo CD's are.
enum FluxTree {
    /// The objects `capstan wait` finds affected by the bump, as the loopback API serves them.
    static let objects: [(plural: String, name: String, namespace: String)] = [
        ("kustomizations", "platform", "flux-system"), ("kustomizations", "checkout-prod", "flux-system"),
        ("helmreleases", "checkout", "checkout-prod"),
    ]

    /// The object whose first new revision fails when the rollout is to fail.
    static let failing = "checkout"

    static let files: [String: String] = [
        "clusters/edge/flux-system/gotk-sync.yaml": ReconcilerManifests.fluxGitRepository(url: PipelineHarness.publicURL) + "---\n"
            + ReconcilerManifests.fluxKustomization("flux-system", path: "./clusters/edge"),
        "clusters/edge/platform.yaml": ReconcilerManifests.fluxKustomization("platform", path: "./platform", wait: true),
        "clusters/edge/checkout.yaml": ReconcilerManifests.fluxKustomization("checkout-prod", path: "./envs/prod", wait: true),
        "envs/prod/kustomization.yaml": """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            namespace: checkout-prod
            resources:
              - checkout-release.yaml
            configMapGenerator:
              - name: checkout-values
                files:
                  - values.yaml=config.yaml

            """,
        "envs/prod/checkout-release.yaml": """
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata:
              name: checkout
              namespace: checkout-prod
            spec:
              interval: 10m
              releaseName: checkout
              chart:
                spec:
                  chart: ./charts/checkout
                  reconcileStrategy: Revision
                  sourceRef:
                    kind: GitRepository
                    name: flux-system
                    namespace: flux-system
              valuesFrom:
                - kind: ConfigMap
                  name: checkout-values
                  valuesKey: values.yaml

            """,
    ]
}
