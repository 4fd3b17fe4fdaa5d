import Apps
import Testing

/// Which Flux apps a change alters, on a clusters/ + infrastructure/ + apps/ repository
/// with staging and production overlays.
@Suite struct FluxImpactTests {
    private func affected(_ paths: String...) throws -> Set<String> {
        try Fixtures.affected(paths, in: Fixtures.flux)
    }

    @Test func aSharedBaseValuesFileAffectsBothEnvironmentsAndTheirHelmReleases() throws {
        #expect(try affected("apps/base/redis/values.yaml") == [
            "flux-kustomization apps@staging", "flux-kustomization apps@production",
            "flux-helmrelease redis@staging", "flux-helmrelease redis@production",
        ])
    }

    @Test func aBaseManifestAffectsEveryOverlayThatIncludesIt() throws {
        #expect(try affected("apps/base/podinfo/deployment.yaml") == ["flux-kustomization apps@staging", "flux-kustomization apps@production"])
    }

    @Test func anOverlayPatchOnAHelmReleaseAffectsOnlyThatEnvironment() throws {
        #expect(try affected("apps/production/redis-patch.yaml") == ["flux-kustomization apps@production", "flux-helmrelease redis@production"])
    }

    @Test func aFileKustomizeNeverReadsAffectsNothing() throws {
        #expect(try affected("apps/base/podinfo/README.md", "docs/runbook.md").isEmpty)
    }

    @Test func aComponentAffectsTheOverlaysUsingIt() throws {
        #expect(try affected("apps/components/monitoring/servicemonitor.yaml") == ["flux-kustomization apps@production"])
    }

    @Test func aChartTemplateInThisRepositoryAffectsTheHelmReleaseNotTheKustomization() throws {
        #expect(try affected("charts/internal-api/templates/deployment.yaml") == ["flux-helmrelease internal-api@production"])
    }

    @Test func aValuesFileOnlyTheNamedReleaseReadsAffectsOnlyIt() throws {
        #expect(try affected("charts/internal-api/values-production.yaml") == ["flux-helmrelease internal-api@production"])
        #expect(try affected("charts/internal-api/values-staging.yaml").isEmpty)
    }

    @Test func aSharedInfrastructureReleaseAffectsBothClusters() throws {
        #expect(try affected("infrastructure/controllers/ingress-nginx.yaml") == [
            "flux-kustomization infra-controllers@staging", "flux-kustomization infra-controllers@production",
            "flux-helmrelease ingress-nginx@staging", "flux-helmrelease ingress-nginx@production",
        ])
    }

    @Test func aNewManifestInAGeneratedKustomizationPathIsPickedUp() throws {
        #expect(try affected("infrastructure/configs/wildcard-certificate.yaml") == ["flux-kustomization infra-configs@production"])
    }

    @Test func aComponentNamedInTheFluxKustomizationIsPartOfItsBuild() throws {
        #expect(try affected("infrastructure/components/network-policies/deny-all.yaml") == ["flux-kustomization infra-configs@production"])
    }

    @Test func aKustomizationDefinitionAffectsItselfAndTheBootstrapThatAppliesIt() throws {
        #expect(try affected("clusters/staging/apps.yaml") == ["flux-kustomization apps@staging", "flux-kustomization flux-system@staging"])
    }

    @Test func aMultiDocumentDefinitionFileAffectsEveryObjectInIt() throws {
        #expect(try affected("clusters/production/infrastructure.yaml") == [
            "flux-kustomization infra-controllers@production", "flux-kustomization apps@production",
            "flux-kustomization flux-system@production",
        ])
    }

    @Test func aKustomizationFromAnotherRepositoryIsTiedOnlyToItsDefinition() throws {
        #expect(try affected("clusters/staging/tenants.yaml") == ["flux-kustomization tenants@staging", "flux-kustomization flux-system@staging"])
        // `./apps` of the tenants repository is not this repository's apps/.
        #expect(try !affected("apps/staging/kustomization.yaml").contains("flux-kustomization tenants@staging"))
    }

    @Test func aKustomizeConfigurationFileCountsAsPartOfTheBuild() throws {
        #expect(try affected("apps/base/redis/kustomizeconfig.yaml") == ["flux-kustomization apps@staging", "flux-kustomization apps@production"])
    }

    @Test func theChangedFilesAndWhyAreReported() throws {
        let catalog = try AppCatalog.discover(root: Fixtures.flux)
        let redis = try #require(ChangeImpact.affected(by: ["apps/base/redis/values.yaml"], in: catalog)
            .first { $0.app.kind == .fluxHelmRelease && $0.app.cluster == "staging" })
        #expect(redis.files.map(\.path) == ["apps/base/redis/values.yaml"])
        #expect(redis.files.first?.reasons == [.helmValues])
    }
}
