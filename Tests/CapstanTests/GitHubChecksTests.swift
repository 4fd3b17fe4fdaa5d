import Foundation
@testable import Forges
import Testing

/// GitHub's commit-status API does not list check runs (GitHub Actions); the PR's
/// `mergeable_state: unstable` is the only sign of them in the API Capstan reads, so green
/// statuses with an unstable PR must not count as green.
@Suite struct GitHubChecksTests {
    @Test func anUnstablePullRequestIsReadAsHavingUnfinishedChecks() throws {
        let json = try #require(JSONValue.parse(Data("""
        {"number": 7, "html_url": "https://github.example/acme/r/pull/7", "title": "t", "body": "b",
         "head": {"ref": "bot", "sha": "abc"}, "base": {"ref": "main"}, "state": "open",
         "mergeable": true, "mergeable_state": "unstable", "draft": false, "labels": []}
        """.utf8)))
        #expect(GitHubForge.pullRequest(json).forgeReportsUnfinishedChecks)
        let clean = try #require(JSONValue.parse(Data(#"{"number": 7, "mergeable_state": "clean"}"#.utf8)))
        #expect(!GitHubForge.pullRequest(clean).forgeReportsUnfinishedChecks)
    }

    @Test func aBlockedPullRequestIsReadAsHeldByBranchProtection() throws {
        let blocked = try #require(JSONValue.parse(Data(#"{"number": 7, "mergeable": true, "mergeable_state": "blocked"}"#.utf8)))
        let pullRequest = GitHubForge.pullRequest(blocked)
        #expect(pullRequest.forgeReportsBlocked && !pullRequest.forgeReportsUnfinishedChecks)
        #expect(pullRequest.forgeHold?.contains("required checks or reviews") == true)
        let clean = try #require(JSONValue.parse(Data(#"{"number": 7, "mergeable_state": "clean"}"#.utf8)))
        #expect(!GitHubForge.pullRequest(clean).forgeReportsBlocked)
        #expect(GitHubForge.pullRequest(clean).forgeHold == nil)
    }

    @Test func greenStatusesWithUnfinishedCheckRunsAreNotGreen() {
        #expect(GitHubForge.combine(.success, unfinishedElsewhere: true) == .pending)
        #expect(GitHubForge.combine(.none, unfinishedElsewhere: true) == .pending)
        #expect(GitHubForge.combine(.failure, unfinishedElsewhere: true) == .failure)
        #expect(GitHubForge.combine(.success, unfinishedElsewhere: false) == .success)
    }
}
