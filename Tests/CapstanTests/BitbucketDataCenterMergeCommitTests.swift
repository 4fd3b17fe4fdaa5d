import CapstanTestSupport
import Foundation
@testable import Forges
import Testing

/// The merge commit Capstan reports for a merged Bitbucket Data Center PR: `pr revert` reverts
/// it and `wait --pr` checks it out, so it is the commit the answer names in
/// `properties.mergeCommit`, a commit id, or none at all.
@Suite struct BitbucketDataCenterMergeCommitTests {
    private func merged(properties: String) throws -> JSONValue {
        try #require(JSONValue.parse(Data("""
        {"id": 146, "version": 2, "title": "t", "state": "MERGED", "properties": \(properties),
         "fromRef": {"displayId": "topic", "latestCommit": "88e8840c12b7fba586f7e8aeb360d3dd638e7888"},
         "toRef": {"displayId": "master", "latestCommit": "2475733b17fc2d527bb29e5f45540e76a8c3a9b6"}}
        """.utf8)))
    }

    @Test func theNamedMergeCommitIsReported() throws {
        let pullRequest = try BitbucketDataCenterForge.pullRequest(
            try merged(properties: #"{"mergeCommit": {"displayId": "fadfd840d09", "id": "fadfd840d095677bbf6457eb597255fb181050e6"}}"#))
        #expect(pullRequest.mergeSHA == "fadfd840d095677bbf6457eb597255fb181050e6")
    }

    /// A ref name or revision expression would be resolved by git to another commit.
    @Test(arguments: ["refs/remotes/origin/topic", "HEAD~1", "fadfd840d09", "fadfd840d095677bbf6457eb597255fb181050e6^"])
    func aMergeCommitThatIsNotACommitIDIsRefused(id: String) throws {
        let json = try merged(properties: #"{"mergeCommit": {"id": "\#(id)"}}"#)
        #expect(throws: ForgeError.self) { try BitbucketDataCenterForge.pullRequest(json) }
    }

    /// The target's `latestCommit` is not the merge (in the recorded merge it is another
    /// commit): reverting it would revert someone else's change.
    @Test func withoutANamedMergeCommitNoneIsReported() throws {
        #expect(try BitbucketDataCenterForge.pullRequest(try merged(properties: "{}")).mergeSHA == nil)
    }
}

extension BitbucketDataCenterMergeCommitTests {
    /// bitbucket.sgdev.org's recorded merge of PR 146 (bitbucket-datacenter/merge.json) with
    /// the merge's 200 answering the PR still OPEN: nothing was merged, so nothing is reported merged.
    @Test func aMergeAnsweredWithAnOpenPullRequestIsNoMerge() throws {
        let recorded = TestSupport.fixtures.appendingPathComponent("forges/recorded/bitbucket-datacenter/merge.json")
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: recorded)) as? [String: Any])
        var exchanges = try #require(document["exchanges"] as? [[String: Any]])
        var answer = try #require(exchanges[2]["response"] as? [String: Any])
        answer["state"] = "OPEN"
        answer["open"] = true
        answer["closed"] = false
        answer["properties"] = nil
        exchanges[2]["response"] = answer
        document["exchanges"] = exchanges
        let directory = try TestSupport.temporaryDirectory("datacenter-merge")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("merge-still-open.json")
        try JSONSerialization.data(withJSONObject: document).write(to: file)
        let (results, _) = try RecordedForgeTests.replay(file: file, prefix: "/rest/api/latest", [["pr", "merge", "146", "--output", "json"]],
                                                         project: "SOUR/automation-testing", forge: "bitbucket-datacenter")
        let result = try #require(results.first)
        #expect(result.status != 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("\"action\" : \"merged\""), "\(result.stdout)")
        #expect(result.stderr.contains("the PR is open"), "\(result.stderr)")
    }
}
