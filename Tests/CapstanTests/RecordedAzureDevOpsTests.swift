import CapstanTestSupport
import Foundation
import Testing

/// Capstan against the example answers Microsoft publishes with Azure DevOps' REST description
/// (Tests/Fixtures/forges/recorded/azure-devops, provenance in each file), replayed in order.
@Suite struct RecordedAzureDevOpsTests {
    private static let project = "2016_10_31/2016_10_31"
    /// The page of PR 22, as Azure's web interface addresses it.
    private static let page = "https://dev.azure.com/fabrikam/2016_10_31/_git/2016_10_31/pullrequest/22"

    private func replay(_ recording: String, _ runs: [[String]]) throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/azure-devops/\(recording)"),
                                      prefix: "", runs, project: Self.project, forge: "azure-devops")
    }

    /// A list answer's repository has no `remoteUrl` (nor `webUrl`): the PR's page is built
    /// from what it has (the organisation in `url`, the project's and repository's names).
    @Test func aPullRequestFoundInTheListHasItsPageAsURL() throws {
        let (results, log) = try replay("list-pull-requests.json", [
            ["pr", "find", "--head", "npaulk/my_work", "--base", "new_feature", "--output", "json"],
        ])
        #expect(log.count == 1 && log.first?["matched"] as? Bool == true, "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"url\" : \"\(Self.page)\""), "\(result.stdout)")
        #expect(result.stdout.contains("b60280bc6e62e2f880f1b63c1e24987664d3bda3"), "\(result.stdout)")
    }

    @Test func opensThePullRequest() throws {
        let (results, log) = try replay("open-pull-request.json", [
            ["pr", "open", "--head", "npaulk/my_work", "--base", "new_feature", "--title", "A new feature", "--body", "Adding a new feature",
             "--reviewer", "d6245f20-2af8-44f4-9451-8107cb2767db", "--output", "json"],
        ])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"opened\""), "\(result.stdout)")
        #expect(result.stdout.contains("https://dev.azure.com/fabrikam/_git/2016_10_31/pullrequest/22"), "\(result.stdout)")
    }

    /// The open PR found in the list has another title: Capstan edits it and says it changed the title.
    @Test func updatesTheTitleOfTheOpenPullRequest() throws {
        let (results, log) = try replay("update-pull-request.json", [
            ["pr", "open", "--head", "npaulk/my_work", "--base", "new_feature", "--title", "Updated pull request title",
             "--body", "Adding a new feature", "--output", "json"],
        ])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"updated\""), "\(result.stdout)")
        #expect(result.stderr.contains("changed its title"), "\(result.stderr)")
    }

    /// PR 22's head carries one succeeded status; the repository has no policy: green.
    @Test func readsTheChecksOfThePullRequest() throws {
        let (results, log) = try replay("read-checks.json", [["pr", "status", "--pr", "22", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 4), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"checks\" : \"success\""), "\(result.stdout)")
        #expect(result.stdout.contains("continuous-integration/Build123"), "\(result.stdout)")
    }

    @Test func commentsOnThePullRequest() throws {
        let (results, log) = try replay("comment.json", [["pr", "comment", "22", "--body", "This new feature looks good!", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"commented\""), "\(result.stdout)")
    }
}

extension RecordedAzureDevOpsTests {
    /// `pr merge --auto`: PR 21's head green, the head compared right before asking, then
    /// auto-complete set by the PR's creator; Azure keeps it active until its policies pass.
    @Test func setsAutoCompleteOnThePullRequest() throws {
        let (results, log) = try replay("auto-complete.json", [["pr", "merge", "21", "--auto", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 6), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"auto-merge\""), "\(result.stdout)")
        #expect(result.stdout.contains("https://dev.azure.com/fabrikam/2016_10_31/_git/2016_10_31/pullrequest/21"), "\(result.stdout)")
    }
}

extension RecordedAzureDevOpsTests {
    @Test func postsACommitStatus() throws {
        let (results, log) = try replay("post-status.json", [
            ["pr", "status", "--sha", "67cae2b029dff7eb3dc062b49403aaedca5bad8d", "--state", "success", "--context", "Build123",
             "--description", "The build is successful", "--target-url", "https://ci.fabrikam.com/my-project/build/123 "],
        ])
        #expect(log.count == 1 && log.first?["matched"] as? Bool == true, "\(log)")
        #expect(results.first?.status == 0, "\(results.first?.stderr ?? "")")
    }
}

extension RecordedAzureDevOpsTests {
    /// dev.azure.com's answer to completing PR 19 (go-scm's Azure tests): `completed` at
    /// once, its merge still `queued`, no `lastMergeCommit` yet: merged, nothing re-read, and
    /// no merge commit made up.
    @Test func completesThePullRequestAzureAnswersCompleted() throws {
        let (results, log) = try RecordedForgeTests.replay(
            file: TestSupport.fixtures.appendingPathComponent("forges/recorded/azure-devops/merge-completed.json"), prefix: "",
            [["pr", "merge", "19", "--allow-no-checks", "--output", "json"]], project: "test_project/test_repo2", forge: "azure-devops")
        #expect(RecordedForgeTests.allMatched(log, 5), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"merged\""), "\(result.stdout)")
        #expect(!result.stdout.contains("mergeSHA"), "\(result.stdout)")
        #expect(result.stdout.contains("https://dev.azure.com/tphoney/test_project/_git/test_repo2/pullrequest/19"), "\(result.stdout)")
    }
}

extension RecordedAzureDevOpsTests {
    /// Azure may accept the completion (200) and still answer `active` (go-scm met it on a
    /// fresh PR): Capstan reads the PR again until Azure says completed, then says merged.
    @Test func followsACompletionAzureAcceptedButHasNotFinished() throws {
        let (results, log) = try RecordedForgeTests.replay(
            file: TestSupport.fixtures.appendingPathComponent("forges/recorded/azure-devops/merge-accepted-still-active.json"), prefix: "",
            [["pr", "merge", "19", "--allow-no-checks", "--output", "json"]], project: "test_project/test_repo2", forge: "azure-devops")
        #expect(RecordedForgeTests.allMatched(log, 6), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"merged\""), "\(result.stdout)")
    }
}

extension RecordedAzureDevOpsTests {
    /// dev.azure.com's `remoteUrl` carries the organisation as a user name
    /// (`https://tphoney@dev.azure.com/…`): the PR's page Capstan prints and writes to
    /// outputs is the address without it, as Azure's web interface shows it.
    @Test func thePageOfAPullRequestCarriesNoUserNameFromRemoteURL() throws {
        let (results, log) = try RecordedForgeTests.replay(
            file: TestSupport.fixtures.appendingPathComponent("forges/recorded/azure-devops/get-pull-request-remote-url.json"), prefix: "",
            [["pr", "find", "19", "--output", "json"]], project: "test_project/test_repo2", forge: "azure-devops")
        #expect(log.count == 1 && log.first?["matched"] as? Bool == true, "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"url\" : \"https://dev.azure.com/tphoney/test_project/_git/test_repo2/pullrequest/19\""),
                "\(result.stdout)")
    }
}

extension RecordedAzureDevOpsTests {
    private func replayXSOAR(_ recording: String, _ runs: [[String]]) throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/azure-devops/\(recording)"),
                                      prefix: "", runs, project: "xsoar/xsoar", forge: "azure-devops")
    }

    /// dev.azure.com's TF401180 (kept by XSOAR's tests): Azure's own words, exit 1.
    @Test func aMissingPullRequestSaysAzuresWords() throws {
        let (results, log) = try replayXSOAR("pull-request-not-found.json", [["pr", "find", "42"]])
        #expect(log.count == 1 && log.first?["matched"] as? Bool == true, "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("HTTP 404: TF401180: The requested pull request was not found."), "\(result.stderr)")
    }

    /// dev.azure.com's answer to a created PR (XSOAR's tests): its `webUrl` is the page.
    @Test func opensThePullRequestAsDevAzureComAnswered() throws {
        let (results, log) = try replayXSOAR("open-recorded.json", [
            ["pr", "open", "--head", "main", "--base", "test-branch", "--title", "My title", "--body", "xsoar command description", "--output", "json"],
        ])
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"opened\""), "\(result.stdout)")
        #expect(result.stdout.contains("\"url\" : \"https://dev.azure.com/xsoar/xsoar/_git/xsoar/pullrequest/1\""), "\(result.stdout)")
    }
}
