import CapstanTestSupport
import Foundation
import Testing

/// gitlab.com's and a Forgejo server's answers recorded with requre by packit/ogr's integration
/// tests (MIT), replayed in order from Tests/Fixtures/forges/recorded (provenance and what was
/// lined up in each file).
@Suite struct RecordedOgrTests {
    private func replay(_ recording: String, _ runs: [[String]], project: String, forge: String, prefix: String)
        throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/\(recording)"),
                                      prefix: prefix, runs, project: project, forge: forge)
    }
}

extension RecordedOgrTests {
    /// The create is refused 409 with GitLab's words in an array ("Another open merge request
    /// already exists for this source branch: !59"): the MR it names is found by listing again
    /// and adopted, unchanged, and GitLab's words are said, not an array's brackets.
    @Test func gitLabAlreadyExistsAdoptsTheMergeRequestItNames() throws {
        let (results, log) = try replay("gitlab/open-already-exists.json", [
            ["pr", "open", "--head", "one-more-branch", "--base", "master", "--title", "test PR: upstream -> upstream", "--body", "test description",
             "--output", "json"],
        ], project: "packit-service/ogr-tests", forge: "gitlab", prefix: "/api/v4")
        #expect(RecordedForgeTests.allMatched(log, 3), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"unchanged\""), "\(result.stdout)")
        #expect(result.stdout.contains("https://gitlab.com/packit-service/ogr-tests/-/merge_requests/59"), "\(result.stdout)")
        #expect(result.stdout.contains("\"refusal\" : \"Another open merge request already exists for this source branch: !59\""), "\(result.stdout)")
        #expect(result.stderr.contains("found PR #59 (one-more-branch → master, open), which the forge said already exists "
                                       + "(Another open merge request already exists for this source branch: !59); changed nothing"), "\(result.stderr)")
    }

    /// gitlab.com refused the token: 401 "401 Unauthorized": exit 1, GitLab's words and what
    /// to do, the token never printed.
    @Test func gitLabRefusedTokenSaysGitLabsWords() throws {
        let (results, log) = try replay("gitlab/unauthorized.json", [["pr", "find", "1"]], project: "packit-service/ogr-tests", forge: "gitlab",
                                        prefix: "/api/v4")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("HTTP 401: 401 Unauthorized — the forge refused the token"), "\(result.stderr)")
        #expect(!result.stderr.contains("0000000000000000000000000000000000000001"), "the token is never printed")
    }
}

extension RecordedOgrTests {
    /// A Forgejo 10 server's open list holds PR 216 from a fork's branch of the same name: not
    /// taken, so the PR is opened (201, PR 217) and then closed, as the server answered both.
    @Test func forgejoOpensBesideAForksPullRequestAndCloses() throws {
        let (results, log) = try replay("gitea/forgejo-open-close.json", [
            ["pr", "open", "--head", "readme-change-1", "--base", "master", "--title", "test: upstream <- upstream", "--body", "pull request body",
             "--output", "json"],
            ["pr", "close", "217", "--output", "json"],
        ], project: "packit-validator/ogr-tests", forge: "forgejo", prefix: "/api/v1")
        #expect(RecordedForgeTests.allMatched(log, 3), "\(log)")
        let opened = try #require(results.first)
        #expect(opened.status == 0, "\(opened.stdout)\(opened.stderr)")
        #expect(opened.stdout.contains("\"action\" : \"opened\""), "\(opened.stdout)")
        #expect(opened.stdout.contains("https://v10.next.forgejo.org/packit-validator/ogr-tests/pulls/217"), "\(opened.stdout)")
        #expect(opened.stdout.contains("46ae53e1a969bace7e25a2f3e8282d855749ef16"), "\(opened.stdout)")
        #expect(opened.stderr.contains("opened PR #217 (readme-change-1 → master, open)"), "\(opened.stderr)")
        let closed = try #require(results.last)
        #expect(closed.status == 0, "\(closed.stdout)\(closed.stderr)")
        #expect(closed.stdout.contains("\"state\" : \"closed\""), "\(closed.stdout)")
        #expect(closed.stdout.contains("\"action\" : \"closed\""), "\(closed.stdout)")
    }

    /// Forgejo's 404 for a PR that does not exist: exit 1 with its words.
    @Test func forgejoMissingPullRequestSaysForgejosWords() throws {
        let (results, log) = try replay("gitea/forgejo-not-found.json", [["pr", "find", "2000"]], project: "packit-validator/ogr-tests",
                                        forge: "forgejo", prefix: "/api/v1")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("GET /repos/packit-validator/ogr-tests/pulls/2000: HTTP 404: The target couldn't be found. — check --repo / --project"),
                "\(result.stderr)")
    }
}

extension RecordedOgrTests {
    /// A comment on PR 199 as a Forgejo server created it (201), then the PR read back.
    @Test func forgejoCommentsOnThePullRequest() throws {
        let (results, log) = try replay("gitea/forgejo-comment.json", [["pr", "comment", "199", "--body", "Such nice weather", "--output", "json"]],
                                        project: "packit-validator/ogr-tests", forge: "forgejo", prefix: "/api/v1")
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"commented\""), "\(result.stdout)")
        #expect(result.stdout.contains("https://v10.next.forgejo.org/packit-validator/ogr-tests/pulls/199"), "\(result.stdout)")
    }
}
