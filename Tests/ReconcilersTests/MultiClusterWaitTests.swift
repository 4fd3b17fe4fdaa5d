import CapstanTestSupport
import Foundation
import Testing

/// An app deployed to several clusters is rolled out only when it is on every one: the
/// same Flux Kustomization under clusters/staging and clusters/production (two tenants of
/// the shared loopback Kubernetes API, one kubeconfig context each), or the same Argo CD
/// app name for two destinations.
@Suite struct MultiClusterWaitTests {
    /// Bootstrap Kustomizations for `clusters`, each applying a Kustomization `apps` of
    /// envs/apps, whose deployment the merge changes.
    static func fluxRepository(clusters: [String]) throws -> WaitFixtures.Repository {
        let path = try WaitFixtures.temporaryDirectory("clusters")
        try WaitFixtures.git(["init", "-q", "-b", "main"], in: path)
        try WaitFixtures.git(["remote", "add", "origin", WaitFixtures.repositoryURL], in: path)
        for cluster in clusters {
            try WaitFixtures.write(ReconcilerManifests.fluxGitRepository(url: WaitFixtures.repositoryURL) + "---\n"
                + ReconcilerManifests.fluxKustomization("flux-system", path: "./clusters/\(cluster)"),
                to: "\(path)/clusters/\(cluster)/flux-system.yaml")
            try WaitFixtures.write(ReconcilerManifests.fluxKustomization("apps", path: "./envs/apps"), to: "\(path)/clusters/\(cluster)/apps.yaml")
        }
        try WaitFixtures.write(WaitFixtures.deployment("apps", tag: "1.0.0"), to: "\(path)/envs/apps/deployment.yaml")
        try WaitFixtures.git(["add", "-A"], in: path)
        try WaitFixtures.git(["commit", "-q", "-m", "base"], in: path)
        let base = try WaitFixtures.git(["rev-parse", "HEAD"], in: path)
        try WaitFixtures.write(WaitFixtures.deployment("apps", tag: "1.1.0"), to: "\(path)/envs/apps/deployment.yaml")
        try WaitFixtures.git(["commit", "-q", "-am", "release 1.1.0"], in: path)
        let merge = try WaitFixtures.git(["rev-parse", "HEAD"], in: path)
        return WaitFixtures.Repository(path: path, base: base, merge: merge, other: base)
    }

    struct Run {
        let output: ChildProcess.Output
        let tenants: [String: KubeServer.Tenant]
    }

    /// `capstan wait` on the merge, `sequences` per cluster; the kubeconfig has a context for
    /// each cluster in `contexts` (default: every one).
    func wait(_ sequences: [String: String], contexts: [String]? = nil) throws -> Run {
        let repository = try Self.fluxRepository(clusters: sequences.keys.sorted())
        let server = try KubeServer.shared()
        var tenants: [String: KubeServer.Tenant] = [:]
        for (cluster, sequence) in sequences {
            tenants[cluster] = try server.tenant([KubeServer.Object(plural: "kustomizations", name: "apps", sequence: sequence,
                                                                    merge: repository.merge, old: repository.base)])
        }
        let kubeconfig = try server.kubeconfig(contexts: tenants.filter { (contexts ?? sequences.keys.sorted()).contains($0.key) })
        let output = try WaitFixtures.capstan(
            ["wait", "--changed", "\(repository.base)..\(repository.merge)", "--repository", repository.path,
             "--kubeconfig", kubeconfig, "--poll-interval", "1s", "--timeout", "30s", "--output", "json"], in: repository.path)
        return Run(output: output, tenants: tenants)
    }

    @Test func aClusterWhereTheRolloutFailsFailsTheWaitThoughAnotherIsReady() throws {
        let run = try wait(["staging": "progress", "production": "healthfail"])
        #expect(run.output.status == 3, "\(run.output.err)")
        #expect(run.output.err.contains("flux-kustomization flux-system/apps on production: failed"), "\(run.output.err)")
        #expect(run.tenants["production"]?.log.isEmpty == false)
        #expect(run.tenants["staging"]?.log.isEmpty == false)
    }

    @Test func everyClusterIsAskedAndMustBeReady() throws {
        let run = try wait(["staging": "progress", "production": "progress"])
        #expect(run.output.status == 0, "\(run.output.err)")
        for cluster in ["staging", "production"] {
            #expect(run.tenants[cluster]?.log.compactMap { $0["stage"] as? String }.last == "ready-merge", "\(cluster)")
            #expect(run.tenants[cluster]?.refused.isEmpty == true)
        }
        let apps = ((run.output.json["rollout"] as? [String: Any])?["apps"] as? [[String: Any]]) ?? []
        #expect(apps.compactMap { ($0["target"] as? [String: Any])?["cluster"] as? String }.sorted() == ["production", "staging"])
    }

    /// Judging both on one API server would miss the other cluster: refused, with what to do.
    @Test func aClusterWithoutAKubeconfigContextIsAUsageError() throws {
        let run = try wait(["staging": "progress", "production": "progress"], contexts: ["staging"])
        #expect(run.output.status == 2, "\(run.output.err)")
        #expect(run.output.err.contains("no context for production"), "\(run.output.err)")
        #expect(run.tenants["staging"]?.log.isEmpty == true)
    }

    @Test func anArgoCDAppOfTheSameNameForTwoDestinationsIsAUsageError() throws {
        let path = try WaitFixtures.temporaryDirectory("argo-destinations")
        try WaitFixtures.git(["init", "-q", "-b", "main"], in: path)
        for (cluster, server) in [("staging", "https://staging.k8s.example"), ("prod", "https://prod.k8s.example")] {
            try WaitFixtures.write(ReconcilerManifests.argoApplication("checkout", repoURL: WaitFixtures.repositoryURL, path: "envs/checkout",
                                                                    server: server), to: "\(path)/argocd/\(cluster)/checkout.yaml")
        }
        try WaitFixtures.write(WaitFixtures.deployment("checkout", tag: "1.0.0"), to: "\(path)/envs/checkout/deployment.yaml")
        try WaitFixtures.git(["add", "-A"], in: path)
        try WaitFixtures.git(["commit", "-q", "-m", "base"], in: path)
        try WaitFixtures.write(WaitFixtures.deployment("checkout", tag: "1.1.0"), to: "\(path)/envs/checkout/deployment.yaml")
        try WaitFixtures.git(["commit", "-q", "-am", "release"], in: path)
        let output = try WaitFixtures.capstan(["wait", "--changed", "HEAD~1..HEAD", "--repository", path, "--repo-url", WaitFixtures.repositoryURL,
                                               "--argocd-server", "http://127.0.0.1:9", "--timeout", "5s"],
                                              in: path, environment: ["ARGOCD_AUTH_TOKEN": "unused"])
        #expect(output.status == 2, "\(output.err)")
        #expect(output.err.contains("defined for several destinations"), "\(output.err)")
    }
}
