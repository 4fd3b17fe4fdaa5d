import Foundation
@testable import Forges
import Testing

/// GitHub's commit-status API does not list check runs (GitHub Actions); the PR's
/// `mergeable_state: unstable` is the only sign of them in the API Capstan reads, so green
/// statuses with an unstable PR must not count as green.
@Suite struct GitHubChecksTests {
    /// A PR as GitHub answers it, with `mergeable_state` as given.
    private func pullRequest(mergeableState: String) throws -> PullRequest {
        let json = try #require(JSONValue.parse(Data("""
        {"number": 7, "html_url": "https://github.example/acme/r/pull/7", "title": "t", "body": "b",
         "head": {"ref": "bot", "sha": "abc"}, "base": {"ref": "main"}, "state": "open",
         "mergeable": true, "mergeable_state": "\(mergeableState)", "draft": false, "labels": []}
        """.utf8)))
        return try GitHubForge.pullRequest(json)
    }

    @Test func anUnstablePullRequestIsReadAsHavingUnfinishedChecks() throws {
        #expect(try pullRequest(mergeableState: "unstable").forgeReportsUnfinishedChecks)
        #expect(try !pullRequest(mergeableState: "clean").forgeReportsUnfinishedChecks)
    }

    @Test func aBlockedPullRequestIsReadAsHeldByBranchProtection() throws {
        let blocked = try pullRequest(mergeableState: "blocked")
        #expect(blocked.forgeReportsBlocked && !blocked.forgeReportsUnfinishedChecks)
        #expect(blocked.forgeHold?.contains("required checks or reviews") == true)
        #expect(try !pullRequest(mergeableState: "clean").forgeReportsBlocked)
        #expect(try pullRequest(mergeableState: "clean").forgeHold == nil)
    }

    @Test func greenStatusesWithUnfinishedCheckRunsAreNotGreen() {
        #expect(GitHubForge.combine(.success, unfinishedElsewhere: true) == .pending)
        #expect(GitHubForge.combine(.none, unfinishedElsewhere: true) == .pending)
        #expect(GitHubForge.combine(.failure, unfinishedElsewhere: true) == .failure)
        #expect(GitHubForge.combine(.success, unfinishedElsewhere: false) == .success)
    }
}
