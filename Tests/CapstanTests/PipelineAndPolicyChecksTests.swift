import Foundation
import Testing

/// What GitLab and Azure DevOps count besides commit statuses: GitLab's head pipeline (on
/// the head itself), Azure DevOps' blocking policy evaluations. Either keeps a PR with green
/// statuses from being merged while it is red or unfinished.
@Suite struct PipelineAndPolicyChecksTests {
    /// A forge of `kind` with PR 1 open from capstan/checkout and a green "lint" status on its head.
    static func forgeWithGreenStatus(_ kind: String, _ label: String) throws -> (TestForge, URL, [String]) {
        let root = try TestSupport.temporaryDirectory("pipeline-policy-\(label)")
        let forge = try TestForge(kind: kind, root: root, token: GitHubCheckRunsTests.token)
        let bare = try forge.repository(GitHubCheckRunsTests.project, files: ["values.yaml": PullRequestTests.values])
        let flags = ["--repo", forge.cloneURL(GitHubCheckRunsTests.project), "--token-env", "FORGE_TOKEN", "--forge", kind,
                     "--forge-url", forge.apiRoot, "--project", GitHubCheckRunsTests.project, "--poll-interval", "0.1",
                     "--retry-backoff", "0.05"]
        let capstan = { (arguments: [String]) in try TestSupport.capstan(arguments, environment: ["FORGE_TOKEN": GitHubCheckRunsTests.token]) }
        let opened = try capstan(["update", "--branch", "capstan/checkout", "--set-image", "ghcr.io/acme/checkout:1.5.0", "--open-pr"] + flags)
        try #require(opened.status == 0, "\(opened.stderr)")
        let posted = try capstan(["pr", "status", "--pr", "1", "--state", "success", "--context", "lint"] + flags)
        try #require(posted.status == 0, "\(posted.stderr)")
        return (forge, bare, flags)
    }

    private func capstan(_ arguments: [String]) throws -> TestSupport.Result {
        try TestSupport.capstan(arguments, environment: ["FORGE_TOKEN": GitHubCheckRunsTests.token])
    }

    private func released(_ bare: URL) throws -> Bool {
        try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\"")
    }

    @Test func aFailedGitLabHeadPipelineExitsThree() throws {
        let (forge, bare, flags) = try Self.forgeWithGreenStatus("gitlab", "gitlab-failed")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"head_pipeline": {"status": "failed"}}"#)
        let result = try capstan(["pr", "merge", "1", "--wait", "10"] + flags)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(try !released(bare))
        let check = try forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func aGitLabPipelineOfAnOlderHeadIsNotTheHeadsAndIsWaitedOn() throws {
        let (forge, bare, flags) = try Self.forgeWithGreenStatus("gitlab", "gitlab-stale")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"head_pipeline": {"status": "success", "stale": true}}"#)
        let held = try capstan(["pr", "merge", "1", "--wait", "1"] + flags)
        #expect(held.status == 7, "\(held.stderr)")
        #expect(try !released(bare))
        try forge.inject(#"{"head_pipeline": {"status": "success"}}"#)
        let merged = try capstan(["pr", "merge", "1", "--wait", "10"] + flags)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try released(bare))
    }

    @Test(arguments: [("rejected", Int32(3)), ("running", Int32(7)), ("queued", Int32(7))])
    func aBlockingAzurePolicyKeepsThePullRequestOpen(policy: String, exit: Int32) throws {
        let (forge, bare, flags) = try Self.forgeWithGreenStatus("azure-devops", "azure-\(policy)")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"policies": [{"name": "Build", "status": "\#(policy)", "blocking": true}, {"name": "Comments", "status": "rejected", "blocking": false}]}"#)
        let result = try capstan(["pr", "merge", "1", "--wait", "1"] + flags)
        #expect(result.status == exit, "\(result.stderr)")
        #expect(try !released(bare))
        let check = try forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    /// The PR's own statuses as Azure DevOps lists them, each poll: one `ci/build` in `state`.
    private func injectAzurePullRequestStatus(_ forge: TestForge, state: String) throws {
        try forge.inject(#"{"match": "/pullRequests/1/statuses", "status": 200, "count": 1000, "#
            + #""body": {"count": 1, "value": [{"id": 1, "state": "\#(state)", "description": "", "context": {"genre": "ci", "name": "build"}}]}}"#)
    }

    /// Azure's partiallySucceeded (a build that passed with failed steps) is not success: red at
    /// once, exit 3, and the check named with its word — not waited on until --wait runs out.
    @Test func aPartiallySucceededAzureStatusIsRed() throws {
        let (forge, bare, flags) = try Self.forgeWithGreenStatus("azure-devops", "azure-partially")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try injectAzurePullRequestStatus(forge, state: "partiallySucceeded")
        let result = try capstan(["pr", "merge", "1", "--wait", "2"] + flags)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("ci/build: partiallySucceeded"), "\(result.stderr)")
        #expect(try !released(bare))
    }

    /// notSet (a status posted with no state yet) stays pending: waited on, never merged on.
    @Test func aNotSetAzureStatusIsWaitedOn() throws {
        let (forge, bare, flags) = try Self.forgeWithGreenStatus("azure-devops", "azure-notset")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try injectAzurePullRequestStatus(forge, state: "notSet")
        let result = try capstan(["pr", "merge", "1", "--wait", "1"] + flags)
        #expect(result.status == 7, "\(result.stderr)")
        #expect(result.stderr.contains("ci/build: notSet"), "\(result.stderr)")
        #expect(try !released(bare))
    }

    @Test func approvedAndNonBlockingAzurePoliciesLetItMerge() throws {
        let (forge, bare, flags) = try Self.forgeWithGreenStatus("azure-devops", "azure-approved")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"policies": [{"name": "Build", "status": "approved", "blocking": true}, {"name": "Comments", "status": "rejected", "blocking": false}]}"#)
        let result = try capstan(["pr", "merge", "1", "--wait", "10"] + flags)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try released(bare))
    }
}
