import Foundation
@testable import Forges
import Testing

/// The PR Bitbucket Data Center names in a 409 DuplicatePullRequestException (the real
/// answer of bitbucket.sgdev.org, recorded/bitbucket-datacenter/open-already-exists.json) is
/// adopted only when it is the one asked for: same branches, this repository, not a fork's.
@Suite struct BitbucketDuplicatePullRequestTests {
    private func refusal(_ change: (inout [String: Any]) -> Void = { _ in }) throws -> JSONValue {
        let url = TestSupport.fixtures.appendingPathComponent("forges/recorded/bitbucket-datacenter/open-already-exists.json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let exchanges = try #require(document["exchanges"] as? [[String: Any]])
        let answer = try #require(exchanges.first { $0["status"] as? Int == 409 }?["response"] as? [String: Any])
        var errors = try #require(answer["errors"] as? [[String: Any]])
        var existing = try #require(errors.first?["existingPullRequest"] as? [String: Any])
        change(&existing)
        errors[0]["existingPullRequest"] = existing
        return try #require(JSONValue.parse(try JSONSerialization.data(withJSONObject: ["errors": errors])))
    }

    private func duplicate(_ answer: JSONValue, project: String = "SOUR/automation-testing",
                           head: String = "always-open-pr-bbs", base: String = "master") -> PullRequest? {
        BitbucketDataCenterForge.duplicate(in: answer, project: project, head: head, base: base)
    }

    @Test func theRecordedDuplicateIsAdoptedForItsBranches() throws {
        let existing = try #require(duplicate(try refusal()))
        #expect(existing.number == 132)
        #expect(existing.headSHA == "b939ea0debe88e145c5409230b29e7dbbedcb9da")
        #expect(duplicate(try refusal(), project: "sour/automation-testing")?.number == 132)
    }

    @Test func otherBranchesOrAnotherRepositoryAreNotAdopted() throws {
        #expect(duplicate(try refusal(), head: "always-open") == nil)
        #expect(duplicate(try refusal(), base: "main") == nil)
        #expect(duplicate(try refusal(), project: "SOUR/vegeta") == nil)
        #expect(duplicate(try refusal(), project: "OTHER/automation-testing") == nil)
    }

    /// A fork's PR from a branch of the same name into this repository's base is someone else's.
    @Test func aForksPullRequestIsNotAdopted() throws {
        let forked = try refusal { existing in
            var from = existing["fromRef"] as? [String: Any] ?? [:]
            var repository = from["repository"] as? [String: Any] ?? [:]
            repository["slug"] = "automation-testing-fork"
            from["repository"] = repository
            existing["fromRef"] = from
        }
        #expect(duplicate(forked) == nil)
    }

    @Test func aPullRequestNotOpenIsNotAdopted() throws {
        #expect(duplicate(try refusal { $0["state"] = "DECLINED" }) == nil)
    }
}
