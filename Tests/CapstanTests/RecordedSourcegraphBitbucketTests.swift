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

    @Test func dataCenterOpensThePullRequest() throws {
        let (results, log) = try replayDataCenter("open.json", [
            ["pr", "open", "--head", "test-pr-bbs-3", "--base", "master", "--title", "This is a test PR",
             "--body", "This is a test PR. Feel free to ignore.", "--output", "json"],
        ])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"opened\""), "\(result.stdout)")
        #expect(result.stdout.contains("https://bitbucket.sgdev.org/projects/SOUR/repos/automation-testing/pull-requests/71"), "\(result.stdout)")
    }

    /// Bitbucket Server refuses a second PR between the same branches with 409
    /// DuplicatePullRequestException, naming the open one: Capstan adopts that PR without
    /// reading the list again (two requests, not three) and says the forge refused.
    @Test func dataCenterAdoptsThePullRequestThatAlreadyExists() throws {
        let (results, log) = try replayDataCenter("open-already-exists.json", [
            ["pr", "open", "--head", "always-open-pr-bbs", "--base", "master", "--title", "This is a test PR",
             "--body", "This is a test PR. Feel free to ignore.", "--output", "json"],
        ])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("found PR #132 (always-open-pr-bbs → master, open)"), "\(result.stderr)")
        #expect(result.stderr.contains("already exists (Only one pull request may be open for a given source and target branch)"),
                "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"unchanged\""), "\(result.stdout)")
    }

    /// Bitbucket Server stores a description without its trailing newline ("- One\n- Two\n" comes
    /// back "- One\n- Two"), as a body from a YAML block scalar or a file ends: the PR it opened
    /// still says what the draft says, so the next `pr open` finds it unchanged and sends no edit.
    @Test func dataCenterDescriptionWithoutItsTrailingNewlineIsUnchanged() throws {
        let open = ["pr", "open", "--head", "test-pr-bbs-17", "--base", "master", "--title", "This is a test PR", "--body=- One\n- Two\n",
                    "--output", "json"]
        let (results, log) = try replayDataCenter("open-description-trimmed.json", [open, open])
        #expect(RecordedForgeTests.allMatched(log, 3), "\(log)")
        #expect(results.map(\.status) == [0, 0], "\(results.map(\.stderr))")
        #expect(results.first?.stdout.contains("\"action\" : \"opened\"") == true, "\(results.first?.stdout ?? "")")
        #expect(results.last?.stdout.contains("\"action\" : \"unchanged\"") == true, "\(results.last?.stdout ?? "")")
    }

    /// `pr close` declines the PR pinned to the version it read.
    @Test func dataCenterDeclinesThePullRequest() throws {
        let (results, log) = try replayDataCenter("decline.json", [["pr", "close", "63", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("closed"), "\(result.stdout)")
        #expect(result.stdout.contains("https://bitbucket.sgdev.org/projects/SOUR/repos/automation-testing/pull-requests/63"), "\(result.stdout)")
    }

    /// `apps --comment` on Bitbucket Server reads the PR's activities for its marked comment:
    /// the real page (a merge, a comment with a reply and tasks, approvals, a decline and
    /// reopening) holds none, so it creates one, and reports the id the server gave it.
    @Test func dataCenterAppsCommentReadsTheRealActivitiesAndCreatesItsComment() throws {
        let root = try TestSupport.temporaryDirectory("recorded-apps-comment")
        defer { try? FileManager.default.removeItem(at: root) }
        let tree = root.appendingPathComponent("release")
        try TestSupport.copyTree(TestSupport.fixtures.appendingPathComponent("apps/argocd"), to: tree)
        try GitFixtures.git(["init", "-q", "-b", "main"], in: tree)
        try GitFixtures.git(["add", "-A"], in: tree)
        try GitFixtures.git(["commit", "-q", "-m", "release"], in: tree)
        let handle = try FileHandle(forWritingTo: tree.appendingPathComponent("envs/prod/ingress-values.yaml"))
        handle.seekToEndOfFile()
        handle.write(Data("# touched\n".utf8))
        try handle.close()
        try GitFixtures.git(["commit", "-q", "-am", "ingress"], in: tree)
        let (results, log) = try replayDataCenter("apps-comment.json", [
            ["apps", "--repository", tree.path, "--changed", "HEAD~1..HEAD", "--comment", "--pr", "2", "--output", "json"],
        ], repository: "vegeta")
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"created\""), "\(result.stdout)")
        #expect(result.stdout.contains("\"commentID\" : \"2790\""), "\(result.stdout)")
    }

    /// The merge pinned to the PR's version; the merge commit is the one Bitbucket names in
    /// `properties.mergeCommit`, not the target branch's `latestCommit` the answer also carries.
    @Test func dataCenterMergesAndReportsTheMergeCommit() throws {
        let (results, log) = try replayDataCenter("merge.json", [["pr", "merge", "146", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 3), "\(log)")
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
        #expect(RecordedForgeTests.allMatched(log, 3), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 5, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("The pull request has conflicts and cannot be merged."), "\(result.stderr)")
    }

    /// PR 2 of SOUR/vegeta was merged in 2019: `pr merge` reads it and stops, sending nothing more.
    @Test func dataCenterMergedPullRequestIsNotMergedAgain() throws {
        let (results, log) = try replayDataCenter("already-merged.json", [["pr", "merge", "2"]], repository: "vegeta")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PR #2 is merged"), "\(result.stderr)")
    }

    @Test(arguments: [("no-such-pull-request.json", "vegeta", "HTTP 404: Pull request 9999 does not exist in SOUR/vegeta."),
                      ("no-such-repository.json", "invalidslug", "HTTP 404: Repository SOUR/invalidslug does not exist.")])
    func dataCenterSaysWhatDoesNotExist(recording: String, repository: String, words: String) throws {
        let (results, log) = try replayDataCenter(recording, [["pr", "find", "9999"]], repository: repository)
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(words), "\(result.stderr)")
    }
}

extension RecordedSourcegraphBitbucketTests {
    private func replayCloud(_ recording: String, _ runs: [[String]]) throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/bitbucket-cloud/\(recording)"),
                                      prefix: "", runs, project: "sourcegraph-testing/src-cli", forge: "bitbucket-cloud")
    }

    private var openBranch00: [String] {
        ["pr", "open", "--head", "branch-00", "--base", "master", "--title", "Sourcegraph test branch-00",
         "--body", "This is a PR created by the Sourcegraph test suite.", "--output", "json"]
    }

    /// bitbucket.org does not refuse a second PR between the same branches: it answers the
    /// create with the PR it has (201, the same number). Capstan, whose list was empty both
    /// times, reports that one PR twice and makes no second.
    @Test func cloudAnswersASecondCreateWithThePullRequestItHas() throws {
        let (results, log) = try replayCloud("open-twice.json", [openBranch00, openBranch00])
        #expect(RecordedForgeTests.allMatched(log, 4), "\(log)")
        for result in results {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("\"number\" : 2"), "\(result.stdout)")
            #expect(result.stdout.contains("https://bitbucket.org/sourcegraph-testing/src-cli/pull-requests/2"), "\(result.stdout)")
        }
    }

    /// The open PR from always-open already exists with another description: found in the list,
    /// its description edited (PUT), reported updated with bitbucket.org's answer.
    @Test func cloudUpdatesTheDescriptionOfTheOpenPullRequest() throws {
        let (results, log) = try replayCloud("open-updates-description.json", [
            ["pr", "open", "--head", "always-open", "--base", "master", "--title", "Always open PR",
             "--body", "This PR is _always_ open.\n\nUpdated by the Sourcegraph test suite at 2022-04-01T16:44:30-07:00", "--output", "json"],
        ])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"updated\""), "\(result.stdout)")
        #expect(result.stdout.contains("https://bitbucket.org/sourcegraph-testing/src-cli/pull-requests/1"), "\(result.stdout)")
    }

    /// bitbucket.org's PR 3 comes from the fork aharvey-sg/src-cli-testing: its branch-fork-00
    /// is not this repository's, so `pr find --head branch-fork-00` finds no PR of ours.
    @Test func cloudFindDoesNotTakeAForksPullRequest() throws {
        let (results, log) = try replayCloud("find-skips-fork.json", [["pr", "find", "--head", "branch-fork-00", "--base", "master"]])
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("no open PR from branch-fork-00 into master"), "\(result.stderr)")
    }

    /// A create into a branch that does not exist: 400, and no open PR to adopt, so Capstan
    /// fails with bitbucket.org's words.
    @Test func cloudOpenIntoAMissingBranchFailsWithBitbucketsWords() throws {
        let (results, log) = try replayCloud("open-base-not-found.json", [
            ["pr", "open", "--head", "branch-00", "--base", "this-branch-should-never-exist", "--title", "Sourcegraph test branch-00",
             "--body", "This is a PR created by the Sourcegraph test suite."],
        ])
        #expect(RecordedForgeTests.allMatched(log, 3), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("HTTP 400: destination: branch not found: this-branch-should-never-exist"), "\(result.stderr)")
    }

    @Test func cloudSquashMergesAndReportsTheMergeCommit() throws {
        let (results, log) = try replayCloud("merge-squash.json", [["pr", "merge", "4", "--method", "squash", "--allow-no-checks", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 4), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"merged\""), "\(result.stdout)")
        #expect(result.stdout.contains("b70b4c18ed5c9a34896aed92e56688057859a68f"), "\(result.stdout)")
    }

    /// A real Bitbucket Pipelines status, SUCCESSFUL on the PR's head: `pr status` reads it green
    /// (by its name, matched to the head's 12-character hash), and `pr merge` merges without
    /// --allow-no-checks.
    @Test func cloudMergesOnAGreenPipelinesStatus() throws {
        let (results, log) = try replayCloud("merge-on-green.json", [
            ["pr", "status", "--pr", "6", "--output", "json"],
            ["pr", "merge", "6", "--method", "squash", "--output", "json"],
        ])
        #expect(RecordedForgeTests.allMatched(log, 6), "\(log)")
        #expect(results.map(\.status) == [0, 0], "\(results.map(\.stderr))")
        #expect(results.first?.stdout.contains("\"checks\" : \"success\"") == true, "\(results.first?.stdout ?? "")")
        #expect(results.first?.stdout.contains("Pipeline #2 for pipeline-test-pr") == true, "\(results.first?.stdout ?? "")")
        #expect(results.last?.stdout.contains("\"action\" : \"merged\"") == true, "\(results.last?.stdout ?? "")")
        #expect(results.last?.stdout.contains("b70b4c18ed5c9a34896aed92e56688057859a68f") == true, "\(results.last?.stdout ?? "")")
    }

    /// Closed by another merge between Capstan's re-read and its own: bitbucket.org's 400
    /// "This pull request is already closed." is not this merge. Capstan reads the PR once
    /// more and says what it is now: merged, with its merge commit, and exits as `pr merge` on
    /// a merged PR does (1, not open), in bitbucket.org's words.
    @Test func cloudMergeOfAPullRequestMergedMeanwhileSaysItIsMerged() throws {
        let (results, log) = try replayCloud("merge-already-closed.json", [["pr", "merge", "4", "--method", "squash", "--allow-no-checks"]])
        #expect(RecordedForgeTests.allMatched(log, 5), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PR #4 is merged (merge commit b70b4c18ed5c9a34896aed92e56688057859a68f)"), "\(result.stderr)")
        #expect(result.stderr.contains("newstatus: This pull request is already closed."), "\(result.stderr)")
    }

    /// Declined between Capstan's re-read and its merge: the same 400, and the read after it
    /// finds PR 2 DECLINED, which Capstan says in Bitbucket's word, with no merge commit.
    @Test func cloudMergeOfAPullRequestDeclinedMeanwhileSaysItIsDeclined() throws {
        let (results, log) = try replayCloud("merge-declined-meanwhile.json", [["pr", "merge", "2", "--method", "squash", "--allow-no-checks"]])
        #expect(RecordedForgeTests.allMatched(log, 5), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PR #2 is declined, not by this merge"), "\(result.stderr)")
        #expect(!result.stderr.contains("merge commit"), "\(result.stderr)")
    }

    /// bitbucket.org's 401 to an account password is six lines of plain text: Capstan says
    /// what it says on one line, with the 401's next step, cut only at a line's end (the cut
    /// once fell inside the app-passwords URL, leaving a wrong one: https://bitbucket.org/account/).
    @Test func cloudRefusedCredentialsAreSaidInBitbucketsWords() throws {
        let (results, log) = try replayCloud("account-password-refused.json", [["pr", "find", "1"]])
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("HTTP 401: Bitbucket Cloud recently stopped supporting account passwords for API authentication. "
                                       + "See our community post for more details: https://atlassian.community/t5/x/x/ba-p/1948231 "
                                       + "App passwords are recommended for most use cases and can be created in your Personal settings: …"),
                "\(result.stderr)")
        #expect(!result.stderr.contains("https://bitbucket.org/account/ "), "a URL cut short: \(result.stderr)")
        #expect(result.stderr.contains("the forge refused the token"), "\(result.stderr)")
    }
}

extension RecordedSourcegraphBitbucketTests {
    /// The PR's version moved on between the read and the merge (a push, a rescope, an edit):
    /// Bitbucket refuses the merge with 409 PullRequestOutOfDateException (cdancy/bitbucket-rest's
    /// recorded answer). Head moved: exit 4, in Bitbucket's words, nothing merged.
    @Test func dataCenterOutOfDateMergeIsHeadMoved() throws {
        let (results, log) = try replayDataCenter("merge-out-of-date.json", [["pr", "merge", "146"]])
        #expect(RecordedForgeTests.allMatched(log, 3), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 4, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PR #146: the head moved after Capstan checked 88e8840; not merged "
                                       + "(You are attempting to modify a pull request based on out-of-date information.)"), "\(result.stderr)")
    }
}
