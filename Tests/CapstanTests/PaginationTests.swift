import Foundation
import Testing

/// Every list is read to its end: with the test forge answering one item a page, a PR on
/// page 2 is found (no duplicate opened) and a red status on page 2 is seen (issue 14, finding 2).
@Suite struct PaginationTests {
    static let token = "forge-tok-" + UUID().uuidString
    static let project = "acme/release"

    private func forge(_ kind: String, _ label: String) throws -> TestForge {
        let root = try TestSupport.temporaryDirectory("paged-\(kind)-\(label)")
        let forge = try TestForge(kind: kind, root: root, token: Self.token, pageSize: 1)
        try forge.repository(Self.project, files: ["values.yaml": PullRequestTests.values])
        return forge
    }

    private func flags(_ forge: TestForge) -> [String] {
        ["--repo", forge.cloneURL(Self.project), "--token-env", "FORGE_TOKEN", "--forge", forge.kind, "--forge-url", forge.apiRoot,
         "--project", Self.project, "--poll-interval", "0.1", "--retry-backoff", "0.05"]
    }

    private func capstan(_ arguments: [String]) throws -> TestSupport.Result {
        try TestSupport.capstan(arguments, environment: ["FORGE_TOKEN": Self.token])
    }

    private func open(_ forge: TestForge, branch: String, tag: String) throws {
        let opened = try capstan(["update", "--branch", branch, "--set-image", "ghcr.io/acme/checkout:\(tag)", "--open-pr"] + flags(forge))
        try #require(opened.status == 0, "\(opened.stderr)")
    }

    @Test(arguments: ["github", "gitea", "gitlab", "bitbucket-cloud", "bitbucket-datacenter", "azure-devops"])
    func aPullRequestOnPageTwoIsFoundAndNotOpenedAgain(kind: String) throws {
        let forge = try forge(kind, "find")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try open(forge, branch: "capstan/one", tag: "1.5.0")
        try open(forge, branch: "capstan/two", tag: "1.6.0")
        try open(forge, branch: "capstan/one", tag: "1.5.1")
        try open(forge, branch: "capstan/two", tag: "1.6.1")
        #expect(forge.pullRequests.count == 2, "a duplicate PR was opened: \(forge.pullRequests.map { $0["head"] ?? "" })")
        let check = try forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    /// GitHub's combined status pages its statuses too (30 or 100 a page): a red context on
    /// page 2 was not read, and the PR merged green.
    @Test(arguments: ["github", "gitea", "gitlab", "bitbucket-cloud"])
    func aRedStatusOnPageTwoIsSeen(kind: String) throws {
        let forge = try forge(kind, "statuses")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try open(forge, branch: "capstan/one", tag: "1.5.0")
        for (context, state) in [("a-lint", "success"), ("b-test", "failure"), ("c-build", "success")] {
            let posted = try capstan(["pr", "status", "--pr", "1", "--state", state, "--context", context] + flags(forge))
            try #require(posted.status == 0, "\(posted.stderr)")
        }
        let result = try capstan(["pr", "merge", "1", "--allow-no-checks", "--wait", "5"] + flags(forge))
        #expect(result.status == 3, "\(result.stderr)")
    }
}

/// Bitbucket Cloud merges slow PRs asynchronously: 202 and a task to poll. Capstan follows
/// the task to its end and reports merged only when it is (issue 14, finding 3).
@Suite struct BitbucketAsyncMergeTests {
    private func forgeWithPullRequest(_ label: String) throws -> (TestForge, URL, [String]) {
        let root = try TestSupport.temporaryDirectory("bb-async-\(label)")
        let forge = try TestForge(kind: "bitbucket-cloud", root: root, token: PaginationTests.token)
        let bare = try forge.repository(PaginationTests.project, files: ["values.yaml": PullRequestTests.values])
        let flags = ["--repo", forge.cloneURL(PaginationTests.project), "--token-env", "FORGE_TOKEN", "--forge", forge.kind,
                     "--forge-url", forge.apiRoot, "--project", PaginationTests.project, "--poll-interval", "0.1", "--retry-backoff", "0.05"]
        let opened = try TestSupport.capstan(["update", "--branch", "capstan/one", "--set-image", "ghcr.io/acme/checkout:1.5.0", "--open-pr"]
                                             + flags, environment: ["FORGE_TOKEN": PaginationTests.token])
        try #require(opened.status == 0, "\(opened.stderr)")
        return (forge, bare, flags)
    }

    @Test func anAsynchronousMergeIsFollowedToItsEnd() throws {
        let (forge, bare, flags) = try forgeWithPullRequest("success")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"async_merge_polls": 2}"#)
        let result = try TestSupport.capstan(["pr", "merge", "1", "--allow-no-checks", "--wait", "10", "--output", "json"] + flags,
                                             environment: ["FORGE_TOKEN": PaginationTests.token])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\""))
        let polls = forge.apiLog.filter { ($0["path"] as? String ?? "").contains("/merge/task-status/") }
        #expect(polls.count == 3, "polled until SUCCESS: \(polls.count)")
        let check = try forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func aFailedMergeTaskIsNotReportedAsMerged() throws {
        let (forge, bare, flags) = try forgeWithPullRequest("fails")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"async_merge_polls": 1, "fails": "The merge could not be completed: conflicts"}"#)
        let result = try TestSupport.capstan(["pr", "merge", "1", "--allow-no-checks", "--wait", "10"] + flags,
                                             environment: ["FORGE_TOKEN": PaginationTests.token])
        #expect(result.status != 0, "\(result.stderr)")
        #expect(result.stderr.contains("The merge could not be completed"), "\(result.stderr)")
        #expect(try !GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\""))
    }
}

/// Azure DevOps pages pull requests with `$top`/`$skip`, and may answer with an
/// `x-ms-continuationtoken` to ask on with: the open PR on the third page is found. The
/// pages are written by this test (not recorded) and replayed in order; each request must
/// carry the `$skip` or `continuationToken` the page before called for.
@Suite struct AzurePaginationTests {
    private static func pullRequest(_ number: Int, status: String) -> [String: Any] {
        ["pullRequestId": number, "status": status, "title": "Release \(number)", "sourceRefName": "refs/heads/capstan/one",
         "targetRefName": "refs/heads/main", "mergeStatus": "succeeded",
         "lastMergeSourceCommit": ["commitId": String(repeating: "a", count: 40)],
         "repository": ["id": "00000000-0000-0000-0000-0000000000a1", "name": "release", "remoteUrl": "https://dev.azure.com/acme/acme/_git/release"]]
    }

    @Test func everyPageAndContinuationTokenIsFollowed() throws {
        let root = try TestSupport.temporaryDirectory("azure-pages")
        defer { try? FileManager.default.removeItem(at: root) }
        let path = "/acme/_apis/git/repositories/release/pullrequests"
        let exchanges: [[String: Any]] = [
            ["method": "GET", "path": path, "query": ["$top": "100", "$skip": "0"], "status": 200,
             "response": ["value": (1...100).map { Self.pullRequest($0, status: "abandoned") }, "count": 100]],
            ["method": "GET", "path": path, "query": ["$skip": "100"], "status": 200, "headers": ["x-ms-continuationtoken": "page-3"],
             "response": ["value": [Self.pullRequest(101, status: "abandoned")], "count": 1]],
            ["method": "GET", "path": path, "query": ["continuationToken": "page-3"], "status": 200,
             "response": ["value": [Self.pullRequest(201, status: "active")], "count": 1]],
        ]
        let file = root.appendingPathComponent("pages.json")
        try JSONSerialization.data(withJSONObject: ["exchanges": exchanges]).write(to: file)
        let (results, log) = try RecordedForgeTests.replay(file: file, prefix: "", [
            ["pr", "find", "--head", "capstan/one", "--base", "main", "--output", "json"],
        ], project: "acme/release", forge: "azure-devops")
        #expect(RecordedForgeTests.allMatched(log, 3), "\(log)")
        #expect(results.first?.status == 0, "\(results.first?.stderr ?? "")")
        #expect(results.first?.stdout.contains("/_git/release/pullrequest/201") == true, "\(results.first?.stdout ?? "")")
    }
}
