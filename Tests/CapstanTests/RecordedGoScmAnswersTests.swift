import CapstanTestSupport
import Foundation
import Testing

/// Capstan against the forges' answers kept by go-scm (drone/go-scm, jenkins-x/go-scm) for
/// its drivers' tests: try.gitea.io, a Bitbucket Server, bitbucket.org and dev.azure.com
/// (Tests/Fixtures/forges/recorded, provenance in each file), replayed in order.
@Suite struct RecordedGoScmAnswersTests {
    private func replay(_ recording: String, _ runs: [[String]], prefix: String = "", project: String, forge: String)
        throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/\(recording)"),
                                      prefix: prefix, runs, project: project, forge: forge)
    }

    /// try.gitea.io's PR 1 and the one success status recorded: `pr status --pr` reads the
    /// head's statuses and calls it green, on Gitea and on Forgejo (the same API).
    @Test(arguments: ["gitea", "forgejo"]) func giteaReadsTheChecksOfThePullRequest(forge: String) throws {
        let (results, log) = try replay("gitea/read-checks.json", [["pr", "status", "--pr", "1", "--output", "json"]],
                                        prefix: "/api/v1", project: "jcitizen/my-repo", forge: forge)
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("continuous-integration/drone"), "\(result.stdout)")
        #expect(result.stdout.contains("\"checks\" : \"success\""), "\(result.stdout)")
        #expect(result.stdout.contains("4f5e7d8f15cf79387cfd8a0d30c58855ab61e138"), "\(result.stdout)")
    }

    @Test(arguments: ["gitea", "forgejo"]) func giteaCommentsOnThePullRequest(forge: String) throws {
        let (results, log) = try replay("gitea/comment.json", [["pr", "comment", "1", "--body", "what?", "--output", "json"]],
                                        prefix: "/api/v1", project: "jcitizen/my-repo", forge: forge)
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"commented\""), "\(result.stdout)")
        #expect(result.stdout.contains("https://try.gitea.io/jcitizen/my-repo/pulls/1"), "\(result.stdout)")
    }
}

extension RecordedGoScmAnswersTests {
    @Test func bitbucketDataCenterCommentsOnThePullRequest() throws {
        let (results, log) = try replay("bitbucket-datacenter/comment.json", [
            ["pr", "comment", "1", "--body", "this is a comment", "--output", "json"],
        ], prefix: "/rest/api/latest", project: "PRJ/my-repo", forge: "bitbucket-datacenter")
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"commented\""), "\(result.stdout)")
        #expect(result.stdout.contains("http://example.com:7990/projects/PRJ/repos/my-repo/pull-requests/1"), "\(result.stdout)")
    }

    /// Bitbucket Server names the missing project only in `errors[].message`: that is what
    /// Capstan says, with the 404's next step.
    @Test func bitbucketDataCenterSaysWhichProjectDoesNotExist() throws {
        let (results, log) = try replay("bitbucket-datacenter/no-such-project.json", [["pr", "find", "1"]],
                                        prefix: "/rest/api/latest", project: "dev/null", forge: "bitbucket-datacenter")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("HTTP 404: Project dev does not exist. — check --repo / --project"), "\(result.stderr)")
    }

    /// bitbucket.org puts its words in `error.message`.
    @Test func bitbucketCloudSaysWhichRepositoryWasNotFound() throws {
        let (results, log) = try replay("bitbucket-cloud/repository-not-found.json", [["pr", "find", "1"]],
                                        project: "dev/null", forge: "bitbucket-cloud")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("HTTP 404: Repository dev/null not found — check --repo / --project"), "\(result.stderr)")
    }
}

extension RecordedGoScmAnswersTests {
    private func replayGitLab(_ recording: String, _ runs: [[String]]) throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try replay("gitlab/\(recording)", runs, prefix: "/api/v4", project: "gitlab-org/testme", forge: "gitlab")
    }

    /// gitlab.com's MR !1 of gitlab-org/testme was closed unmerged: `pr merge` reads it,
    /// sends nothing more and says why.
    @Test func gitLabClosedMergeRequestIsNotMerged() throws {
        let (results, log) = try replayGitLab("merge-closed.json", [["pr", "merge", "1"]])
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PR #1 is closed"), "\(result.stderr)")
    }

    /// The MR's head read from the real answer, the documented pending status read on it.
    @Test func gitLabReadsThePendingStatusOnTheMergeRequestsHead() throws {
        let (results, log) = try replayGitLab("read-checks.json", [["pr", "status", "--pr", "1", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.stdout.contains("\"checks\" : \"pending\""), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("12d65c8dd2b2676fa3ac47d955accc085a37a9c1"), "\(result.stdout)")
    }

    @Test func gitLabCommentsOnTheMergeRequest() throws {
        let (results, log) = try replayGitLab("comment.json", [["pr", "comment", "1", "--body", "Comment for MR", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("https://gitlab.com/gitlab-org/testme/merge_requests/1"), "\(result.stdout)")
    }
}

extension RecordedGoScmAnswersTests {
    /// `pr status --sha` (no PR) on Bitbucket Cloud reads the commit's own statuses: the
    /// real FAILED status bitbucket.org gave for 046d9a3c is red. (It asked for PR 0's statuses.)
    /// The check is shown by its name, as Bitbucket shows it, not by Jenkins' MD5 key.
    @Test func bitbucketCloudReadsTheStatusesOfACommitWithoutAPullRequest() throws {
        let (results, log) = try replay("bitbucket-cloud/read-failed-status.json", [
            ["pr", "status", "--sha", "046d9a3c1532acf4cf08fe93235c00e4d673c1d3", "--output", "json"],
        ], project: "amuniz/test-repos", forge: "bitbucket-cloud")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.stdout.contains("\"checks\" : \"failure\""), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\"name\" : \"test » BUILD test (#748) #1\""), "\(result.stdout)")
        #expect(result.status == 3, "red checks read by pr status exit 3, as pr merge does on red")
    }

    /// The same on Bitbucket Data Center, from its build-status API: of the two statuses under
    /// first-key the newer (FAILED) counts, second-key is green, so the commit is red. (It
    /// asked for PR 0's merge vetoes.)
    @Test func bitbucketDataCenterReadsTheBuildStatusesOfACommitWithoutAPullRequest() throws {
        let (results, log) = try replay("bitbucket-datacenter/read-build-statuses.json", [
            ["pr", "status", "--sha", "b02e90353e4c94cda868dbcdb2301c5691a78b6c", "--output", "json"],
        ], prefix: "/rest/api/latest", project: "PRJ/repo-1", forge: "bitbucket-datacenter")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.stdout.contains("\"checks\" : \"failure\""), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("team-bb-server » repo-1 » master #22 something else"), "\(result.stdout)")
        #expect(result.status == 3, "red checks read by pr status exit 3")
    }
}

extension RecordedGoScmAnswersTests {
    /// bitbucket.org's answer to a FAILED build status posted on a commit (Jenkins'
    /// bitbucket-branch-source-plugin), the request as Capstan sends it.
    @Test func bitbucketCloudPostsAFailedBuildStatus() throws {
        let (results, log) = try replay("bitbucket-cloud/post-status.json", [
            ["pr", "status", "--sha", "046d9a3c1532acf4cf08fe93235c00e4d673c1d2", "--state", "failure", "--context", "test » feature/test #36",
             "--description", "There was a failure building this commit.",
             "--target-url", "https://jenkins.dev.opensoftware.it/job/test/job/feature%252Ftest/36/display/redirect"],
        ], project: "amuniz/test-repos", forge: "bitbucket-cloud")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        #expect(results.first?.status == 0, "\(results.first?.stderr ?? "")")
    }
}
