import CapstanTestSupport
import Foundation
import Testing

/// gitlab.com's, bitbucket.org's and api.github.com's answers recorded with vcrpy by
/// codecov/shared's integration tests (2018–2020; Apache-2.0 now, the licence reasoning in
/// Tests/Fixtures/forges/recorded/README.md), replayed in order.
@Suite struct RecordedCodecovSharedTests {
    private func replay(_ recording: String, _ runs: [[String]], forge: String, prefix: String)
        throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/\(recording)"),
                                      prefix: prefix, runs, project: "ThiagoCodecov/example-python", forge: forge)
    }

    /// bitbucket.org answers a PR that does not exist with 404 and a bare text/plain "Not
    /// Found" (no JSON error object): `pr merge` stops, exit 1, those words and where to look.
    @Test func bitbucketCloudPullRequestNotFoundInPlainText() throws {
        let (results, log) = try replay("bitbucket-cloud/codecov-pull-request-not-found.json", [["pr", "merge", "100"]],
                                        forge: "bitbucket-cloud", prefix: "")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("GET /repositories/ThiagoCodecov/example-python/pullrequests/100: "
                                       + "HTTP 404: Not Found — check --repo / --project"), "\(result.stderr)")
    }

    /// gitlab.com answers an MR number the project does not have with 404 "404 Not found":
    /// `pr merge` stops, exit 1, in GitLab's words, nothing sent after the read.
    @Test func gitLabMergeRequestNotFound() throws {
        let (results, log) = try replay("gitlab/codecov-merge-request-not-found.json", [["pr", "merge", "100"]],
                                        forge: "gitlab", prefix: "/api/v4")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("GET /projects/ThiagoCodecov%2Fexample-python/merge_requests/100: "
                                       + "HTTP 404: 404 Not found — check --repo / --project"), "\(result.stderr)")
    }

    /// api.github.com answers a SHA it does not have with 422 "No commit found for SHA: …":
    /// `pr status --sha` fails, exit 1, in GitHub's words — not "pending", not "no checks".
    @Test func gitHubCommitNotFoundIsNotPending() throws {
        let sha = "abe3e94949d11471cc4e054f822d222254a4a4f8"
        let (results, log) = try replay("github/codecov-commit-not-found.json", [["pr", "status", "--sha", sha, "--output", "json"]],
                                        forge: "github", prefix: "/api/v3")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("GET /repos/ThiagoCodecov/example-python/commits/\(sha)/status: "
                                       + "HTTP 422: No commit found for SHA: \(sha)"), "\(result.stderr)")
        #expect(!result.stdout.contains("\"checks\""), "\(result.stdout)")
    }
}
