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
