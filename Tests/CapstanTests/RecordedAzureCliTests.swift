import CapstanTestSupport
import Foundation
import Testing

/// dev.azure.com's answers recorded with vcrpy by the Azure DevOps CLI extension's integration
/// tests (Azure/azure-devops-cli-extension, MIT; organisation v-anvashist0376), replayed in order
/// from Tests/Fixtures/forges/recorded (provenance and what was rewritten in each file).
@Suite struct RecordedAzureCliTests {
    private func replay(_ recording: String, _ runs: [[String]]) throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/azure-devops/\(recording)"),
                                      prefix: "", runs, project: "PullRequestLiveTest/PullRequestLiveTest", forge: "azure-devops")
    }

    /// PR 24's one blocking policy, "Minimum number of reviewers" (3 approvers), as dev.azure.com
    /// evaluated it: queued. That is a check still to come, by its policy's name: pending.
    @Test func aQueuedBlockingPolicyIsAPendingCheck() throws {
        let (results, log) = try replay("cli-policy-queued.json", [["pr", "status", "--pr", "24", "--output", "json"]])
        #expect(RecordedForgeTests.allMatched(log, 4), "\(log)")
        let result = try #require(results.first)
        #expect(result.stdout.contains("\"checks\" : \"pending\""), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\"name\" : \"policy/Minimum number of reviewers\""), "\(result.stdout)")
        #expect(result.stdout.contains("\"detail\" : \"queued\""), "\(result.stdout)")
        #expect(result.stderr.contains("checks pending on cb71d54 (PR #24): 1 check"), "\(result.stderr)")
    }

    /// The same queued policy holds `pr merge`, even with `--allow-no-checks`: nothing is
    /// PATCHed, and the wait ends naming the policy it waited on.
    @Test func aQueuedBlockingPolicyHoldsTheMerge() throws {
        let (results, log) = try replay("cli-policy-queued.json", [["pr", "merge", "24", "--allow-no-checks"]])
        #expect(RecordedForgeTests.allMatched(log, 4), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 7, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("PR #24: still not mergeable after 0 s (checks pending (policy/Minimum number of reviewers: queued))"),
                "\(result.stderr)")
    }

    /// dev.azure.com refused the token with 401, an empty body and only `WWW-Authenticate`:
    /// exit 1, the status said with what to do about the token, which is never printed.
    @Test func anEmptyUnauthorizedAnswerSaysTheTokenWasRefused() throws {
        let (results, log) = try replay("cli-unauthorized.json", [["pr", "find", "52"]])
        #expect(RecordedForgeTests.allMatched(log, 1), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("pullrequests/52?api-version=7.1: HTTP 401 — the forge refused the token or got none"), "\(result.stderr)")
        #expect(!result.stderr.contains("0000000000000000000000000000000000000001"), "the token is never printed")
    }
}
