import Apps
import Foundation
import Testing

/// Argo CD 3.1+ native OCI sources (`repoURL: oci://…`, `path: .`) are charts or images
/// in a registry, never this repository, even though `.` exists in every tree.
@Suite struct ArgoOCISourceTests {
    @Test func anOCISourceIsNotTakenForThisRepository() throws {
        let root = try Fixtures.temporaryDirectory("argo-oci")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let application = """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: nginx
          namespace: argocd
        spec:
          project: default
          source:
            path: .
            repoURL: oci://registry-1.docker.io/bitnamicharts/nginx
            targetRevision: 15.9.0
          destination:
            name: in-cluster
            namespace: nginx
        """
        try FileManager.default.createDirectory(atPath: "\(root)/apps", withIntermediateDirectories: true)
        try Data(application.utf8).write(to: URL(fileURLWithPath: "\(root)/apps/nginx.yaml"))
        try Data("kind: ConfigMap\n".utf8).write(to: URL(fileURLWithPath: "\(root)/settings.yaml"))
        let catalog = try AppCatalog.discover(root: root)
        #expect(!catalog.repositoryURLs.contains { $0.contains("bitnamicharts") }, "\(catalog.repositoryURLs)")
        let nginx = try #require(catalog.apps.first { $0.name == "nginx" })
        #expect(nginx.sources == ["OCI oci://registry-1.docker.io/bitnamicharts/nginx@15.9.0"])
        #expect(try Fixtures.affected(["settings.yaml", "apps/other.yaml"], in: root).isEmpty)
        #expect(try Fixtures.affected(["apps/nginx.yaml"], in: root) == ["argocd-application nginx"])
        let given = try AppCatalog.discover(root: root, repositoryURL: "oci://registry-1.docker.io/bitnamicharts/nginx")
        #expect(ChangeImpact.affected(by: ["settings.yaml"], in: given).isEmpty)
    }
}
