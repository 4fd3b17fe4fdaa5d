import Apps
import Foundation
import Steps
import Testing

/// With no change given: every app, where it deploys from and to.
@Suite struct CatalogTests {
    @Test func everyArgoCDAppIsListedIncludingGeneratedOnes() throws {
        let catalog = try AppCatalog.discover(root: Fixtures.argocd)
        #expect(catalog.apps.map(\.name) == [
            "addons", "cert-manager", "checkout", "checkout-dev", "checkout-prod", "checkout-staging", "guestbook", "ingress-nginx",
            "logging-dev", "logging-prod", "metrics-server-dev", "metrics-server-prod", "platform", "root",
        ])
    }

    @Test func generatedAppsCarryTheirRenderedDestinationAndSource() throws {
        let catalog = try AppCatalog.discover(root: Fixtures.argocd)
        let prod = try #require(catalog.apps.first { $0.name == "checkout-prod" })
        #expect(prod.cluster == "https://prod.k8s.acme.internal:6443")
        #expect(prod.targetNamespace == "checkout-prod")
        #expect(prod.project == "default")
        #expect(prod.generatedBy == "checkout")
        #expect(prod.sources == ["charts/checkout (helm)"])
    }

    @Test func aMultiSourceAppNamesItsChartAndItsValuesReference() throws {
        let catalog = try AppCatalog.discover(root: Fixtures.argocd)
        let ingress = try #require(catalog.apps.first { $0.name == "ingress-nginx" })
        #expect(ingress.sources.contains("chart ingress-nginx@4.10.0 from https://kubernetes.github.io/ingress-nginx"))
        #expect(ingress.sources.contains("values envs/prod/ingress-values.yaml"))
    }

    @Test func aClusterGeneratorIsReportedAsDependingOnTheClusterList() throws {
        let catalog = try AppCatalog.discover(root: Fixtures.argocd)
        let guestbook = try #require(catalog.apps.first { $0.name == "guestbook" })
        #expect(guestbook.kind == .argoApplicationSet)
        #expect(guestbook.note == "depends on cluster list")
    }

    @Test func fluxObjectsGetTheClusterOfTheBootstrapThatAppliesThem() throws {
        let catalog = try AppCatalog.discover(root: Fixtures.flux)
        let labels = catalog.apps.map(Fixtures.label)
        #expect(labels == [
            "flux-kustomization apps@production", "flux-kustomization apps@staging",
            "flux-kustomization flux-system@production", "flux-kustomization flux-system@staging",
            "flux-kustomization infra-configs@production", "flux-kustomization infra-controllers@production",
            "flux-kustomization infra-controllers@staging", "flux-helmrelease ingress-nginx@production",
            "flux-helmrelease ingress-nginx@staging", "flux-helmrelease internal-api@production",
            "flux-helmrelease redis@production", "flux-helmrelease redis@staging", "flux-kustomization tenants@staging",
        ])
        let apps = try #require(catalog.apps.first { $0.name == "apps" && $0.cluster == "staging" })
        #expect(apps.dependsOn == ["infra-controllers"])
        #expect(apps.sources == ["apps/staging"])
    }

    @Test func withoutARemoteTheRepositoryURLIsInferredAndSaidSo() throws {
        let catalog = try AppCatalog.discover(root: Fixtures.flux)
        #expect(catalog.repositoryURLs == ["github.com/acme/flux-release-repo"])
        #expect(catalog.notes.count == 1)
    }

    @Test func aManifestThatDoesNotParseIsReportedWithItsPosition() throws {
        let root = try Fixtures.temporaryDirectory("broken")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: [x\n".write(toFile: "\(root)/app.yaml", atomically: true, encoding: .utf8)
        #expect {
            try AppCatalog.discover(root: root)
        } throws: { error in
            "\(error)".contains("app.yaml:")
        }
    }
}
