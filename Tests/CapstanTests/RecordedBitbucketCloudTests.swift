import CapstanTestSupport
import Foundation
import Testing

/// Capstan against bitbucket.org's answers kept by atlassian-python-api
/// (Tests/Fixtures/forges/recorded/bitbucket-cloud): find, open, and merges end to end.
@Suite struct RecordedBitbucketCloudTests {
    private func replay(_ recording: String, _ runs: [[String]]) throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/bitbucket-cloud/\(recording)"),
                                      prefix: "", runs, project: "TestWorkspace1/testrepository1", forge: "bitbucket-cloud")
    }

    /// The real list holds the open PR from feature/test-branch, already saying what the draft
    /// says: found, and reported unchanged (one request, no write).
    @Test func theOpenPullRequestInTheRealListIsFoundUnchanged() throws {
        let (results, log) = try replay("find-in-list.json", [
            ["pr", "open", "--head", "feature/test-branch", "--base", "master", "--title", "PRTitle", "--body", "PRDescription", "--output", "json"],
        ])
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"unchanged\""), "\(result.stdout)")
        #expect(result.stdout.contains("https://bitbucket.org/TestWorkspace1/testrepository1/pull-requests/1"), "\(result.stdout)")
    }

    @Test func opensThePullRequest() throws {
        let (results, log) = try replay("open.json", [
            ["pr", "open", "--head", "feature/test-branch", "--base", "master", "--title", "PRTitle", "--body", "PRDescription", "--output", "json"],
        ])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"opened\""), "\(result.stdout)")
    }

    /// The one build status recorded is on the PR's destination commit, not its head: no check
    /// on the head, so no merge without --allow-no-checks (exit 7), and nothing is POSTed.
    @Test func aStatusOnTheBaseIsNotACheckOnTheHead() throws {
        let (results, log) = try replay("merge-no-checks-on-head.json", [["pr", "merge", "1"]])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 7, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("no checks reported on 16182c4123fb"), "\(result.stderr)")
    }

    /// With --allow-no-checks: the head re-read right before the merge, then merged at once
    /// (200). The two recordings this file joins disagree on the head: the PR read at 14:09
    /// has 16182c4123fb, the merged PR of 21:24 names 4ed89e8b0a21 as the head it merged (a
    /// push in between). Bitbucket cannot pin a merge, so that is exactly a merge of a head
    /// nobody checked: said, with the merge commit Bitbucket names, and not a success.
    /// (Sourcegraph's single-session recordings, merge-on-green.json and merge-squash.json,
    /// keep the head across the merge and merge as a success.)
    @Test func aMergeThatNamesAnotherHeadThanTheOneCheckedIsNotASuccess() throws {
        let (results, log) = try replay("merge.json", [["pr", "merge", "1", "--allow-no-checks", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 4), "\(log)")
        let result = try #require(results.first)
        #expect(result.status != 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("\"action\" : \"merged\""), "\(result.stdout)")
        #expect(result.stderr.contains("merge commit 36bb9607a8c9e0c6222342486e3393ae154b46c0"), "\(result.stderr)")
        #expect(result.stderr.contains("its head was 4ed89e8b0a21, not the head checked (16182c4123fb)"), "\(result.stderr)")
    }
}
