import Foundation
import Testing

/// A merge is reported only when it happened: a merge endpoint's 200 is not enough where the
/// forge answers 200 for merges that did not happen.
@Suite struct MergeAnswerTests {
    static let token = "forge-tok-" + UUID().uuidString
    static let project = "acme/release"

    /// A forge of `kind` with PR 1 open from capstan/one; its bare repository and the flags.
    private func openPullRequest(_ kind: String, _ label: String) throws -> (TestForge, URL, [String]) {
        let root = try TestSupport.temporaryDirectory("merge-answer-\(label)")
        let forge = try TestForge(kind: kind, root: root, token: Self.token)
        let bare = try forge.repository(Self.project, files: ["values.yaml": PullRequestTests.values])
        let flags = ["--repo", forge.cloneURL(Self.project), "--token-env", "FORGE_TOKEN", "--forge", kind,
                     "--forge-url", forge.apiRoot, "--project", Self.project, "--poll-interval", "0.1"]
        let opened = try TestSupport.capstan(["update", "--branch", "capstan/one", "--set-image", "ghcr.io/acme/checkout:1.5.0",
                                              "--open-pr"] + flags, environment: ["FORGE_TOKEN": Self.token])
        try #require(opened.status == 0, "\(opened.stderr)")
        return (forge, bare, flags)
    }

    /// GitLab answers its merge endpoint 200 with the MR whatever became of the merge: when the
    /// merge fails inside GitLab (a pre-receive hook or push rule refuses the merge commit), the
    /// MR comes back still `opened` with a `merge_error` (xanzy/go-gitlab#1039). That is no merge.
    @Test func aGitLabMergeAnsweredWithTheRequestStillOpenIsNotReportedMerged() throws {
        let (forge, bare, flags) = try openPullRequest("gitlab", "gitlab")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"merge_error": "GL-HOOK-ERR: merge commits are not allowed on main"}"#)
        let merged = try TestSupport.capstan(["pr", "merge", "1", "--allow-no-checks", "--output", "json"] + flags,
                                             environment: ["FORGE_TOKEN": Self.token])
        #expect(merged.status != 0, "\(merged.stdout)\(merged.stderr)")
        #expect(!merged.stdout.contains("\"merged\""), "\(merged.stdout)")
        #expect(merged.stderr.contains("GL-HOOK-ERR: merge commits are not allowed on main"), "\(merged.stderr)")
        #expect(try !GitFixtures.show(bare, "main", "values.yaml").contains("1.5.0"))
    }

    /// Bitbucket Cloud cannot pin a merge to a SHA; Capstan looks at the head right before
    /// merging, but a push between that look and the merge is merged unchecked. The merged
    /// PR names the head it merged: one that is not the head checked is not a clean success.
    @Test func aBitbucketCloudMergeOfAnotherHeadThanTheOneCheckedIsNotASuccess() throws {
        let (forge, bare, flags) = try openPullRequest("bitbucket-cloud", "bitbucket-moved")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"move_head_before": "POST /repositories/acme/release/pullrequests/1/merge"}"#)
        let merged = try TestSupport.capstan(["pr", "merge", "1", "--allow-no-checks", "--output", "json"] + flags,
                                             environment: ["FORGE_TOKEN": Self.token])
        #expect(merged.status != 0, "\(merged.stdout)\(merged.stderr)")
        #expect(merged.stderr.contains("not the head checked"), "\(merged.stderr)")
        // It did merge (the forge did it): said, not hidden.
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("1.5.0"))
        #expect(merged.stderr.contains("merged"), "\(merged.stderr)")
    }

    /// Gitea answers a merge with an empty 200 and the merge commit is read from the PR: a PR
    /// read back still open was reported merged, with no merge commit.
    @Test(arguments: ["gitea", "forgejo"])
    func aGiteaMergeWhosePullRequestIsStillOpenIsNotReportedMerged(kind: String) throws {
        let (forge, bare, flags) = try openPullRequest(kind, kind)
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"match": "POST /repos/acme/release/pulls/1/merge", "status": 200, "raw_body": ""}"#)
        let merged = try TestSupport.capstan(["pr", "merge", "1", "--allow-no-checks", "--output", "json"] + flags,
                                             environment: ["FORGE_TOKEN": Self.token])
        #expect(merged.status != 0, "\(merged.stdout)\(merged.stderr)")
        #expect(!merged.stdout.contains("\"merged\""), "\(merged.stdout)")
        #expect(try !GitFixtures.show(bare, "main", "values.yaml").contains("1.5.0"))
    }
}
