import CapstanTestSupport
import Foundation
import Testing

/// Capstan against api.github.com's answers recorded by octokit.rb (VCR) and github3.py
/// (betamax), Tests/Fixtures/forges/recorded/github: checks, merges and errors, replayed in order.
@Suite struct RecordedGitHubTests {
    private static let head = "9ca4d0d68c82dd414f3c4b9c53fae32328c9ac9a"

    private func replay(_ recording: String, _ runs: [[String]], project: String = "api-padawan/api-sandbox")
        throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/github/\(recording)"),
                                      prefix: "/api/v3", runs, project: project, forge: "github")
    }

    /// Two green commit statuses and a check run still queued: pending, not green.
    @Test func aQueuedCheckRunKeepsGreenStatusesPending() throws {
        let (results, log) = try replay("read-checks.json", [["pr", "status", "--sha", Self.head, "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.stdout.contains("\"checks\" : \"pending\""), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("continuous-integration/travis-ci/push"), "\(result.stdout)")
        #expect(result.stdout.contains("test_create_check_run"), "\(result.stdout)")
    }

    /// Statuses green, the check run completed with success, the branch not protected, no
    /// ruleset: merged, pinned to the head, and the merge commit GitHub names is reported.
    @Test func mergesOnGreenStatusesAndCheckRun() throws {
        let (results, log) = try replay("merge.json", [["pr", "merge", "1", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 6), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"merged\""), "\(result.stdout)")
        #expect(result.stdout.contains("5d56fb45b3d937e9cd5a0f6c8f13ab8b35f60882"), "\(result.stdout)")
    }

    /// The headline: green statuses but a check run (GitHub Actions) not finished is not
    /// merged; with no --wait left it ends as not mergeable yet (exit 7), and nothing is PUT.
    @Test func aQueuedCheckRunIsNotMergedOver() throws {
        let (results, log) = try replay("merge-check-run-queued.json", [["pr", "merge", "1"]])
        #expect(RecordedForgeTests.allMatched(log, 5), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 7, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("checks pending"), "\(result.stderr)")
    }

    @Test func aRefusedTokenSaysGitHubsWordsAndWhatToDo() throws {
        let (results, log) = try replay("bad-credentials.json", [["pr", "find", "1"]])
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1)
        #expect(result.stderr.contains("HTTP 401: Bad credentials — the forge refused the token"), "\(result.stderr)")
        #expect(!result.stderr.contains("0000000000000000000000000000000000000001"), "the token is never printed")
    }

    @Test func aMissingRepositorySaysGitHubsWordsAndWhatToCheck() throws {
        let (results, log) = try replay("not-found.json", [["pr", "find", "1"]], project: "pengwynn/octokit")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1)
        #expect(result.stderr.contains("HTTP 404: Not Found — check --repo / --project"), "\(result.stderr)")
    }

    @Test func aTokenWithoutThePermissionSaysGitHubsWords() throws {
        let (results, log) = try replay("resource-not-accessible.json", [
            ["pr", "status", "--sha", Self.head, "--state", "success", "--context", "ci"],
        ])
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1)
        #expect(result.stderr.contains("HTTP 403: Resource not accessible by integration — the token lacks a permission"), "\(result.stderr)")
    }
}

extension RecordedGitHubTests {
    /// A renamed repository: api.github.com's 301 to https://api.github.com/repositories/1000, another
    /// origin than the API root Capstan was given, is not followed, so the token goes nowhere else.
    @Test func aMoveToAnotherOriginIsNotFollowed() throws {
        let (results, log) = try replay("moved-permanently.json", [["pr", "find", "1"]], project: "octokit-fixture-org/rename-repository")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1)
        #expect(result.stderr.contains("HTTP 301 redirects"), "\(result.stderr)")
        #expect(result.stderr.contains("not followed, so no credential goes there"), "\(result.stderr)")
    }
}

extension RecordedGitHubTests {
    /// A comment on PR 423 (merged by then: GitHub takes comments on closed PRs), then the PR read back.
    @Test func commentsOnThePullRequest() throws {
        let (results, log) = try replay("comment.json", [["pr", "comment", "423", "--body", "Testing pull request comment", "--output", "json"]],
                                        project: "sigmavirus24/github3.py")
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"commented\""), "\(result.stdout)")
        #expect(result.stdout.contains("\"state\" : \"merged\""), "\(result.stdout)")
    }
}

extension RecordedGitHubTests {
    /// PR 2 closed; its answer has `body: null` (no description), read as an empty one.
    @Test func closesThePullRequest() throws {
        let (results, log) = try replay("close.json", [["pr", "close", "2", "--output", "json"]], project: "github3py/delete_contents")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"state\" : \"closed\""), "\(result.stdout)")
        #expect(result.stdout.contains("\"action\" : \"closed\""), "\(result.stdout)")
    }
}

extension RecordedGitHubTests {
    /// PR 235 was merged long ago (`state: closed`, `merged: true`): `pr merge` reads it as
    /// merged, sends nothing more and says so.
    @Test func anAlreadyMergedPullRequestIsNotMergedAgain() throws {
        let (results, log) = try replay("already-merged.json", [["pr", "merge", "235"]], project: "sigmavirus24/github3.py")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1)
        #expect(result.stderr.contains("PR #235 is merged"), "\(result.stderr)")
    }
}

extension RecordedGitHubTests {
    /// hub4j's recorded check runs of a commit, two a page on four pages, each `next` link on
    /// GitHub's /repositories/{id}/ path: every page is read (the last page's runs are shown),
    /// and all eight completed with success make the checks green.
    @Test func everyPageOfCheckRunsIsRead() throws {
        let sha = "78b9ff49d47daaa158eb373c4e2e040f739df8b9"
        let (results, log) = try RecordedForgeTests.replay(
            file: TestSupport.fixtures.appendingPathComponent("forges/recorded/github/check-runs-pages.json"), prefix: "/api/v3",
            [["pr", "status", "--sha", sha, "--output", "json"]], project: "hub4j/github-api", forge: "github", origin: "https://api.github.com")
        #expect(RecordedForgeTests.allMatched(log, 5), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"checks\" : \"success\""), "\(result.stdout)")
        for name in ["test (windows, Java 13)", "test (ubuntu, Java 13)", "test (ubuntu, Java 8)", "build-only (Java 11)"] {
            #expect(result.stdout.contains(name), "\(name) missing: \(result.stdout)")
        }
    }
}

extension RecordedGitHubTests {
    /// PR 309 mergeable, its two check runs green, but the base's protection requires the
    /// status check test-status-check, which never reported (hub4j's recordings): pending,
    /// not green, so nothing is PUT and `pr merge` ends not mergeable yet (exit 7), naming it.
    @Test func aRequiredCheckThatNeverReportedIsNotMergedOver() throws {
        let (results, log) = try replay("merge-required-check-missing.json", [["pr", "merge", "309"]], project: "hub4j-test-org/github-api")
        #expect(RecordedForgeTests.allMatched(log, 5), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 7, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("checks pending"), "\(result.stderr)")
        #expect(result.stderr.contains("test-status-check"), "\(result.stderr)")
    }
}

extension RecordedGitHubTests {
    /// A renamed repository: api.github.com's 301 to /repositories/{id}/… on its own origin is
    /// followed (the token stays on that origin), and the PR is read there.
    @Test func aMoveWithinTheSameOriginIsFollowed() throws {
        let (results, log) = try RecordedForgeTests.replay(
            file: TestSupport.fixtures.appendingPathComponent("forges/recorded/github/renamed-repository.json"), prefix: "/api/v3",
            [["pr", "find", "309", "--output", "json"]], project: "github-api-test-org/GHContentIntegrationTest", forge: "github",
            origin: "https://api.github.com")
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("b036909fcf45565c82c888ee326ebd0e382f6173"), "\(result.stdout)")
    }
}

extension RecordedGitHubTests {
    /// PR 309 read three times just after it was opened (hub4j's recording): GitHub says
    /// `mergeable: null` twice, then true. With green check runs and --wait, Capstan polls
    /// until GitHub has computed it, then merges pinned to the head (squash).
    @Test func mergesOnceGitHubHasComputedMergeability() throws {
        let (results, log) = try replay("merge-mergeability-computed.json",
                                        [["pr", "merge", "309", "--method", "squash", "--wait", "30", "--poll-interval", "0.1", "--output", "json"]],
                                        project: "hub4j-test-org/github-api")
        #expect(RecordedForgeTests.allMatched(log, 12), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"merged\""), "\(result.stdout)")
        #expect(result.stdout.contains("ecec449372b1e8270524a35c1a5aa8fdaf0e6676"), "\(result.stdout)")
    }
}

extension RecordedGitHubTests {
    /// PR 9 mergeable but `mergeable_state: blocked` (hub4j's recording), its check runs green,
    /// a ruleset asking for an approving review: GitHub would refuse the merge, so Capstan puts
    /// nothing and ends not mergeable yet (exit 7), saying what holds it.
    @Test func aBlockedPullRequestIsNotMergedOver() throws {
        let (results, log) = try replay("merge-blocked.json", [["pr", "merge", "9"]], project: "seate/for-test")
        #expect(RecordedForgeTests.allMatched(log, 5), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 7, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("blocked by branch protection"), "\(result.stderr)")
    }
}

extension RecordedGitHubTests {
    /// Everything green, but the token may not push (GitHub's recorded 403 "Must have push
    /// access to repository"): not merged, exit 1 with GitHub's words and what to check.
    @Test func aMergeRefusedForWantOfPushAccessSaysGitHubsWords() throws {
        let (results, log) = try replay("merge-no-push-access.json", [["pr", "merge", "309"]], project: "hub4j-test-org/github-api")
        #expect(RecordedForgeTests.allMatched(log, 6), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("HTTP 403: Must have push access to repository — the token lacks a permission"), "\(result.stderr)")
        #expect(!result.stderr.contains("0000000000000000000000000000000000000001"), "the token is never printed")
    }

    /// Everything green, then GitHub's documented 405 "Pull Request is not mergeable" to the
    /// merge (its REST description's example), and the PR read again still open: a conflict,
    /// exit 5, its words.
    @Test func aMergeAnsweredNotMergeableExitsFive() throws {
        let (results, log) = try replay("merge-not-mergeable-doc.json", [["pr", "merge", "309"]], project: "hub4j-test-org/github-api")
        #expect(RecordedForgeTests.allMatched(log, 7), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 5, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PR #309 cannot be merged: Pull Request is not mergeable"), "\(result.stderr)")
    }

    /// GitHub's documented 409 "Head branch was modified" to a merge pinned to the head
    /// Capstan checked: exit 4, naming the commit it checked and GitHub's words.
    @Test func aMergeAnsweredHeadModifiedExitsFour() throws {
        let (results, log) = try replay("merge-head-moved-doc.json", [["pr", "merge", "309"]], project: "hub4j-test-org/github-api")
        #expect(RecordedForgeTests.allMatched(log, 6), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 4, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PR #309: the head moved after Capstan checked b036909; not merged (Head branch was modified. Review and try the merge again.)"),
                "\(result.stderr)")
    }
}

extension RecordedGitHubTests {
    /// Mergify's recorded run: PR 2 read open, its checks green, then merged by another merge
    /// (Mergify's own, 20:46:27) before this one: GitHub answers the second merge 405 "Pull
    /// Request is not mergeable". That is not a conflict: the PR is read once more and found
    /// merged, so Capstan says merged, with the merge commit, and not by this merge (exit 1),
    /// as it does for bitbucket.org's "already closed" — not exit 5 "cannot be merged".
    @Test func aMergeRefusedBecauseAnotherMergeLandedSaysMergedMeanwhile() throws {
        let (results, log) = try replay("merge-merged-meanwhile.json", [["pr", "merge", "2", "--method", "rebase"]],
                                        project: "mergify-test1/repo-e3183eca-81bc-49c9-81f9-456d18059df3-test_update_branch_disabled")
        #expect(RecordedForgeTests.allMatched(log, 7), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PR #2 is merged (merge commit 1a123b328486ffd9fa35b46240775c95786fe127), not by this merge: "
                                       + "the forge refused it: Pull Request is not mergeable"), "\(result.stderr)")
        #expect(!result.stderr.contains("cannot be merged"), "\(result.stderr)")
    }
}

extension RecordedGitHubTests {
    /// GitHub refuses a commit status whose description is longer than 140 characters (422,
    /// recorded by packit/ogr) and accepts its first 140: Capstan sends those, so a long
    /// `--description` does not cost the status itself.
    @Test func aLongStatusDescriptionIsCutToWhatGitHubTakes() throws {
        let sha = "c891a9e4ac01e6575f3fd66cf1b7db2f52f10128"
        let description = "Testing the trimming of the description after an argument trim is added. The argument defaults to False, "
            + "but in packit the argument trim is set to True."
        let (results, log) = try replay("status-description-cut.json", [
            ["pr", "status", "--sha", sha, "--state", "success", "--context", "test", "--description", description,
             "--target-url", "https://github.com/packit/ogr"],
        ], project: "packit/ogr")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "\(sha)\n", "\(result.stdout)")
    }
}
