/// The example release repository deployed by Flux instead of Argo CD, for the example
/// pipelines' Flux runs: the bootstrap GitRepository and Kustomization of cluster `prod`,
/// a Kustomization per directory Argo CD deployed (`platform`, `envs/prod`), and the
/// checkout chart as a HelmRelease (reconcileStrategy Revision: its version carries the
/// commit) whose values are generated from `envs/prod/config.yaml`, the file the
/// pipelines bump. Repository addresses are the public one, swapped as Argo CD's are.
enum FluxTree {
    /// Argo CD's objects, gone in the Flux flavour.
    static let removed = ["argocd", "apps"]

    /// The objects `capstan wait` finds affected by the bump, as the loopback API serves them.
    static let objects: [(plural: String, name: String, namespace: String)] = [
        ("kustomizations", "platform", "flux-system"), ("kustomizations", "checkout-prod", "flux-system"),
        ("helmreleases", "checkout", "checkout-prod"),
    ]

    /// The object whose first new revision fails when the rollout is to fail.
    static let failing = "checkout"

    static let files: [String: String] = [
        "clusters/prod/flux-system/gotk-sync.yaml": """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata:
              name: flux-system
              namespace: flux-system
            spec:
              interval: 1m0s
              ref:
                branch: main
              url: \(PipelineHarness.publicURL)
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: flux-system
              namespace: flux-system
            spec:
              interval: 10m0s
              path: ./clusters/prod
              prune: true
              sourceRef:
                kind: GitRepository
                name: flux-system

            """,
        "clusters/prod/platform.yaml": kustomization("platform", path: "./platform"),
        "clusters/prod/checkout.yaml": kustomization("checkout-prod", path: "./envs/prod"),
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

    private static func kustomization(_ name: String, path: String) -> String {
        """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: \(name)
          namespace: flux-system
        spec:
          interval: 10m0s
          path: \(path)
          prune: true
          wait: true
          sourceRef:
            kind: GitRepository
            name: flux-system

        """
    }
}
