import Foundation
import Testing

/// The bundled example repos, edited by capstan and checked by an independent reader:
/// kustomize (through kubectl) must render the overlays with the new tag.
@Suite struct ExampleReposTests {
    static let kubectl = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test func podinfoBumpRendersThroughKustomize() throws {
        let work = try TestSupport.temporaryDirectory("examples")
        defer { try? FileManager.default.removeItem(at: work) }
        let repo = work.appendingPathComponent("flux")
        try TestSupport.copyTree(TestSupport.packageRoot.appendingPathComponent("examples/flux-release-repo"), to: repo)
        let result = try TestSupport.capstan(["set", "image", "ghcr.io/stefanprodan/podinfo:6.7.1", "--root", repo.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("changed 3 values in 3 files"), "\(result.stderr)")
        guard let kubectl = Self.kubectl else {
            print("note: kubectl not installed; skipping the kustomize render check")
            return
        }
        for overlay in ["apps/staging", "apps/production"] {
            let render = try TestSupport.run(URL(fileURLWithPath: kubectl), ["kustomize", repo.appendingPathComponent(overlay).path])
            #expect(render.status == 0, "\(render.stderr)")
            #expect(render.stdout.contains("image: ghcr.io/stefanprodan/podinfo:6.7.1"))
            #expect(!render.stdout.contains("podinfo:6.7.0"))
            #expect(render.stdout.contains("busybox:1.36"), "an unrelated image must not change")
        }
    }

    @Test func checkoutBumpReachesEveryEnvironmentConfigAndTheChart() throws {
        let work = try TestSupport.temporaryDirectory("examples")
        defer { try? FileManager.default.removeItem(at: work) }
        let repo = work.appendingPathComponent("argocd")
        try TestSupport.copyTree(TestSupport.packageRoot.appendingPathComponent("examples/argocd-release-repo"), to: repo)
        let result = try TestSupport.capstan(["set", "image", "ghcr.io/acme/checkout:1.5.0", "--root", repo.path, "--output", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let files = try #require(object["files"] as? [String])
        #expect(Set(files) == [
            "charts/checkout/.argocd-source-checkout-prod.yaml", "charts/checkout/values.yaml",
            "envs/dev/config.json", "envs/prod/config.yaml", "envs/staging/config.json", "platform/checkout-rollout.yaml",
        ])
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: repo.appendingPathComponent("envs/dev/config.json"))) as? [String: Any]
        #expect((config?["image"] as? [String: Any])?["tag"] as? String == "1.5.0")
    }
}
