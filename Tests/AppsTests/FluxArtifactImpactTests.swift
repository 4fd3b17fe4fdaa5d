import Apps
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
              sourceRef:
                kind: ExternalArtifact
                name: bundle
            """,
            "deploy/app.yaml": "kind: ConfigMap\n",
            "deploy/drafts/next.yaml": "kind: ConfigMap\n",
            "deploy/NOTES.md": "notes\n",
            "shared/limits.yaml": "kind: LimitRange\n",
            "shared/nested/deep.yaml": "kind: ConfigMap\n",
            "settings/dev.yaml": "kind: ConfigMap\n",
            "settings/prod.yaml": "kind: ConfigMap\n",
        ]
        for (path, text) in files {
            try FileManager.default.createDirectory(atPath: "\(root)/\((path as NSString).deletingLastPathComponent)", withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(root)/\(path)"))
        }
        let bundle: Set<String> = ["flux-kustomization bundle@dev"]
        for path in ["deploy/app.yaml", "shared/limits.yaml", "settings/dev.yaml", "clusters/dev/generator.yaml", "deploy/removed.yaml"] {
            #expect(try Fixtures.affected([path], in: root) == bundle, "\(path)")
        }
        for path in ["deploy/drafts/next.yaml", "deploy/NOTES.md", "shared/nested/deep.yaml", "settings/prod.yaml"] {
            #expect(try Fixtures.affected([path], in: root).isEmpty, "\(path)")
        }
    }
}
