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
}
