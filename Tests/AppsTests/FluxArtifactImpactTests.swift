import Apps
import CapstanTestSupport
import Foundation
import Testing

/// Flux 2.7's layout, on the real fluxcd/flux2-kustomize-helm-example (Tests/Fixtures/repos):
/// an ArtifactGenerator per cluster copies folders of the repository into ExternalArtifacts,
/// and the Kustomizations build paths inside those.
@Suite struct FluxArtifactImpactTests {
    static let example = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/repos/flux2-kustomize-helm-example").path

    private func affected(_ paths: String...) throws -> Set<String> {
        try Fixtures.affected(paths, in: Self.example)
    }

    @Test func anEnvironmentsValuesPatchAffectsThatClustersKustomizationAndHelmRelease() throws {
        #expect(try affected("apps/production/podinfo-values.yaml") == ["flux-kustomization apps@production", "flux-helmrelease podinfo@production"])
        #expect(try affected("apps/staging/podinfo-values.yaml") == ["flux-kustomization apps@staging", "flux-helmrelease podinfo@staging"])
    }

    @Test func theBaseReleaseAffectsBothClusters() throws {
        #expect(try affected("apps/base/podinfo/release.yaml") == [
            "flux-kustomization apps@staging", "flux-kustomization apps@production",
            "flux-helmrelease podinfo@staging", "flux-helmrelease podinfo@production",
        ])
    }

    @Test func infrastructureConfigsAffectTheConfigsKustomizationOfEachCluster() throws {
        #expect(try affected("infrastructure/configs/cluster-issuers.yaml") == [
            "flux-kustomization infra-configs@staging", "flux-kustomization infra-configs@production",
        ])
        #expect(try affected("infrastructure/controllers/cert-manager.yaml") == [
            "flux-kustomization infra-controllers@staging", "flux-kustomization infra-controllers@production",
            "flux-helmrelease cert-manager@staging", "flux-helmrelease cert-manager@production",
        ])
    }

    @Test func aGeneratorAffectsTheKustomizationsBuildingItsArtifactsInItsCluster() throws {
        #expect(try affected("clusters/production/artifacts.yaml") == [
            "flux-kustomization apps@production", "flux-kustomization infra-configs@production", "flux-kustomization infra-controllers@production",
        ])
    }

    @Test func filesNoGeneratorCopiesAffectNothing() throws {
        #expect(try affected("scripts/validate.sh", "README.md", ".github/workflows/e2e.yaml").isEmpty)
    }

    @Test func clustersAreNamedAfterTheClustersTreeHoldingTheObjects() throws {
        let catalog = try AppCatalog.discover(root: Self.example)
        let clusters = Set(catalog.apps.compactMap(\.cluster))
        #expect(clusters == ["staging", "production"])
        let configs = catalog.apps.filter { $0.name == "infra-configs" }
        #expect(Set(configs.map(\.cluster)) == ["staging", "production"])
        #expect(catalog.apps.allSatisfy { $0.note == nil }, "\(catalog.apps.compactMap(\.note))")
    }

    @Test func copyRulesDecideWhichFilesFeedTheArtifact() throws {
        let root = try Fixtures.temporaryDirectory("artifact-copies")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files = [
            "clusters/dev/generator.yaml": """
            apiVersion: source.extensions.fluxcd.io/v1beta1
            kind: ArtifactGenerator
            metadata:
              name: bundle
              namespace: flux-system
            spec:
              sources:
                - alias: repo
                  kind: GitRepository
                  name: flux-system
              artifacts:
                - name: bundle
                  copy:
                    - from: "@repo/deploy/"
                      to: "@artifact/"
                      exclude: ["*.md", "drafts/**"]
                    - from: "@repo/shared/*.yaml"
                      to: "@artifact/deploy/shared/"
                    - from: "@repo/settings/dev.yaml"
                      to: "@artifact/deploy/settings.yaml"
                    - from: "@repo/components/**"
                      to: "@artifact/components/"
            """,
            "clusters/dev/sync.yaml": """
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata:
              name: bundle
              namespace: flux-system
            spec:
              interval: 10m
              path: ./deploy
              prune: true
              components:
                - ../components/monitoring
              sourceRef:
                kind: ExternalArtifact
                name: bundle
            """,
            "components/monitoring/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - servicemonitor.yaml\n",
            "components/monitoring/servicemonitor.yaml": "kind: ServiceMonitor\n",
            "components/logging/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
            "deploy/app.yaml": "kind: ConfigMap\n",
            "deploy/drafts/next.yaml": "kind: ConfigMap\n",
            "deploy/NOTES.md": "notes\n",
            "shared/limits.yaml": "kind: LimitRange\n",
            "shared/nested/deep.yaml": "kind: ConfigMap\n",
            "settings/dev.yaml": "kind: ConfigMap\n",
            "settings/prod.yaml": "kind: ConfigMap\n",
        ]
        try Fixtures.writeTree(files, in: root)
        let bundle: Set<String> = ["flux-kustomization bundle@dev"]
        for path in ["deploy/app.yaml", "shared/limits.yaml", "settings/dev.yaml", "clusters/dev/generator.yaml", "deploy/removed.yaml",
                     "components/monitoring/servicemonitor.yaml"] {
            #expect(try Fixtures.affected([path], in: root) == bundle, "\(path)")
        }
        for path in ["deploy/drafts/next.yaml", "deploy/NOTES.md", "shared/nested/deep.yaml", "settings/prod.yaml",
                     "components/logging/kustomization.yaml"] {
            #expect(try Fixtures.affected([path], in: root).isEmpty, "\(path)")
        }
    }

    /// Outside a `clusters/<name>` tree only a bootstrap Kustomization living in the folder
    /// it syncs names a cluster; a path's last folder alone never does.
    @Test func aPathsLastFolderIsNoClusterName() throws {
        let root = try Fixtures.temporaryDirectory("cluster-names")
        defer { try? FileManager.default.removeItem(atPath: root) }
        func kustomization(_ name: String, _ path: String) -> String {
            "---\n" + ReconcilerManifests.fluxKustomization(name, path: path)
        }
        let files = [
            "k8s/prod/flux-system/gotk-sync.yaml": kustomization("flux-system", "./k8s/prod"),
            "k8s/prod/infrastructure.yaml": kustomization("infra-configs", "./infrastructure/configs"),
            "fleet/tenants.yaml": kustomization("tenants", "./tenants/team-a"),
            "infrastructure/configs/issuer.yaml": "kind: ConfigMap\n",
            "tenants/team-a/namespace.yaml": "kind: Namespace\n",
        ]
        try Fixtures.writeTree(files, in: root)
        let catalog = try AppCatalog.discover(root: root)
        let clusters = Dictionary(uniqueKeysWithValues: catalog.apps.map { ($0.name, $0.cluster ?? "unknown") })
        #expect(clusters == ["flux-system": "prod", "infra-configs": "prod", "tenants": "unknown"])
    }

    /// source-watcher's monorepo example: one artifact per `apps/{app}/envs/{env}` folder.
    @Test func aPathPatternMakesAnArtifactPerMatchingFolder() throws {
        let root = try Fixtures.temporaryDirectory("artifact-pattern")
        defer { try? FileManager.default.removeItem(atPath: root) }
        func kustomization(_ name: String) -> String {
            "---\n" + ReconcilerManifests.fluxKustomization(name, path: "./", source: ("ExternalArtifact", name))
        }
        let files = [
            "clusters/prod/generator.yaml": """
            apiVersion: source.extensions.fluxcd.io/v1beta1
            kind: ArtifactGenerator
            metadata:
              name: apps
              namespace: flux-system
            spec:
              sources:
                - alias: monorepo
                  kind: GitRepository
                  name: flux-system
              pathPattern: "@monorepo/apps/{app}/envs/{env}"
              artifacts:
                - name: "{app}-{env}"
                  copy:
                    - from: "@monorepo/apps/{app}/envs/{env}/**"
                      to: "@artifact/"
            """,
            "clusters/prod/apps.yaml": kustomization("podinfo-prod") + kustomization("podinfo-dev") + kustomization("billing-prod"),
            "apps/podinfo/envs/prod/deployment.yaml": "kind: Deployment\n",
            "apps/podinfo/envs/dev/deployment.yaml": "kind: Deployment\n",
            "apps/Billing/envs/prod/deployment.yaml": "kind: Deployment\n",
            "apps/podinfo/README.md": "readme\n",
        ]
        try Fixtures.writeTree(files, in: root)
        #expect(try Fixtures.affected(["apps/podinfo/envs/prod/deployment.yaml"], in: root) == ["flux-kustomization podinfo-prod@prod"])
        #expect(try Fixtures.affected(["apps/podinfo/envs/dev/service.yaml"], in: root) == ["flux-kustomization podinfo-dev@prod"])
        #expect(try Fixtures.affected(["apps/Billing/envs/prod/deployment.yaml"], in: root) == ["flux-kustomization billing-prod@prod"])
        #expect(try Fixtures.affected(["apps/podinfo/README.md"], in: root).isEmpty)
    }
}

/// `apps --changed` on real edits to the Flux 2.7 example, committed in a Git repository
/// whose remote is the example's own URL.
@Suite struct FluxExampleChangedRangeTests {
    @Test func realEditsNameTheirAppsAndClusters() throws {
        let root = try Fixtures.temporaryDirectory("flux27-range")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let tree = "\(root)/repo"
        try FileManager.default.copyItem(atPath: FluxArtifactImpactTests.example, toPath: tree)
        try Spawned.run(["git", "init", "-q", "-b", "main"], directory: tree)
        try Spawned.run(["git", "remote", "add", "origin", "https://github.com/fluxcd/flux2-kustomize-helm-example"], directory: tree)
        try Spawned.run(["git", "add", "-A"], directory: tree)
        try Spawned.run(["git", "commit", "-q", "-m", "base"], directory: tree)
        func edit(_ path: String, _ old: String, _ new: String) throws {
            let text = try String(contentsOfFile: "\(tree)/\(path)", encoding: .utf8)
            #expect(text.contains(old), "\(path) no longer holds \(old)")
            try text.replacingOccurrences(of: old, with: new).write(toFile: "\(tree)/\(path)", atomically: true, encoding: .utf8)
        }
        try edit("apps/production/podinfo-values.yaml", "podinfo.production", "podinfo.prod.example.com")
        try Spawned.run(["git", "commit", "-q", "-am", "production hostname"], directory: tree)
        try edit("apps/base/podinfo/release.yaml", "interval: 50m", "interval: 30m")
        try Spawned.run(["git", "commit", "-q", "-am", "release interval"], directory: tree)

        let values = try Spawned.start([Fixtures.capstan, "apps", "--changed", "HEAD~2..HEAD~1", "--repository", tree]).finish()
        #expect(values.status == 0, "\(values.output)")
        let production = try Self.affected(values.output)
        #expect(production == ["Flux Kustomization apps production", "Flux HelmRelease podinfo production"], "\(values.output)")

        let release = try Spawned.start([Fixtures.capstan, "apps", "--changed", "HEAD~1..HEAD", "--repository", tree]).finish()
        #expect(release.status == 0, "\(release.output)")
        #expect(try Self.affected(release.output) == [
            "Flux Kustomization apps production", "Flux Kustomization apps staging",
            "Flux HelmRelease podinfo production", "Flux HelmRelease podinfo staging",
        ], "\(release.output)")
    }

    /// `Kind name cluster` of each app in the text output (`name  [Kind]`, then `…, cluster X`).
    private static func affected(_ output: String) throws -> Set<String> {
        var found = Set<String>()
        var current: String?
        for line in output.split(separator: "\n").map(String.init) {
            if let open = line.range(of: "  ["), line.hasSuffix("]"), !line.hasPrefix(" ") {
                current = String(line[open.upperBound...].dropLast()) + " " + String(line[..<open.lowerBound])
            } else if let name = current, let cluster = line.range(of: "cluster ") {
                found.insert(name + " " + line[cluster.upperBound...])
                current = nil
            }
        }
        return found
    }
}
