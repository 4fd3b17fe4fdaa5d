import Foundation
import Testing

/// What Capstan says when Gitea or Forgejo refuse a merge, against the loopback forge.
@Suite struct GiteaMergeRefusalTests {
    private func capstan(_ arguments: [String]) throws -> TestSupport.Result {
        try TestSupport.capstan(arguments, environment: ["FORGE_TOKEN": GitHubCheckRunsTests.token])
    }

    /// Gitea (and Forgejo) refuse a merge of a PR not in a mergeable state — conflicted, or its
    /// mergeability still being checked — with 405 "Please try again later" (ErrNotMergeableState):
    /// exit 5, saying what that means, in Gitea's words too; no retry.
    @Test(arguments: [("gitea", "Gitea"), ("forgejo", "Forgejo")])
    func giteasPleaseTryAgainLaterSaysWhatItMeans(kind: String, name: String) throws {
        let (forge, bare, flags) = try PipelineAndPolicyChecksTests.forgeWithGreenStatus(kind, "\(kind)-try-again-later")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"match": "POST /repos/\#(GitHubCheckRunsTests.project)/pulls/1/merge", "status": 405, "count": 5, "#
            + #""body": {"message": "Please try again later", "url": "\#(forge.apiRoot)/swagger"}}"#)
        let result = try capstan(["pr", "merge", "1", "--wait", "2"] + flags)
        #expect(result.status == 5, "\(result.stderr)")
        #expect(result.stderr.contains("\(name) has not found the PR mergeable: conflicts with main, or it is still checking — "
                                       + "\(name) said: Please try again later"), "\(result.stderr)")
        #expect(try !GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\""))
        let merges = forge.apiLog.filter { ($0["path"] as? String)?.hasSuffix("/pulls/1/merge") == true }
        #expect(merges.count == 1, "\(forge.apiLog)")
    }
}
