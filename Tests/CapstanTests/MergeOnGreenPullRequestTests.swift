import Foundation
import Testing

/// `capstan pr merge` merges on green, and no check is not green: a head the release
/// repository's CI has not reported on yet is waited on (GitHub's `blocked` too), a wait that
/// runs out with no check ever reported merges nothing (exit 7, naming --allow-no-checks), and
/// `--allow-no-checks` merges at once. Without --method, the release repository's
/// `.capstan.yaml` `pullRequest.mergeMethod` picks the method.
@Suite struct MergeOnGreenPullRequestTests {
    static let token = "forge-tok-" + UUID().uuidString
    static let project = "acme/release"

    /// A forge of `kind` with acme/release on it and PR #1 open from an update (no status yet).
    private func forgeWithPullRequest(_ kind: String, _ label: String, config: String? = nil) throws -> (TestForge, URL) {
        let root = try TestSupport.temporaryDirectory("merge-green-\(kind)-\(label)")
        let forge = try TestForge(kind: kind, root: root, token: Self.token)
        var files = ["values.yaml": PullRequestTests.values]
        if let config { files[".capstan.yaml"] = config }
        let bare = try forge.repository(Self.project, files: files)
        let opened = try capstan(["update", "--branch", "capstan/checkout", "--set-image", "ghcr.io/acme/checkout:1.5.0", "--open-pr"]
                                 + forgeFlags(forge))
        try #require(opened.status == 0, "\(opened.stderr)")
        return (forge, bare)
    }

    private func forgeFlags(_ forge: TestForge) -> [String] {
        ["--repo", forge.cloneURL(Self.project)] + apiFlags(forge)
    }

    /// The forge's API alone, no --repo.
    private func apiFlags(_ forge: TestForge) -> [String] {
        ["--token-env", "FORGE_TOKEN", "--forge", forge.kind, "--forge-url", forge.apiRoot,
         "--project", Self.project, "--poll-interval", "0.1", "--retry-backoff", "0.05"]
    }

    private func capstan(_ arguments: [String], in directory: URL? = nil) throws -> TestSupport.Result {
        try TestSupport.capstan(arguments, in: directory, environment: ["FORGE_TOKEN": Self.token])
    }

    private func json(_ result: TestSupport.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\n\(result.stderr)")
    }

    /// The bodies of the merge requests the forge was sent (not GETs).
    private func mergeBodies(_ forge: TestForge) -> [[String: Any]] {
        forge.apiLog.filter { ($0["path"] as? String ?? "").hasSuffix("/merge") && $0["method"] as? String != "GET" }
            .map { $0["body"] as? [String: Any] ?? [:] }
    }

    private func released(_ bare: URL) throws -> Bool {
        try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\"")
    }

    @Test(arguments: ["github", "gitlab", "gitea"])
    func aHeadWithNoCheckYetIsWaitedOnAndMergedOnceCIReportsGreen(kind: String) throws {
        let (forge, bare) = try forgeWithPullRequest(kind, "late-ci")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        // CI registers its check late: the head has no status for its first two reads.
        try forge.inject(#"{"ci_reports_after": 2}"#)
        let merged = try capstan(["pr", "merge", "1", "--wait", "30", "--output", "json"] + forgeFlags(forge))
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect((try json(merged)["polls"] as? Int ?? 0) >= 2, "merged before any check was reported")
        #expect(merged.stderr.contains("no checks reported yet"), "\(merged.stderr)")
        #expect(try released(bare))
    }

    @Test(arguments: ["github", "gitlab", "gitea"])
    func aWaitThatRunsOutWithNoCheckMergesNothingAndSaysWhatToDo(kind: String) throws {
        let (forge, bare) = try forgeWithPullRequest(kind, "no-ci")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let head = try GitFixtures.git(["rev-parse", "capstan/checkout"], in: bare).trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try capstan(["pr", "merge", "1", "--wait", "1"] + forgeFlags(forge))
        #expect(result.status == 7, "\(result.stderr)")
        #expect(result.stderr.contains("no checks reported on \(head); if this repository runs no CI, pass --allow-no-checks"),
                "\(result.stderr)")
        #expect(mergeBodies(forge).isEmpty, "a merge was attempted")
        #expect(try !released(bare))
    }

    @Test(arguments: ["github", "gitlab", "gitea"])
    func allowNoChecksMergesAMergeablePullRequestWithoutChecksAtOnce(kind: String) throws {
        let (forge, bare) = try forgeWithPullRequest(kind, "allow")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let merged = try capstan(["pr", "merge", "1", "--allow-no-checks", "--output", "json"] + forgeFlags(forge))
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try json(merged)["polls"] as? Int == 0)
        #expect(try released(bare))
    }

    @Test(arguments: ["github", "gitlab"])
    func aRedCheckStillStopsAtOnceWithAllowNoChecks(kind: String) throws {
        let (forge, bare) = try forgeWithPullRequest(kind, "red")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        #expect(try capstan(["pr", "status", "--pr", "1", "--state", "failure", "--context", "ci"] + forgeFlags(forge)).status == 0)
        let result = try capstan(["pr", "merge", "1", "--allow-no-checks", "--wait", "30"] + forgeFlags(forge))
        #expect(result.status == 3, "\(result.stderr)")
        #expect(try !released(bare))
    }

    @Test func aGitHubPullRequestBlockedByBranchProtectionIsWaitedOn() throws {
        let (forge, bare) = try forgeWithPullRequest("github", "blocked")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        #expect(try capstan(["pr", "status", "--pr", "1", "--state", "success", "--context", "ci"] + forgeFlags(forge)).status == 0)
        // A required check (or review) is not there yet for three polls: merging would earn a 405.
        try forge.inject(#"{"blocked_polls": 3}"#)
        let merged = try capstan(["pr", "merge", "1", "--wait", "30", "--output", "json"] + forgeFlags(forge))
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect((try json(merged)["polls"] as? Int ?? 0) >= 3)
        #expect(merged.stderr.contains("blocked by branch protection"), "\(merged.stderr)")
        #expect(mergeBodies(forge).count == 1, "a merge was tried while blocked")
        #expect(try released(bare))
        let check = try forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func aGitHubPullRequestStillBlockedWhenTheWaitEndsTimesOut() throws {
        let (forge, bare) = try forgeWithPullRequest("github", "still-blocked")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        #expect(try capstan(["pr", "status", "--pr", "1", "--state", "success", "--context", "ci"] + forgeFlags(forge)).status == 0)
        try forge.inject(#"{"blocked_polls": 1000}"#)
        let result = try capstan(["pr", "merge", "1", "--wait", "1"] + forgeFlags(forge))
        #expect(result.status == 7, "\(result.stderr)")
        #expect(result.stderr.contains("blocked by branch protection"), "\(result.stderr)")
        #expect(mergeBodies(forge).isEmpty)
        #expect(try !released(bare))
    }

    @Test(arguments: [("github", "merge_method"), ("gitlab", "squash")])
    func theReleaseRepositorysMergeMethodIsUsedWhenNoneIsGiven(kind: String, field: String) throws {
        let (forge, bare) = try forgeWithPullRequest(kind, "method", config: "pullRequest:\n  mergeMethod: squash\n")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let merged = try capstan(["pr", "merge", "1", "--allow-no-checks"] + forgeFlags(forge))
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stderr.contains("merge method squash from"), "\(merged.stderr)")
        let body = try #require(mergeBodies(forge).first)
        if kind == "github" { #expect(body[field] as? String == "squash") } else { #expect(body[field] as? Bool == true) }
        #expect(try GitFixtures.git(["rev-list", "--merges", "main"], in: bare).isEmpty, "a merge commit landed instead of a squash")
    }

    @Test func revertMergeUsesTheReleaseRepositorysMergeMethodToo() throws {
        let (forge, _) = try forgeWithPullRequest("github", "method-revert", config: "pullRequest:\n  mergeMethod: squash\n")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        #expect(try capstan(["pr", "merge", "1", "--allow-no-checks"] + forgeFlags(forge)).status == 0)
        let reverted = try capstan(["pr", "revert", "1", "--merge", "--allow-no-checks"] + forgeFlags(forge))
        #expect(reverted.status == 0, "\(reverted.stderr)")
        #expect(mergeBodies(forge).map { $0["merge_method"] as? String } == ["squash", "squash"])
    }

    @Test func theMethodFlagWinsOverTheReleaseRepositorysSetting() throws {
        let (forge, _) = try forgeWithPullRequest("github", "method-flag", config: "pullRequest:\n  mergeMethod: squash\n")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let merged = try capstan(["pr", "merge", "1", "--allow-no-checks", "--method", "rebase"] + forgeFlags(forge))
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(mergeBodies(forge).first?["merge_method"] as? String == "rebase")
    }

    @Test func withoutRepoTheWorkingDirectorysSettingIsUsed() throws {
        let (forge, _) = try forgeWithPullRequest("github", "method-local")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let checkout = forge.root.appendingPathComponent("checkout")
        try FileManager.default.createDirectory(at: checkout, withIntermediateDirectories: true)
        try Data("pullRequest:\n  mergeMethod: rebase\n".utf8).write(to: checkout.appendingPathComponent(".capstan.yaml"))
        let merged = try capstan(["pr", "merge", "1", "--allow-no-checks"] + apiFlags(forge), in: checkout)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(mergeBodies(forge).first?["merge_method"] as? String == "rebase")
    }

    /// A typo in mergeMethod stops the first job that reads the release repository's
    /// .capstan.yaml (here update --open-pr), with its position: no PR, nothing merged.
    @Test func aMergeMethodTheForgeDoesNotKnowIsRefusedWithItsLine() throws {
        let root = try TestSupport.temporaryDirectory("merge-green-method-typo")
        defer { try? FileManager.default.removeItem(at: root) }
        let forge = try TestForge(kind: "github", root: root, token: Self.token)
        let bare = try forge.repository(Self.project, files: ["values.yaml": PullRequestTests.values,
                                                             ".capstan.yaml": "pullRequest:\n  title: \"{summary}\"\n  mergeMethod: sqash\n"])
        let result = try capstan(["update", "--branch", "capstan/checkout", "--set-image", "ghcr.io/acme/checkout:1.5.0", "--open-pr"]
                                 + forgeFlags(forge))
        #expect(result.status == 1)
        #expect(result.stderr.contains(".capstan.yaml:3:16") && result.stderr.contains("merge, squash, rebase"), "\(result.stderr)")
        #expect(forge.pullRequests.isEmpty)
        #expect(mergeBodies(forge).isEmpty)
        #expect(try !released(bare))
    }
}
