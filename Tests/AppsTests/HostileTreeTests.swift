import Apps
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `capstan apps` reads the tree of the change under test, which anyone who can push a
/// branch controls: links are never followed (to /dev/zero, to a file outside the tree,
/// in a loop) and reads are bounded, so such a tree cannot hang it, exhaust its memory, or
/// make it read what lies outside the repository; a FIFO or device is refused unread.
@Suite struct HostileTreeTests {
    private static let application = """
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: %@
      namespace: argocd
    spec:
      project: default
      source:
        repoURL: https://github.com/acme/release-repo.git
        path: %@
      destination:
        server: https://kubernetes.default.svc
        namespace: web
    """

    private func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private func apps(_ root: String) throws -> (status: Int32, output: String) {
        let child = try Spawned.start(["timeout", "60", Fixtures.capstan, "apps", "--repository", root,
                                       "--repo-url", "https://github.com/acme/release-repo.git"])
        return child.finish()
    }

    @Test func linksToDevicesOutsideFilesAndLoopsAreNotFollowed() throws {
        let root = try Fixtures.temporaryDirectory("hostile-tree")
        let outside = try Fixtures.temporaryDirectory("hostile-outside")
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: outside)
        }
        try write(String(format: Self.application, "web", "web"), "\(root)/argocd/web.yaml")
        try write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n", "\(root)/web/config.yaml")
        try write(String(format: Self.application, "stolen", "web"), "\(outside)/stolen.yaml")
        try write("apiVersion: v2\nname: app\nversion: 1.0.0\n", "\(root)/charts/app/Chart.yaml")
        let links = [
            "\(root)/web/zero.yaml": "/dev/zero",
            "\(root)/argocd/outside.yaml": "\(outside)/stolen.yaml",
            "\(root)/charts/app/templates/x.yaml": "/dev/zero",
            "\(root)/templates/x.yaml": "/dev/zero",
            "\(root)/web/loop": "..",
        ]
        for (link, target) in links {
            try FileManager.default.createDirectory(atPath: (link as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        }
        #expect(mkfifo("\(root)/web/pipe.yaml", 0o600) == 0)  // opening it to read would wait for a writer forever
        let result = try apps(root)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("web  [Argo CD Application]"), "\(result.output)")
        #expect(!result.output.contains("stolen"), "a file outside the tree was read through a link: \(result.output)")
        #expect(result.output.contains("not read: "), "\(result.output)")
        for path in ["web/zero.yaml", "argocd/outside.yaml", "web/pipe.yaml"] {
            #expect(result.output.contains(path), "\(path) not said: \(result.output)")
        }
    }

    @Test func aKustomizationFileThatIsALinkIsRefusedByName() throws {
        let root = try Fixtures.temporaryDirectory("hostile-kustomization")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(String(format: Self.application, "web", "web"), "\(root)/argocd/web.yaml")
        try FileManager.default.createDirectory(atPath: "\(root)/web", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(root)/web/kustomization.yaml", withDestinationPath: "/dev/zero")
        let result = try apps(root)
        #expect(result.status != 0 && result.status != 124, "\(result.status) \(result.output)")
        #expect(result.output.contains("web/kustomization.yaml: is a symlink"), "\(result.output)")
    }
}
