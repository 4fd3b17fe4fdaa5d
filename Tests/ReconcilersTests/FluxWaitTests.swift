import CapstanTestSupport
import Foundation
import Reconcilers
import Testing

/// `capstan wait` on Flux through a loopback Kubernetes API over TLS (a CA made by
/// openssl in the test), authenticated by bearer token or client certificate from a
/// kubeconfig; every object served checked against the Flux CRD schemas. Bearer-token
/// runs are tenants of the process's shared server; the others start their own.
@Suite struct FluxWaitTests {
    struct Run {
        let output: ChildProcess.Output
        /// What the server saw of this run (its tenant's requests on the shared server).
        let log: [[String: Any]]
        let refused: [String]
        let repository: WaitFixtures.Repository
        var stages: [String] { log.compactMap { $0["stage"] as? String } }
    }

    /// One Flux object per app (HelmReleases for `helm`), served with the given sequences.
    func wait(_ sequences: [String: String], helm: Set<String> = [], user: KubeServer.User = .token, extra: [String] = []) throws -> Run {
        let repository = try WaitFixtures.repository(apps: sequences.keys.sorted(), flavour: .flux, helmReleases: helm)
        let objects = sequences.map { name, sequence in
            KubeServer.Object(plural: helm.contains(name) ? "helmreleases" : "kustomizations", name: name, sequence: sequence,
                              merge: repository.merge, old: repository.base)
        }
        let tenant = user == .token ? try KubeServer.shared().tenant(objects) : nil
        let server = tenant == nil ? try KubeServer(objects: objects) : nil
        let kubeconfig = try tenant?.kubeconfig ?? server?.kubeconfig(user) ?? ""
        let output = try WaitFixtures.capstan(
            ["wait", "--changed", "\(repository.base)..\(repository.merge)", "--repository", repository.path,
             "--kubeconfig", kubeconfig, "--poll-interval", "1s", "--timeout", "30s", "--output", "json"] + extra,
            in: repository.path)
        return Run(output: output, log: tenant?.log ?? server?.log ?? [], refused: tenant?.refused ?? server?.refused ?? [],
                   repository: repository)
    }

    func verdict(_ run: Run, _ index: Int = 0) -> [String: Any] {
        let apps = ((run.output.json["rollout"] as? [String: Any])?["apps"] as? [[String: Any]]) ?? []
        return index < apps.count ? apps[index]["verdict"] as? [String: Any] ?? [:] : [:]
    }

    @Test func aKustomizationIsFollowedToReadyAtTheMergeWithABearerToken() throws {
        let run = try wait(["apps": "progress"])
        #expect(run.output.status == 0, "\(run.output.err)")
        #expect(run.stages == ["ready-old", "unobserved", "progressing", "ready-merge"])
        #expect(run.log.allSatisfy { ($0["user"] as? String)?.hasPrefix("tenant:") == true })
        #expect(run.refused.isEmpty, "\(run.refused)")
        #expect(verdict(run)["revision"] as? String == "main@sha1:\(run.repository.merge)")
        #expect(verdict(run)["ready"] as? String == "True (ReconciliationSucceeded)")
        #expect(run.output.err.contains("flux-kustomization flux-system/apps: waiting, revision main@sha1:\(run.repository.base.prefix(7)) (ancestor)"))
    }

    @Test func aClientCertificateFromTheKubeconfigAuthenticates() throws {
        let run = try wait(["apps": "progress"], user: .certificate)
        #expect(run.output.status == 0, "\(run.output.err)")
        #expect(run.log.allSatisfy { $0["user"] as? String == "certificate:capstan-ci" })
    }

    @Test func noCredentialsIsAnErrorNotARolloutFailure() throws {
        let run = try wait(["apps": "progress"], user: .nobody)
        #expect(run.output.status == 1, "\(run.output.err)")
        #expect(run.output.err.contains("HTTP 401: Unauthorized"))
    }

    @Test func aFailedHealthCheckAtTheMergeFailsWithTheControllersMessage() throws {
        let run = try wait(["apps": "healthfail"])
        #expect(run.output.status == 3, "\(run.output.err)")
        let messages = verdict(run)["messages"] as? [String] ?? []
        #expect(messages == ["health check failed after 30s: timeout waiting for: [Deployment/shop/apps status: 'InProgress']"])
        #expect(verdict(run)["ready"] as? String == "False (HealthCheckFailed)")
    }

    @Test func aDependencyNotReadyIsWaitedThrough() throws {
        let run = try wait(["apps": "dependency"])
        #expect(run.output.status == 0, "\(run.output.err)")
        #expect(run.stages == ["dependency-not-ready", "progressing", "ready-merge"])
        #expect(run.output.err.contains("dependency 'flux-system/infrastructure' is not ready"))
        #expect(run.refused.isEmpty, "\(run.refused)")
    }

    @Test func aBuildFailureOfTheMergeFailsAtTheMerge() throws {
        let run = try wait(["apps": "buildfail"])
        #expect(run.output.status == 3, "\(run.output.err)")
        #expect(verdict(run)["ready"] as? String == "False (BuildFailed)")
        #expect(verdict(run)["revision"] as? String == "main@sha1:\(run.repository.merge)")
        #expect((verdict(run)["messages"] as? [String])?.first?.hasPrefix("kustomize build failed: accumulating resources") == true)
    }

    @Test func anUpgradeThatHelmControllerRetriesIsWaitedThrough() throws {
        let run = try wait(["web": "helm-retry"], helm: ["web"])
        #expect(run.output.status == 0, "\(run.output.err)")
        #expect(run.stages == ["ready-old", "progressing", "upgrade-failed-retrying", "progressing", "ready-merge"])
        #expect(run.refused.isEmpty, "\(run.refused)")
    }

    @Test func aReleaseStalledBeforeTheMergeGetsTheMergesOwnAttempt() throws {
        let run = try wait(["web": "helm-stalled-old"], helm: ["web"])
        #expect(run.output.status == 0, "\(run.output.err)")
        #expect(run.stages == ["stalled-old", "progressing", "ready-merge"])
        #expect(run.refused.isEmpty, "\(run.refused)")
    }

    @Test func anExternalArtifactsOriginRevisionPinsTheRollout() throws {
        let run = try wait(["apps": "external"])
        #expect(run.output.status == 0, "\(run.output.err)")
        #expect(run.log.count == 2)
        #expect(run.refused.isEmpty, "\(run.refused)")
    }

    @Test func aHelmReleaseOfAChartFromTheRepositoryIsPinnedByItsVersion() throws {
        let run = try wait(["web": "helm-progress"], helm: ["web"])
        #expect(run.output.status == 0, "\(run.output.err)")
        #expect(run.stages == ["ready-old", "progressing", "ready-merge"])
        #expect(verdict(run)["revision"] as? String == "0.1.0+\(run.repository.merge.prefix(12))")
        #expect(run.refused.isEmpty, "\(run.refused)")
    }

    @Test func installRetriesExhaustedStallsAndFails() throws {
        let run = try wait(["web": "helm-stall"], helm: ["web"])
        #expect(run.output.status == 3, "\(run.output.err)")
        #expect(verdict(run)["messages"] as? [String] == ["Stalled (RetriesExceeded): Failed to install after 1 attempt(s)",
                                                           "Helm install failed for release shop/web with chart web@0.1.0+\(run.repository.merge.prefix(12)): "
                                                           + "context deadline exceeded"])
        #expect(verdict(run)["revision"] as? String == "0.1.0+\(run.repository.merge.prefix(12))")
        #expect(run.refused.isEmpty, "\(run.refused)")
    }

    @Test func theInClusterServiceAccountReachesTheAPI() async throws {
        let server = try KubeServer(objects: [KubeServer.Object(plural: "kustomizations", name: "apps", sequence: "progress",
                                                                merge: RevisionTests.merge, old: RevisionTests.earlier)])
        let account = try WaitFixtures.temporaryDirectory("serviceaccount")
        try server.token.write(toFile: "\(account)/token", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: "\(server.directory)/ca.pem", toPath: "\(account)/ca.crt")
        let connection = try KubernetesConnection.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "\(server.port)"], directory: account)
        let object = try await FluxClient(connection: connection, transport: CurlReconcilerTransport())
            .object(.kustomization, name: "apps", namespace: "flux-system")
        #expect(object.status?.lastAppliedRevision == "main@sha1:\(RevisionTests.earlier)")
        #expect(server.log.first?["user"] as? String == "token")
    }

    @Test func aServerCertificateFromAnotherCAIsRefused() async throws {
        let server = try KubeServer(objects: [])
        let stranger = try KubeServer(objects: [])
        let connection = KubernetesConnection(
            server: try #require(URL(string: "https://127.0.0.1:\(server.port)")), token: server.token,
            tls: TLSSettings(caPEM: try Data(contentsOf: URL(fileURLWithPath: "\(stranger.directory)/ca.pem"))), namespace: nil)
        await #expect(throws: ReconcilerError.self) {
            _ = try await FluxClient(connection: connection, transport: CurlReconcilerTransport())
                .object(.kustomization, name: "apps", namespace: "flux-system")
        }
        #expect(server.log.isEmpty)
    }
}
