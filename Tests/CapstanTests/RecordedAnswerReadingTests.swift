import Foundation
@testable import Forges
import Testing

/// Real recorded answers (Tests/Fixtures/forges/recorded) read by the forge clients' own
/// readers, for what a replay cannot reach without exchanges nobody recorded.
@Suite struct RecordedAnswerReadingTests {
    private func recordedAnswer(_ file: String, _ index: Int = 0) throws -> JSONValue {
        let data = try Data(contentsOf: TestSupport.fixtures.appendingPathComponent("forges/recorded/\(file)"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let exchanges = try #require(document["exchanges"] as? [[String: Any]])
        try #require(exchanges.indices.contains(index))
        let answer = try JSONSerialization.data(withJSONObject: try #require(exchanges[index]["response"]))
        return try #require(JSONValue.parse(answer))
    }

    /// gitlab.com's answer for gitlab-org/gitlab-ee!14656 carries a head pipeline on the MR's
    /// head (`sha`), passed: it is one green check beside the commit statuses.
    @Test func gitLabsRecordedHeadPipelineIsAGreenCheckOnTheHead() throws {
        let mergeRequest = try GitLabForge.pullRequest(try recordedAnswer("gitlab/get-merge-request.json"))
        #expect(mergeRequest.headSHA == "8e0b45049b6253b8984cde9241830d2851168142")
        #expect(mergeRequest.forgeChecks == [Check(name: "pipeline #77056819", state: .success, detail: "success")])
    }

    /// A list item carries no head pipeline (GitLab gives it only for one MR): no check, not a red one.
    @Test func gitLabsRecordedListItemsCarryNoPipelineCheck() throws {
        let list = try recordedAnswer("gitlab/list-merge-requests.json").list()
        for item in list { #expect(try GitLabForge.pullRequest(item).forgeChecks.isEmpty) }
    }
}

extension RecordedAnswerReadingTests {
    /// bitbucket.org's answer to a merge done at once: the PR, MERGED, with its merge commit's
    /// full hash (the source and destination hashes are 12 characters, as Bitbucket gives them).
    @Test func bitbucketCloudsRecordedMergeAnswerIsMergedWithItsCommit() throws {
        let merged = try BitbucketCloudForge.pullRequest(try recordedAnswer("bitbucket-cloud/pull-request-merge.json"))
        #expect(merged.state == .merged)
        #expect(merged.mergeSHA == "36bb9607a8c9e0c6222342486e3393ae154b46c0")
        #expect(merged.headSHA == "4ed89e8b0a21" && merged.head == "feature/test-branch" && merged.base == "master")
    }
}
