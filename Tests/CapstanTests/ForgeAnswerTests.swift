import Foundation
@testable import Forges
import Testing

/// What Capstan reads from the forges' answers: the reason a 422 gives, the Azure DevOps
/// page of a PR, and malformed answers refused with the field named (issue 14, findings 5, 6, 8).
@Suite struct ForgeAnswerTests {
    private func answer(_ status: Int, _ body: String) -> HTTPAnswer {
        HTTPAnswer(status: status, headers: [:], body: Data(body.utf8), method: "POST", path: "/repos/o/r/pulls")
    }

    /// GitHub's answer to opening a PR that exists (docs.github.com/rest/pulls, 422 example).
    @Test func gitHubsValidationErrorsSayWhy() {
        let body = #"{"message":"Validation Failed","errors":[{"resource":"PullRequest","code":"custom","message":"A pull request already exists for octocat:patch-1."}],"documentation_url":"https://docs.github.com/rest/pulls/pulls#create-a-pull-request"}"#
        #expect(HTTPClient.message(in: answer(422, body)) == "Validation Failed: A pull request already exists for octocat:patch-1.")
    }

    /// A PR as Azure DevOps answers it (the sample of learn.microsoft.com's Pull Requests - Get
    /// Pull Request, 7.1): the repository has `remoteUrl` and no `webUrl`.
    @Test func azurePullRequestURLIsItsPage() throws {
        let json = try #require(JSONValue.parse(Data("""
        {"repository": {"id": "3411ebc1-d5aa-464f-9615-0b527bc66719", "name": "2016_10_31",
          "url": "https://dev.azure.com/fabrikam/_apis/git/repositories/3411ebc1-d5aa-464f-9615-0b527bc66719",
          "project": {"id": "a7573007-bbb3-4341-b726-0c4148a07853", "name": "2016_10_31", "state": "unchanged"},
          "remoteUrl": "https://dev.azure.com/fabrikam/_git/2016_10_31"},
         "pullRequestId": 22, "codeReviewId": 22, "status": "active", "creationDate": "2016-11-01T16:30:31.6655471Z",
         "title": "A new feature", "description": "Adding a new feature",
         "sourceRefName": "refs/heads/npaulk/my_work", "targetRefName": "refs/heads/new_feature", "mergeStatus": "succeeded",
         "mergeId": "f5fc8381-3fb2-49fe-8a0d-27dcc2d6ef82",
         "lastMergeSourceCommit": {"commitId": "b60280bc6e62e2f880f1b63c1e24987664d3bda3"},
         "lastMergeTargetCommit": {"commitId": "f47bbc106853afe3c1b07a81754bce5f4b8dbf62"},
         "url": "https://dev.azure.com/fabrikam/_apis/git/repositories/3411ebc1-d5aa-464f-9615-0b527bc66719/pullRequests/22",
         "supportsIterations": true}
        """.utf8)))
        let pullRequest = try AzureDevOpsForge.pullRequest(json)
        #expect(pullRequest.url == "https://dev.azure.com/fabrikam/_git/2016_10_31/pullrequest/22")
    }

    @Test func aPullRequestWithoutItsHeadIsAnErrorNamingTheField() throws {
        let json = try #require(JSONValue.parse(Data(#"{"number": 1, "state": "open", "html_url": "u", "title": "t", "head": {"ref": "x"}, "base": {"ref": "main"}}"#.utf8),
                                                method: "GET", path: "/repos/o/r/pulls/1"))
        #expect(throws: ForgeError.unexpectedAnswer("field `head.sha` is missing (expected a string)", method: "GET", path: "/repos/o/r/pulls/1")) {
            try GitHubForge.pullRequest(json)
        }
    }
}

extension ForgeAnswerTests {
    /// A list item's repository has neither `webUrl` nor `remoteUrl` (Azure DevOps' 7.1 list
    /// answers): the page is built from its REST `url`, with names percent-encoded, on
    /// Azure DevOps Services and on a Server collection alike.
    @Test func azurePullRequestPageIsBuiltFromAListItemsRepository() throws {
        func page(_ url: String) throws -> String {
            let json = try #require(JSONValue.parse(Data("""
            {"id": "3411ebc1-d5aa-464f-9615-0b527bc66719", "name": "Release Repo", "url": "\(url)",
             "project": {"id": "a7573007-bbb3-4341-b726-0c4148a07853", "name": "Fabrikam Fiber"}}
            """.utf8)))
            return try AzureDevOpsForge.page(of: 22, in: json)
        }
        #expect(try page("https://dev.azure.com/fabrikam/_apis/git/repositories/3411ebc1-d5aa-464f-9615-0b527bc66719")
            == "https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/Release%20Repo/pullrequest/22")
        #expect(try page("https://tfs.example.com/tfs/DefaultCollection/_apis/git/repositories/3411ebc1-d5aa-464f-9615-0b527bc66719")
            == "https://tfs.example.com/tfs/DefaultCollection/Fabrikam%20Fiber/_git/Release%20Repo/pullrequest/22")
        #expect(throws: ForgeError.self) { try page("ftp://elsewhere/_apis/git/repositories/x") }
    }
}

extension ForgeAnswerTests {
    /// Every GitStatusState Azure DevOps documents, as a check: partiallySucceeded is not
    /// success (red), notSet not yet a result (pending); notApplicable is left out before.
    @Test(arguments: [("succeeded", CheckState.success), ("failed", .failure), ("error", .failure),
                      ("partiallySucceeded", .failure), ("pending", .pending), ("notSet", .pending)])
    func azureStatusStatesAsChecks(word: String, state: CheckState) {
        #expect(AzureDevOpsForge.checkState(word) == state)
    }

    /// `capstan wait --via forge` reads the same GitStatusState words as the PR's checks and
    /// must judge them alike: notSet is not a result yet (it failed the rollout at once),
    /// notApplicable says nothing about the commit (it failed the rollout too), and an
    /// unknown word waits rather than passes.
    @Test(arguments: ["succeeded", "failed", "error", "partiallySucceeded", "pending", "notSet", "someWordAzureAddsLater"])
    func azureCommitStatusStatesAgreeWithTheChecks(word: String) throws {
        let read = try #require(AzureDevOpsForge.commitStatus(JSONValue(["state": word, "description": "d",
                                                                         "context": ["genre": "fluxcd", "name": "kustomization/apps/0c9c2e41"]])))
        let expected: CommitStatus.State = switch AzureDevOpsForge.checkState(word) {
        case .success: .success
        case .failure: .failure
        case .pending, .none: .pending
        }
        #expect(read.state == expected, "\(word)")
        #expect(read.context == "kustomization/apps/0c9c2e41" && read.genre == "fluxcd")
    }

    @Test func anAzureCommitStatusNotApplicableIsLeftOut() {
        #expect(AzureDevOpsForge.commitStatus(JSONValue(["state": "notApplicable", "context": ["genre": "fluxcd", "name": "x"]])) == nil)
    }
}
