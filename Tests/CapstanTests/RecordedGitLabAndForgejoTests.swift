import CapstanTestSupport
import Foundation
import Testing

/// gitlab.com's 2024 answers (Forgejo's migration test data) and gitea.com's answers replayed
/// to `--forge forgejo` (Forgejo serves Gitea's API), Tests/Fixtures/forges/recorded.
@Suite struct RecordedGitLabAndForgejoTests {
    private func replay(_ recording: String, prefix: String, _ runs: [[String]], project: String, forge: String)
        throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/\(recording)"),
                                      prefix: prefix, runs, project: project, forge: forge)
    }

    /// The list's real `Link` names only `first` and `last` (on gitlab.com): read as one page,
    /// nothing followed; then the MR by number, its `head_pipeline: null` no check at all.
    @Test func gitLabFindsTheMergeRequestAndFollowsNoFirstOrLastLink() throws {
        let (results, log) = try replay("gitlab/merge-request-2024.json", prefix: "/api/v4", [
            ["pr", "find", "--head", "feat/test", "--base", "master", "--output", "json"],
            ["pr", "find", "1", "--output", "json"],
        ], project: "forgejo/test_repo", forge: "gitlab")
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        for result in results {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("https://gitlab.com/forgejo/test_repo/-/merge_requests/1"), "\(result.stdout)")
            #expect(result.stdout.contains("9f733b96b98a4175276edf6a2e1231489c3bdd23"), "\(result.stdout)")
        }
    }

    @Test func forgejoFindsThePullRequestInGiteasRealList() throws {
        let (results, log) = try replay("gitea/pulls.json", prefix: "/api/v1", [
            ["pr", "find", "--head", "6543-patch-1", "--base", "master", "--output", "json"],
            ["pr", "find", "13", "--output", "json"],
        ], project: "gitea/test_repo", forge: "forgejo")
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        for result in results {
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("\"forge\" : \"forgejo\""), "\(result.stdout)")
            #expect(result.stdout.contains("https://gitea.com/gitea/test_repo/pulls/13"), "\(result.stdout)")
        }
    }
}

extension RecordedGitLabAndForgejoTests {
    /// gitlab.com answered the create with `sha: null` (the MR's diff not computed yet): the MR
    /// exists, so `pr open` reads it back until GitLab names its head instead of failing.
    @Test func gitLabOpensAndWaitsForTheHeadGitLabHasNotComputedYet() throws {
        let (results, log) = try replay("gitlab/open-sha-pending.json", prefix: "/api/v4", [
            ["pr", "open", "--head", "testing-release-tools", "--base", "master", "--title", "WIP: Testing release-tools", "--body", "",
             "--output", "json"],
        ], project: "gitlab-org/gitlab-foss", forge: "gitlab")
        #expect(RecordedForgeTests.allMatched(log, 4), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"opened\""), "\(result.stdout)")
        #expect(result.stdout.contains("https://gitlab.com/gitlab-org/gitlab-foss/merge_requests/13294"), "\(result.stdout)")
        #expect(result.stdout.contains("0123456789abcdef0123456789abcdef01234567"), "\(result.stdout)")
    }

    @Test func gitLabsProjectNotFoundSaysItsWordsAndWhatToCheck() throws {
        let (results, log) = try replay("gitlab/project-not-found.json", prefix: "/api/v4", [["pr", "find", "2388"]],
                                        project: "gitlab/gitlabhq", forge: "gitlab")
        #expect(log.count == 1 && log.first?["matched"] as? Bool == true, "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1)
        #expect(result.stderr.contains("HTTP 404: 404 Project Not Found — check --repo / --project"), "\(result.stderr)")
    }
}

extension RecordedGitLabAndForgejoTests {
    /// gitea.com's first page of three names its next page on https://gitea.com (Gitea builds
    /// `Link` from its own ROOT_URL, not from the address it was asked on): not followed with the
    /// token, and not taken as the whole list either: an error naming both addresses.
    @Test(arguments: ["gitea", "forgejo"]) func aNextPageOnAnotherOriginIsAnErrorNotAShortList(forge: String) throws {
        let (results, log) = try replay("gitea/pulls-next-page-elsewhere.json", prefix: "/api/v1", [
            ["pr", "find", "--head", "6543-patch-1", "--base", "master"],
        ], project: "gitea/test_repo", forge: forge)
        #expect(log.count == 1 && log.first?["matched"] as? Bool == true, "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("the forge pointed to https://gitea.com/api/v1/repos/gitea/test_repo/pulls?limit=3&page=2&state=all, outside the API root http://127.0.0.1:"),
                "\(result.stderr)")
    }
}

extension RecordedGitLabAndForgejoTests {
    /// gitlab.com's MR !14656 (go-gitlab's recording) carries its head pipeline, green: with
    /// no commit status on the head, that pipeline is the check `pr status` reads and judges.
    @Test func gitLabsHeadPipelineIsTheMergeRequestsCheck() throws {
        let (results, log) = try replay("gitlab/read-head-pipeline.json", prefix: "/api/v4", [["pr", "status", "--pr", "14656", "--output", "json"]],
                                        project: "gitlab-org/gitlab-ee", forge: "gitlab")
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.stdout.contains("\"checks\" : \"success\""), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("pipeline #77056819"), "\(result.stdout)")
    }
}
