import Foundation
import Testing

/// Azure DevOps may complete a PR a moment after the PATCH that asks it to: the answer says
/// `active`, and Capstan reads the PR back until Azure says how it ended, reporting merged
/// only when it is.
@Suite struct AzureAsyncCompletionTests {
    private func forgeWithPullRequest(_ label: String) throws -> (TestForge, URL, [String]) {
        let root = try TestSupport.temporaryDirectory("azure-async-\(label)")
        let forge = try TestForge(kind: "azure-devops", root: root, token: PaginationTests.token)
        let bare = try forge.repository(PaginationTests.project, files: ["values.yaml": PullRequestTests.values])
        let flags = ["--repo", forge.cloneURL(PaginationTests.project), "--token-env", "FORGE_TOKEN", "--forge", forge.kind,
                     "--forge-url", forge.apiRoot, "--project", PaginationTests.project, "--poll-interval", "0.1", "--retry-backoff", "0.05"]
        let opened = try TestSupport.capstan(["update", "--branch", "capstan/one", "--set-image", "ghcr.io/acme/checkout:1.5.0", "--open-pr"]
                                             + flags, environment: ["FORGE_TOKEN": PaginationTests.token])
        try #require(opened.status == 0, "\(opened.stderr)")
        return (forge, bare, flags)
    }

    /// Reads of PR 1 after the completion PATCH.
    private func readsAfterCompleting(_ forge: TestForge) -> Int {
        let log = forge.apiLog
        guard let patch = log.lastIndex(where: { $0["method"] as? String == "PATCH" }) else { return 0 }
        return log[(patch + 1)...].filter {
            $0["method"] as? String == "GET" && ($0["path"] as? String ?? "").lowercased().hasSuffix("/pullrequests/1")
        }.count
    }

    @Test func aCompletionAzureFinishesLaterIsFollowedToItsEnd() throws {
        let (forge, bare, flags) = try forgeWithPullRequest("success")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"async_merge_polls": 2}"#)
        let result = try TestSupport.capstan(["pr", "merge", "1", "--allow-no-checks", "--wait", "10", "--output", "json"] + flags,
                                             environment: ["FORGE_TOKEN": PaginationTests.token])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\""))
        #expect(readsAfterCompleting(forge) >= 3, "read until completed: \(readsAfterCompleting(forge))")
        let check = try forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    /// A completion still under way when Capstan stops reading may yet merge: that is said,
    /// not "refused" (a pipeline told the merge was refused skips the rollout wait and the
    /// revert of a merge that then happens).
    @Test func aCompletionStillUnderWayIsNotReportedAsRefused() throws {
        let (forge, _, flags) = try forgeWithPullRequest("slow")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"async_merge_polls": 1000}"#)
        let result = try TestSupport.capstan(["pr", "merge", "1", "--allow-no-checks", "--wait", "10"] + flags,
                                             environment: ["FORGE_TOKEN": PaginationTests.token])
        #expect(![0, 6].contains(result.status), "\(result.stderr)")
        #expect(!result.stderr.contains("refused"), "\(result.stderr)")
        #expect(result.stderr.contains("may yet complete"), "\(result.stderr)")
    }

    @Test func aCompletionAzureRejectsIsNotReportedAsMerged() throws {
        let (forge, bare, flags) = try forgeWithPullRequest("rejected")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"async_merge_polls": 1, "fails": true}"#)
        let result = try TestSupport.capstan(["pr", "merge", "1", "--allow-no-checks", "--wait", "10"] + flags,
                                             environment: ["FORGE_TOKEN": PaginationTests.token])
        #expect(result.status != 0, "\(result.stderr)")
        #expect(result.stderr.contains("did not complete the pull request"), "\(result.stderr)")
        #expect(try !GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\""))
    }
}
