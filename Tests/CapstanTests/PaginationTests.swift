import Foundation
import Testing

/// Every list is read to its end: with the test forge answering one item a page, a PR on
/// page 2 is found (no duplicate opened) and a red status on page 2 is seen (issue 14, finding 2).
@Suite struct PaginationTests {
    static let token = "forge-tok-" + UUID().uuidString
    static let project = "acme/release"

    private func forge(_ kind: String, _ label: String) throws -> TestForge {
        let root = try TestSupport.temporaryDirectory("paged-\(kind)-\(label)")
        let forge = try TestForge(kind: kind, root: root, token: Self.token, pageSize: 1)
        try forge.repository(Self.project, files: ["values.yaml": PullRequestTests.values])
        return forge
    }

    private func flags(_ forge: TestForge) -> [String] {
        ["--repo", forge.cloneURL(Self.project), "--token-env", "FORGE_TOKEN", "--forge", forge.kind, "--forge-url", forge.apiRoot,
         "--project", Self.project, "--poll-interval", "0.1", "--retry-backoff", "0.05"]
    }

    private func capstan(_ arguments: [String]) throws -> TestSupport.Result {
        try TestSupport.capstan(arguments, environment: ["FORGE_TOKEN": Self.token])
    }

    private func open(_ forge: TestForge, branch: String, tag: String) throws {
        let opened = try capstan(["update", "--branch", branch, "--set-image", "ghcr.io/acme/checkout:\(tag)", "--open-pr"] + flags(forge))
        try #require(opened.status == 0, "\(opened.stderr)")
    }

    @Test(arguments: ["github", "gitea", "gitlab", "bitbucket-cloud", "bitbucket-datacenter", "azure-devops"])
    func aPullRequestOnPageTwoIsFoundAndNotOpenedAgain(kind: String) throws {
        let forge = try forge(kind, "find")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try open(forge, branch: "capstan/one", tag: "1.5.0")
        try open(forge, branch: "capstan/two", tag: "1.6.0")
        try open(forge, branch: "capstan/one", tag: "1.5.1")
        try open(forge, branch: "capstan/two", tag: "1.6.1")
        #expect(forge.pullRequests.count == 2, "a duplicate PR was opened: \(forge.pullRequests.map { $0["head"] ?? "" })")
        let check = try forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test(arguments: ["gitea", "gitlab", "bitbucket-cloud"])
    func aRedStatusOnPageTwoIsSeen(kind: String) throws {
        let forge = try forge(kind, "statuses")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try open(forge, branch: "capstan/one", tag: "1.5.0")
        for (context, state) in [("a-lint", "success"), ("b-test", "failure"), ("c-build", "success")] {
            let posted = try capstan(["pr", "status", "--pr", "1", "--state", state, "--context", context] + flags(forge))
            try #require(posted.status == 0, "\(posted.stderr)")
        }
        let result = try capstan(["pr", "merge", "1", "--allow-no-checks", "--wait", "5"] + flags(forge))
        #expect(result.status == 3, "\(result.stderr)")
    }
}
