import CapstanTestSupport
import Foundation
import Testing

/// Forge answers kept by runatlantis/atlantis (Apache-2.0) for its VCS clients' tests, replayed
/// in order from Tests/Fixtures/forges/recorded (provenance and what was lined up in each file).
@Suite struct RecordedAtlantisTests {
    private func replay(_ recording: String, _ runs: [[String]], project: String, forge: String, prefix: String = "")
        throws -> (results: [TestSupport.Result], log: [[String: Any]]) {
        try RecordedForgeTests.replay(file: TestSupport.fixtures.appendingPathComponent("forges/recorded/\(recording)"),
                                      prefix: prefix, runs, project: project, forge: forge)
    }
}

extension RecordedAtlantisTests {
    /// gitlab.com's answer to the merge of !13 (2019): merged, and the merge commit printed is
    /// the one GitLab made (`merge_commit_sha` c9b336f1…), not the head merged (cb86d70f…).
    @Test func gitLabMergesAndNamesTheMergeCommit() throws {
        let (results, log) = try replay("gitlab/merge.json", [["pr", "merge", "13", "--allow-no-checks", "--output", "json"]],
                                        project: "lkysow/atlantis-example", forge: "gitlab", prefix: "/api/v4")
        #expect(RecordedForgeTests.allMatched(log, 3), "\(log)")
        let result = try #require(results.first)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"merged\""), "\(result.stdout)")
        #expect(result.stdout.contains("\"state\" : \"merged\""), "\(result.stdout)")
        #expect(result.stdout.contains("c9b336f1c71d3e64810b8cfa2abcfab232d6bff6"), "\(result.stdout)")
        #expect(result.stdout.contains("https://gitlab.com/lkysow/atlantis-example/merge_requests/13"), "\(result.stdout)")
        #expect(result.stderr.contains("merging (merge) pinned to that head"), "\(result.stderr)")
    }
}
