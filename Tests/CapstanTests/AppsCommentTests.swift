import Foundation
import Steps
import Testing

/// `capstan apps --comment` against the loopback test forge of every kind: one comment per
/// PR, edited in place as the change grows, never duplicated, not rewritten when it
/// already says the same; every request checked against the forge's API description.
@Suite struct AppsCommentTests {
    static let token = "forge-tok-" + UUID().uuidString
    static let project = "acme/release"
    static let marker = "<!-- capstan:apps -->"

    /// The Argo CD release repository fixture as a work tree with three commits: the
    /// fixture, then an ingress values change, then a namespace change.
    private func releaseWorkTree(in root: URL) throws -> (tree: URL, commits: [String]) {
        let tree = root.appendingPathComponent("release")
        try TestSupport.copyTree(TestSupport.fixtures.appendingPathComponent("apps/argocd"), to: tree)
        try GitFixtures.git(["init", "-q", "-b", "main"], in: tree)
        var commits: [String] = []
        for (index, path) in ["", "envs/prod/ingress-values.yaml", "platform/namespace.yaml"].enumerated() {
            if !path.isEmpty {
                let handle = try FileHandle(forWritingTo: tree.appendingPathComponent(path))
                handle.seekToEndOfFile()
                handle.write(Data("# touched by change \(index)\n".utf8))
                try handle.close()
            }
            try GitFixtures.git(["add", "-A"], in: tree)
            try GitFixtures.git(["commit", "-q", "-m", "change \(index)"], in: tree)
            commits.append(try GitFixtures.git(["rev-parse", "HEAD"], in: tree).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return (tree, commits)
    }

    /// A forge of `kind` holding acme/release with PR #1 open from `capstan/apps`.
    private func forgeWithPullRequest(_ kind: String) throws -> TestForge {
        let root = try TestSupport.temporaryDirectory("apps-comment-\(kind)")
        let forge = try TestForge(kind: kind, root: root, token: Self.token)
        let bare = try forge.repository(Self.project, files: ["README.md": "release\n"])
        try GitFixtures.git(["branch", "capstan/apps", "main"], in: bare)
        let opened = try TestSupport.capstan(["pr", "open", "--head", "capstan/apps", "--title", "Bump apps"] + connection(forge),
                                             environment: ["FORGE_TOKEN": Self.token])
        #expect(opened.status == 0, "\(opened.stderr)")
        return forge
    }

    private func connection(_ forge: TestForge) -> [String] {
        ["--repo", forge.cloneURL(Self.project), "--token-env", "FORGE_TOKEN", "--forge", forge.kind, "--forge-url", forge.apiRoot,
         "--project", Self.project, "--retry-backoff", "0.05"]
    }

    /// Runs `capstan apps --changed RANGE --comment --pr 1 --output json`; returns its
    /// `comment` object and the body it posted.
    private func comment(_ forge: TestForge, tree: URL, range: String, outputs: URL) throws -> [String: Any] {
        let result = try TestSupport.capstan(["apps", "--repository", tree.path, "--changed", range, "--comment", "--pr", "1",
                                              "--output", "json"] + connection(forge),
                                             environment: ["FORGE_TOKEN": Self.token, "GITHUB_OUTPUT": outputs.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(Self.token) && !result.stderr.contains(Self.token), "the token was printed")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        return try #require(json["comment"] as? [String: Any], "\(result.stdout)")
    }

    /// The comments the forge holds on PR #1, from its state file.
    private func comments(_ forge: TestForge) throws -> [String] {
        let data = try Data(contentsOf: forge.faults.appendingPathComponent("state.json"))
        let state = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let all = state["comments"] as? [[String: Any]] ?? []
        return all.filter { $0["number"] as? Int == 1 }.compactMap { $0["body"] as? String }
    }

    private func writes(_ forge: TestForge) -> [String] {
        forge.apiLog.filter { $0["method"] as? String != "GET" }.map { "\($0["method"] ?? "") \($0["path"] ?? "")" }
    }

    @Test(arguments: ["github", "gitea", "forgejo", "gitlab", "bitbucket-cloud", "bitbucket-datacenter", "azure-devops"])
    func twoRunsLeaveOneCommentSayingTheSecondAndAThirdWritesNothing(kind: String) throws {
        let forge = try forgeWithPullRequest(kind)
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let (tree, commits) = try releaseWorkTree(in: forge.root)
        let outputs = forge.root.appendingPathComponent("github-output")
        try Data().write(to: outputs)

        let first = try comment(forge, tree: tree, range: "\(commits[0])..\(commits[1])", outputs: outputs)
        #expect(first["action"] as? String == "created")
        #expect(first["number"] as? Int == 1)
        let afterFirst = try comments(forge)
        #expect(afterFirst.count == 1)
        #expect(afterFirst.first?.contains("ingress-nginx") == true)

        let second = try comment(forge, tree: tree, range: "\(commits[0])..\(commits[2])", outputs: outputs)
        #expect(second["action"] as? String == "updated")
        #expect(second["commentID"] as? String == first["commentID"] as? String)
        let afterSecond = try comments(forge)
        #expect(afterSecond.count == 1, "\(afterSecond)")
        let body = try #require(afterSecond.first)
        #expect(body.hasPrefix(Self.marker))
        #expect(body.contains("\(commits[0])..\(commits[2])"), "the comment is not the second run's: \(body)")
        #expect(body != afterFirst.first)

        let writesBefore = writes(forge)
        let third = try comment(forge, tree: tree, range: "\(commits[0])..\(commits[2])", outputs: outputs)
        #expect(third["action"] as? String == "unchanged")
        #expect(writes(forge) == writesBefore, "an unchanged comment was written again")
        #expect(try comments(forge) == [body])

        let written = try String(contentsOf: outputs, encoding: .utf8)
        #expect(written.contains("comment-action=created\n") && written.contains("comment-action=updated\n")
                && written.contains("comment-action=unchanged\n") && written.contains("pr-number=1\n"))

        let check = try forge.checkAgainstSpecs()
        print("[\(kind)] spec check: " + check.stdout.split(separator: "\n").joined(separator: "; "))
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    /// 150 comments before and 150 after the marked one put it on the second page both of
    /// lists oldest first (GitHub, GitLab, Bitbucket Cloud) and newest first (Bitbucket DC).
    @Test(arguments: ["github", "gitea", "gitlab", "bitbucket-cloud", "bitbucket-datacenter", "azure-devops"])
    func theMarkedCommentIsFoundPastTheFirstPage(kind: String) throws {
        let forge = try forgeWithPullRequest(kind)
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let (tree, commits) = try releaseWorkTree(in: forge.root)
        let outputs = forge.root.appendingPathComponent("github-output")
        try forge.inject(#"{"seed_comments": 150, "pr": 1}"#)
        _ = try comment(forge, tree: tree, range: "\(commits[0])..\(commits[1])", outputs: outputs)
        try forge.inject(#"{"seed_comments": 150, "pr": 1}"#)

        let second = try comment(forge, tree: tree, range: "\(commits[0])..\(commits[2])", outputs: outputs)
        #expect(second["action"] as? String == "updated")
        let marked = try comments(forge).filter { $0.hasPrefix(Self.marker) }
        #expect(marked.count == 1)
        #expect(marked.first?.contains("\(commits[0])..\(commits[2])") == true)
    }

    @Test func commentsWithoutTheMarkerAreLeftAlone() throws {
        let forge = try forgeWithPullRequest("gitlab")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let (tree, commits) = try releaseWorkTree(in: forge.root)
        let outputs = forge.root.appendingPathComponent("github-output")
        let human = try TestSupport.capstan(["pr", "comment", "1", "--body", "LGTM, see the apps below"] + connection(forge),
                                            environment: ["FORGE_TOKEN": Self.token])
        #expect(human.status == 0, "\(human.stderr)")

        _ = try comment(forge, tree: tree, range: "\(commits[0])..\(commits[1])", outputs: outputs)
        let second = try comment(forge, tree: tree, range: "\(commits[0])..\(commits[2])", outputs: outputs)
        #expect(second["action"] as? String == "updated")
        let bodies = try comments(forge)
        #expect(bodies.count == 2)
        #expect(bodies.first == "LGTM, see the apps below")
    }

    @Test func headFindsTheOpenPullRequest() throws {
        let forge = try forgeWithPullRequest("github")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let (tree, commits) = try releaseWorkTree(in: forge.root)
        let result = try TestSupport.capstan(["apps", "--repository", tree.path, "--changed", "\(commits[0])..\(commits[1])", "--comment",
                                              "--head", "capstan/apps"] + connection(forge),
                                             environment: ["FORGE_TOKEN": Self.token])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("comment created on PR #1"))
        #expect(try comments(forge).count == 1)
    }

    @Test func theCIRunNamesThePullRequest() {
        #expect(CommentTarget(environment: ["CI_MERGE_REQUEST_IID": "7"]).number == 7)
        #expect(CommentTarget(environment: ["BITBUCKET_PR_ID": "8"]).number == 8)
        #expect(CommentTarget(environment: ["SYSTEM_PULLREQUEST_PULLREQUESTID": "9"]).number == 9)
        let github = CommentTarget(environment: ["GITHUB_HEAD_REF": "capstan/apps", "GITHUB_BASE_REF": "release"])
        #expect(github.number == nil && github.head == "capstan/apps" && github.base == "release")
    }

    @Test func withoutRepoTheForgeIsTheWorkTreesOriginAsGitHasIt() throws {
        let forge = try forgeWithPullRequest("github")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let (tree, commits) = try releaseWorkTree(in: forge.root)
        try GitFixtures.git(["remote", "add", "origin", forge.cloneURL(Self.project)], in: tree)
        // A pull_request run on a GitHub Enterprise Server at a non-default port, as the
        // pre-merge example pipeline does it: no --repo, no --forge.
        let result = try TestSupport.capstan(["apps", "--repository", tree.path, "--changed", "\(commits[0])..\(commits[1])", "--comment",
                                              "--token-env", "FORGE_TOKEN", "--retry-backoff", "0.05"], environment: [
            "FORGE_TOKEN": Self.token, "GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": forge.webURL, "GITHUB_API_URL": forge.webURL + "/api/v3",
            "GITHUB_REPOSITORY": Self.project, "GITHUB_HEAD_REF": "capstan/apps", "GITHUB_BASE_REF": "main",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try comments(forge).count == 1)
    }

    @Test func flagsWinOverTheCIRun() {
        let target = CommentTarget(number: 3, environment: ["CI_MERGE_REQUEST_IID": "7", "GITHUB_HEAD_REF": "other"])
        #expect(target.number == 3)
        #expect(CommentTarget(head: "mine", environment: ["CI_MERGE_REQUEST_IID": "7"]).number == nil)
    }

    @Test func aCommentNeedsAChange() throws {
        let result = try TestSupport.capstan(["apps", "--repository", TestSupport.fixtures.appendingPathComponent("apps/argocd").path,
                                              "--comment", "--pr", "1"])
        #expect(result.status == 2, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains("--comment needs a change"))
    }
}
