import Foundation
import Testing
import Validation

/// Whole-repository runs on real public GitOps repositories (Tests/Fixtures/repos), each
/// copied into a temporary clone-like folder (with `.git`), as the README tells people to
/// run it: `capstan validate .`.
@Suite struct PublicRepositoryTests {
    static let repositories = URL(fileURLWithPath: Fixtures.root).deletingLastPathComponent().appendingPathComponent("repos").path

    /// A copy of `name` in a fresh temporary folder holding an empty `.git`.
    static func clone(_ name: String) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-public-\(name)-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: "\(repositories)/\(name)", toPath: root)
        try FileManager.default.createDirectory(atPath: "\(root)/.git", withIntermediateDirectories: false)
        return root
    }

    @Test("a whole public repository validates with no error", arguments: [
        "flux2-kustomize-helm-example", "argocd-example-apps", "kubernetes-examples", "podinfo",
    ])
    func wholeRepositoryIsClean(_ name: String) throws {
        let root = try Self.clone(name)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let report = try ValidationRun(options: ValidationOptions(paths: [root])).run()
        let errors = report.findings.filter { $0.severity == .error }.map { "\($0.file.dropFirst(root.count)):\($0.line) \($0.rule)" }
        #expect(errors.isEmpty, "\(errors)")
        #expect(report.resources > 0)
    }

    @Test("the Flux example's clusters define the same objects for staging and production: no duplicate")
    func fluxClustersDoNotCollide() throws {
        let root = try Self.clone("flux2-kustomize-helm-example")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let report = try ValidationRun(options: ValidationOptions(paths: ["\(root)/clusters"])).run()
        #expect(!report.findings.contains { $0.rule == "duplicate-resource" })
    }

    @Test("Flux 2.7's ArtifactGenerator has a bundled schema: the example's pass, an unknown copy strategy does not")
    func artifactGeneratorsAreValidated() throws {
        let root = try Self.clone("flux2-kustomize-helm-example")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let report = try ValidationRun(options: ValidationOptions(paths: ["\(root)/clusters"])).run()
        #expect(!report.findings.contains { $0.rule == "schema-missing" }, "\(report.findings.map(\.message))")
        let broken = try Fixtures.validate("broken/artifactgenerator-strategy.yaml")
        #expect(broken.positions == ["broken/artifactgenerator-strategy.yaml:16:21 schema"])
    }

    @Test("a Flux 2.7 Kustomization path that no ArtifactGenerator copy rule fills is missing")
    func artifactPathsAreChecked() throws {
        let root = try Self.clone("flux2-kustomize-helm-example")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let apps = "\(root)/clusters/production/apps.yaml"
        let text = try String(contentsOfFile: apps, encoding: .utf8)
        try text.replacingOccurrences(of: "path: ./production", with: "path: ./prod").write(toFile: apps, atomically: true, encoding: .utf8)
        let report = try ValidationRun(options: ValidationOptions(paths: [root])).run()
        #expect(report.findings.map { "\($0.file.dropFirst(root.count)):\($0.line):\($0.column) \($0.rule)" }
            == ["/clusters/production/apps.yaml:16:9 flux-path-missing"])
    }
}
