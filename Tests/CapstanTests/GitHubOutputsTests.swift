import Foundation
import Testing

/// Under GitHub Actions each job leaves its results in $GITHUB_OUTPUT for later steps; any
/// other CI gets the same as CAPSTAN_… lines in the dotenv file $CAPSTAN_DOTENV names.
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

    /// GitLab's dotenv reports take NAME=value lines with names of letters, digits and
    /// underscores, values unquoted and on one line; the file is appended to, not replaced.
    @Test func aDotenvFileGetsTheSameOutputsUnderCIVariableNames() throws {
        let directory = try TestSupport.temporaryDirectory("dotenv")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("capstan.env")
        try Data("EARLIER=1\n".utf8).write(to: file)
        let repo = TestSupport.packageRoot.appendingPathComponent("examples/argocd-release-repo")
        let result = try TestSupport.capstan(["apps", "--files", "envs/prod/config.yaml", "--repo-url", "https://github.com/acme/release-repo.git"],
                                             in: repo, environment: ["CAPSTAN_DOTENV": file.path])
        #expect(result.status == 0, "\(result.stderr)")
        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(written == "EARLIER=1\nCAPSTAN_AFFECTED_APPS=argocd/checkout-prod\nCAPSTAN_AFFECTED_COUNT=1\n")
        for line in written.split(separator: "\n") {
            let name = line.split(separator: "=").first ?? ""
            #expect(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }, "\(line)")
        }
    }
}
