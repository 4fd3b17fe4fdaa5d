import CapstanTestSupport
import Foundation
import Testing

/// Capstan against the answers of a real Bitbucket Server (bitbucket.sgdev.org) and of
/// bitbucket.org, recorded with go-vcr by Sourcegraph's Bitbucket clients for their tests
/// (Tests/Fixtures/forges/recorded, provenance and licence in each file), replayed in order.
@Suite struct RecordedSourcegraphBitbucketTests {
    private func replayDataCenter(_ recording: String, _ runs: [[String]], repository: String = "automation-testing")
        throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/bitbucket-datacenter/\(recording)"),
                                      prefix: "/rest/api/latest", runs, project: "SOUR/\(repository)", forge: "bitbucket-datacenter")
    }

    private func allMatched(_ log: [[String: Any]], _ count: Int) -> Bool {
        log.count == count && log.allSatisfy { $0["matched"] as? Bool == true }
    }

    @Test func dataCenterOpensThePullRequest() throws {
        let (results, log) = try replayDataCenter("open.json", [
            ["pr", "open", "--head", "test-pr-bbs-3", "--base", "master", "--title", "This is a test PR",
             "--body", "This is a test PR. Feel free to ignore.", "--output", "json"],
        ])
        #expect(allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"opened\""), "\(result.stdout)")
        #expect(result.stdout.contains("https://bitbucket.sgdev.org/projects/SOUR/repos/automation-testing/pull-requests/71"), "\(result.stdout)")
    }

    /// Bitbucket Server refuses a second PR between the same branches with 409
    /// DuplicatePullRequestException: Capstan finds the open one and says the forge refused.
    @Test func dataCenterAdoptsThePullRequestThatAlreadyExists() throws {
        let (results, log) = try replayDataCenter("open-already-exists.json", [
            ["pr", "open", "--head", "always-open-pr-bbs", "--base", "master", "--title", "This is a test PR",
             "--body", "This is a test PR. Feel free to ignore.", "--output", "json"],
        ])
        #expect(allMatched(log, 3), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("found PR #132 (always-open-pr-bbs → master, open)"), "\(result.stderr)")
        #expect(result.stderr.contains("already exists (Only one pull request may be open for a given source and target branch)"),
                "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"unchanged\""), "\(result.stdout)")
    }

    /// The merge pinned to the PR's version; the merge commit is the one Bitbucket names in
    /// `properties.mergeCommit`, not the target branch's `latestCommit` the answer also carries.
    @Test func dataCenterMergesAndReportsTheMergeCommit() throws {
        let (results, log) = try replayDataCenter("merge.json", [["pr", "merge", "146", "--output", "json"]])
        #expect(allMatched(log, 3), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"merged\""), "\(result.stdout)")
        #expect(result.stdout.contains("fadfd840d095677bbf6457eb597255fb181050e6"), "\(result.stdout)")
        #expect(!result.stdout.contains("2475733b17fc2d527bb29e5f45540e76a8c3a9b6"), "\(result.stdout)")
    }

    /// A conflicted PR: the merge is vetoed (409 PullRequestMergeVetoedException): not
    /// mergeable, exit 5, in Bitbucket's words.
    @Test func dataCenterConflictedPullRequestIsNotMergeable() throws {
        let (results, log) = try replayDataCenter("merge-not-mergeable.json", [["pr", "merge", "154"]])
        #expect(allMatched(log, 3), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 5, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("The pull request has conflicts and cannot be merged."), "\(result.stderr)")
    }

    /// PR 2 of SOUR/vegeta was merged in 2019: `pr merge` reads it and stops, sending nothing more.
    @Test func dataCenterMergedPullRequestIsNotMergedAgain() throws {
        let (results, log) = try replayDataCenter("already-merged.json", [["pr", "merge", "2"]], repository: "vegeta")
        #expect(allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PR #2 is merged"), "\(result.stderr)")
    }

    @Test(arguments: [("no-such-pull-request.json", "vegeta", "HTTP 404: Pull request 9999 does not exist in SOUR/vegeta."),
                      ("no-such-repository.json", "invalidslug", "HTTP 404: Repository SOUR/invalidslug does not exist.")])
    func dataCenterSaysWhatDoesNotExist(recording: String, repository: String, words: String) throws {
        let (results, log) = try replayDataCenter(recording, [["pr", "find", "9999"]], repository: repository)
        #expect(allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(words), "\(result.stderr)")
    }
}
