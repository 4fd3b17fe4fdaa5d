import Apps
import Testing

/// Which Argo CD apps a change alters, on an App-of-Apps repository with ApplicationSets
/// (git files generator over per-env config files, git directories x list matrix, a
/// cluster generator), a multi-source app and a local chart.
@Suite struct ArgoImpactTests {
    private func affected(_ paths: String...) throws -> Set<String> {
        try Fixtures.affected(paths, in: Fixtures.argocd)
    }

    @Test func anEnvironmentConfigFileAffectsOnlyTheAppItGenerates() throws {
        #expect(try affected("envs/dev/config.json") == ["argocd-application checkout-dev"])
        #expect(try affected("envs/prod/config.yaml") == ["argocd-application checkout-prod"])
    }

    @Test func aRemovedGeneratorFileAffectsTheApplicationSet() throws {
        #expect(try affected("envs/retired/config.json") == ["argocd-applicationset checkout"])
    }

    @Test func theChartsDefaultValuesAffectEveryEnvironment() throws {
        #expect(try affected("charts/checkout/values.yaml") == [
            "argocd-application checkout-dev", "argocd-application checkout-staging", "argocd-application checkout-prod",
        ])
    }

    @Test func anEnvironmentValuesFileAndParameterFileAffectOnlyTheirApp() throws {
        #expect(try affected("charts/checkout/values-prod.yaml") == ["argocd-application checkout-prod"])
        #expect(try affected("charts/checkout/.argocd-source-checkout-prod.yaml") == ["argocd-application checkout-prod"])
    }

    @Test func aValuesRefFileAffectsTheMultiSourceApp() throws {
        #expect(try affected("envs/prod/ingress-values.yaml") == ["argocd-application ingress-nginx"])
    }

    @Test func aChildApplicationDefinitionAffectsTheChildAndTheRootApp() throws {
        #expect(try affected("argocd/platform.yaml") == ["argocd-application platform", "argocd-application root"])
    }

    @Test func aPlainManifestAffectsTheDirectoryApp() throws {
        #expect(try affected("platform/nats-statefulset.yaml") == ["argocd-application platform"])
    }

    @Test func aManifestTheDirectorySourceExcludesAffectsNothing() throws {
        #expect(try affected("platform/checkout-rollout.yaml").isEmpty)
    }

    @Test func aSharedKustomizeBaseAffectsEveryEnvironmentOfTheAddOn() throws {
        #expect(try affected("bases/common/limits.yaml") == ["argocd-application metrics-server-dev", "argocd-application metrics-server-prod"])
    }

    @Test func excludedDirectoriesAndNonManifestsAffectNothing() throws {
        #expect(try affected("addons/experimental/debug-pod.yaml", "addons/metrics-server/NOTES.md", "README.md").isEmpty)
    }

    @Test func aPlainAddOnManifestAffectsItsAppOnEveryEnvironment() throws {
        #expect(try affected("addons/logging/daemonset.yaml") == ["argocd-application logging-dev", "argocd-application logging-prod"])
    }

    @Test func aRemovedAddOnDirectoryAffectsTheApplicationSet() throws {
        #expect(try affected("addons/retired/deployment.yaml") == ["argocd-applicationset addons"])
    }

    @Test func aClusterGeneratedAppIsReportedAsDependingOnTheClusterList() throws {
        let catalog = try AppCatalog.discover(root: Fixtures.argocd)
        let affected = ChangeImpact.affected(by: ["guestbook/deployment.yaml"], in: catalog)
        #expect(affected.map { Fixtures.label($0.app) } == ["argocd-applicationset guestbook"])
        #expect(affected.first?.app.cluster == "depends on cluster list")
    }

    @Test func anApplicationSetDefinitionAffectsEveryAppItGeneratesAndTheRoot() throws {
        #expect(try affected("argocd/checkout-appset.yaml") == [
            "argocd-applicationset checkout", "argocd-application checkout-dev", "argocd-application checkout-staging",
            "argocd-application checkout-prod", "argocd-application root",
        ])
    }

    @Test func sourcesFromAnotherRepositoryAreNotTiedToThisTree() throws {
        let other = try Fixtures.affected(["platform/nats-statefulset.yaml"], in: Fixtures.argocd, repositoryURL: "https://github.com/acme/other.git")
        #expect(other.isEmpty)
        let same = try Fixtures.affected(["platform/nats-statefulset.yaml"], in: Fixtures.argocd, repositoryURL: "git@github.com:acme/release-repo")
        #expect(same == ["argocd-application platform"])
    }
}
