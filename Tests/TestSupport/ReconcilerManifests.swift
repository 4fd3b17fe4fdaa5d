/// Flux and Argo CD objects as the tests' release repositories hold them, in one place.
public enum ReconcilerManifests {
    /// The bootstrap GitRepository `flux-system`, tracking `url`'s main.
    public static func fluxGitRepository(url: String) -> String {
        """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata:
          name: flux-system
          namespace: flux-system
        spec:
          interval: 1m
          url: \(url)
          ref:
            branch: main

        """
    }

    /// A Kustomization in flux-system building `path` of its source, GitRepository
    /// flux-system unless `source` names another (an ExternalArtifact of an
    /// ArtifactGenerator); `wait: true`: Ready only once what it applied is healthy.
    public static func fluxKustomization(_ name: String, path: String, wait: Bool = false,
                                         source: (kind: String, name: String) = ("GitRepository", "flux-system")) -> String {
        """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: \(name)
          namespace: flux-system
        spec:
          interval: 10m
          path: \(path)
          prune: true\(wait ? "\n  wait: true" : "")
          sourceRef:
            kind: \(source.kind)
            name: \(source.name)

        """
    }

    /// An Argo CD Application in argocd of `path` in `repoURL` at main, deployed to `server`'s shop namespace.
    public static func argoApplication(_ name: String, repoURL: String, path: String,
                                       server: String = "https://kubernetes.default.svc") -> String {
        """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: \(name)
          namespace: argocd
        spec:
          project: default
          source:
            repoURL: \(repoURL)
            targetRevision: main
            path: \(path)
          destination:
            server: \(server)
            namespace: shop

        """
    }

    /// A Deployment `name` in shop running `image`.
    public static func deployment(_ name: String, image: String) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
          namespace: shop
        spec:
          template:
            spec:
              containers:
                - name: \(name)
                  image: \(image)

        """
    }
}
