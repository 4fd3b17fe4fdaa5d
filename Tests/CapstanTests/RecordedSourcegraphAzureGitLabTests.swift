import CapstanTestSupport
import Foundation
import Testing

/// dev.azure.com's and gitlab.com's answers recorded with go-vcr by Sourcegraph's forge clients
/// (sourcegraph/sourcegraph-public-snapshot, internal/extsvc, recorded 2022–2023 under
/// Apache-2.0), replayed in order from Tests/Fixtures/forges/recorded (provenance in each file).
@Suite struct RecordedSourcegraphAzureGitLabTests {
    private func replay(_ recording: String, _ runs: [[String]], project: String, forge: String, prefix: String = "")
        throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/\(recording)"),
                                      prefix: prefix, runs, project: project, forge: forge)
    }

    /// The page of a PR in Sourcegraph's test organisation, as Azure's web interface addresses it.
    private static func page(_ repository: String, _ number: Int) -> String {
        "https://dev.azure.com/sgtestazure/sgtestazure/_git/\(repository)/pullrequest/\(number)"
    }
}

extension RecordedSourcegraphAzureGitLabTests {
    /// dev.azure.com answered the create 201 with the PR active and its merge `queued`:
    /// opened, its page (from `webUrl`, without the user name `remoteUrl` carries) printed.
    @Test func azureOpensThePullRequestAsDevAzureComAnswered() throws {
        let (results, log) = try replay("azure-devops/sourcegraph-open.json", [
            ["pr", "open", "--head", "add-codeowners", "--base", "main", "--title", "Test PR", "--body", "test description", "--output", "json"],
        ], project: "sgtestazure/sgtestazure", forge: "azure-devops")
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"opened\""), "\(result.stdout)")
        #expect(result.stdout.contains("\"url\" : \"\(Self.page("sgtestazure", 38))\""), "\(result.stdout)")
        #expect(result.stdout.contains("bb76f558e69f76c26c9c7844b9bc473a054ab1dc"), "\(result.stdout)")
    }

    /// dev.azure.com answered the completion `completed` at once, its merge `succeeded` with
    /// the merge commit made: merged, and that commit is the one printed.
    @Test func azureCompletesThePullRequestAndNamesTheMergeCommit() throws {
        let (results, log) = try replay("azure-devops/sourcegraph-merge-completed.json", [
            ["pr", "merge", "7", "--allow-no-checks", "--output", "json"],
        ], project: "sgtestazure/sgtestazure3", forge: "azure-devops")
        #expect(RecordedForgeTests.allMatched(log, 5), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"merged\""), "\(result.stdout)")
        #expect(result.stdout.contains("c7e4f3b29a8e0b08233440687efd3c351e2a0372"), "\(result.stdout)")
        #expect(result.stdout.contains(Self.page("sgtestazure3", 7)), "\(result.stdout)")
    }

    /// PR 5 as dev.azure.com held it: active, `mergeStatus: conflicts`. Nothing is PATCHed:
    /// exit 5, naming the base it conflicts with.
    @Test func azureConflictsAreNotMergeable() throws {
        let (results, log) = try replay("azure-devops/sourcegraph-conflicts.json", [
            ["pr", "merge", "5", "--allow-no-checks"],
        ], project: "sgtestazure/sgtestazure3", forge: "azure-devops")
        #expect(RecordedForgeTests.allMatched(log, 4), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 5, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PR #5 cannot be merged: the forge reports conflicts with main"), "\(result.stderr)")
    }

    /// The open PR found has another title and description: both are PATCHed, and the
    /// recorded answer (still active, now with conflicts) is the PR `pr open` reports.
    @Test func azureUpdatesTheOpenPullRequest() throws {
        let (results, log) = try replay("azure-devops/sourcegraph-update.json", [
            ["pr", "open", "--head", "tempbranch", "--base", "main", "--title", "new title", "--body", "new description", "--output", "json"],
        ], project: "sgtestazure/sgtestazure3", forge: "azure-devops")
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"updated\""), "\(result.stdout)")
        #expect(result.stdout.contains("\"title\" : \"new title\""), "\(result.stdout)")
        #expect(result.stderr.contains("changed its title"), "\(result.stderr)")
    }

    @Test func azureCommentsOnThePullRequest() throws {
        let (results, log) = try replay("azure-devops/sourcegraph-comment.json", [["pr", "comment", "5", "--body", "new comment", "--output", "json"]],
                                        project: "sgtestazure/sgtestazure3", forge: "azure-devops")
        #expect(RecordedForgeTests.allMatched(log, 2), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"commented\""), "\(result.stdout)")
        #expect(result.stdout.contains(Self.page("sgtestazure3", 5)), "\(result.stdout)")
    }

    @Test func azureAbandonsThePullRequest() throws {
        let (results, log) = try replay("azure-devops/sourcegraph-abandon.json", [["pr", "close", "12", "--output", "json"]],
                                        project: "sgtestazure/sgtestazure", forge: "azure-devops")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"state\" : \"closed\""), "\(result.stdout)")
        #expect(result.stdout.contains("\"action\" : \"closed\""), "\(result.stdout)")
    }

    /// An abandoned PR is not merged: read once, nothing more sent, exit 1.
    @Test func azureDoesNotMergeAnAbandonedPullRequest() throws {
        let (results, log) = try replay("azure-devops/sourcegraph-abandoned.json", [["pr", "merge", "2"]],
                                        project: "sgtestazure/sgtestazure3", forge: "azure-devops")
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PR #2 is closed"), "\(result.stderr)")
    }
}

extension RecordedSourcegraphAzureGitLabTests {
    /// gitlab.com refused a create in an archived project with a bare "403 Forbidden" (to its
    /// owner's token): exit 1, GitLab's words, and, read from the project (as Sourcegraph's
    /// client read it right after, recorded in the same cassette), that it is archived.
    @Test func gitLabRefusesAMergeRequestInAnArchivedProject() throws {
        let (results, log) = try replay("gitlab/archived-open-forbidden.json", [
            ["pr", "open", "--head", "branch-without-pr", "--base", "main", "--title", "This MR should never be created",
             "--body", "This merge request was created by a test against an archived repository, and should therefore not exist."],
        ], project: "LawnGnome/archived", forge: "gitlab", prefix: "/api/v4")
        #expect(RecordedForgeTests.allMatched(log, 3), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("POST /projects/LawnGnome%2Farchived/merge_requests: HTTP 403: 403 Forbidden — the project is archived (read-only)"),
                "\(result.stderr)")
        #expect(!result.stderr.contains("lacks a permission"), "\(result.stderr)")
    }

    /// The same refusal for retitling the open MR found: exit 1, GitLab's words, the project
    /// read back archived, nothing more sent.
    @Test func gitLabRefusesToRetitleAMergeRequestInAnArchivedProject() throws {
        let (results, log) = try replay("gitlab/archived-update-forbidden.json", [
            ["pr", "open", "--head", "branch-with-pr", "--base", "main", "--title", "This title should never change",
             "--body", "do not merge this PR"],
        ], project: "LawnGnome/archived", forge: "gitlab", prefix: "/api/v4")
        #expect(RecordedForgeTests.allMatched(log, 3), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PUT /projects/LawnGnome%2Farchived/merge_requests/1: HTTP 403: 403 Forbidden — the project is archived (read-only)"),
                "\(result.stderr)")
        #expect(!result.stderr.contains("lacks a permission"), "\(result.stderr)")
    }
}

extension RecordedSourcegraphAzureGitLabTests {
    /// PR 49's own statuses as dev.azure.com listed them (oldest first): vsts-samples/sample-status-2
    /// succeeded twice and then failed, sample-status-3 failed. Services post these to the PR,
    /// not to its head commit: they are checks of the PR, and the newest of each is what counts.
    @Test func azurePullRequestStatusesAreChecks() throws {
        let (results, log) = try replay("azure-devops/sourcegraph-pr-statuses.json", [["pr", "status", "--pr", "49", "--output", "json"]],
                                        project: "sgtestazure/sgtestazure3", forge: "azure-devops")
        #expect(RecordedForgeTests.allMatched(log, 4), "\(log)")
        let result = try #require(results.first)
        #expect(result.stdout.contains("\"checks\" : \"failure\""), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("vsts-samples/sample-status-2"), "\(result.stdout)")
        #expect(result.stdout.contains("vsts-samples/sample-status-3"), "\(result.stdout)")
    }

    /// The same failed PR statuses stop `pr merge`, even with `--allow-no-checks`: exit 3,
    /// nothing PATCHed.
    @Test func azureDoesNotMergeOverAFailedPullRequestStatus() throws {
        let (results, log) = try replay("azure-devops/sourcegraph-pr-statuses.json", [["pr", "merge", "49", "--allow-no-checks"]],
                                        project: "sgtestazure/sgtestazure3", forge: "azure-devops")
        #expect(RecordedForgeTests.allMatched(log, 4), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PR #49: a required check failed on bb76f55; not merged"), "\(result.stderr)")
    }
}
