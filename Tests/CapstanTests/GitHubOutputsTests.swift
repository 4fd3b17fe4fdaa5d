import Foundation
import Testing

/// Under GitHub Actions each job leaves its results in $GITHUB_OUTPUT for later steps.
@Suite struct GitHubOutputsTests {
    private func outputs(_ arguments: [String], in directory: URL) throws -> (TestSupport.Result, String) {
        let file = try TestSupport.temporaryDirectory("gho").appendingPathComponent("outputs")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        try Data().write(to: file)
        let result = try TestSupport.capstan(arguments, in: directory, environment: ["GITHUB_OUTPUT": file.path])
        return (result, try String(contentsOf: file, encoding: .utf8))
    }

    @Test func validateReportsItsFindingsCount() throws {
        let root = try TestSupport.temporaryDirectory("gho-validate")
        defer { try? FileManager.default.removeItem(at: root) }
        try "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: nginx:latest\n"
            .write(to: root.appendingPathComponent("pod.yaml"), atomically: true, encoding: .utf8)
        let (result, written) = try outputs(["validate", "."], in: root)
        #expect(result.status == 0)
        #expect(written.contains("findings=1\n") && written.contains("errors=0\n") && written.contains("warnings=1\n"), "\(written)")
    }

    @Test func appsReportsTheAffectedApps() throws {
        let repo = TestSupport.packageRoot.appendingPathComponent("examples/argocd-release-repo")
        let (result, written) = try outputs(["apps", "--files", "envs/prod/config.yaml",
                                              "--repo-url", "https://github.com/acme/release-repo.git"], in: repo)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(written == "affected-apps=argocd/checkout-prod\naffected-count=1\n")
    }
}
