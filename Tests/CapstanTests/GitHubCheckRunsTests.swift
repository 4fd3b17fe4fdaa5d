import Foundation
import Testing

/// GitHub Actions reports check runs, not commit statuses: `pr merge` on a repository whose
/// only CI is Actions merges on green and exits 3 on red, reading every page of runs
/// (issue 14, finding 1). Green is success, neutral or skipped; queued or in progress is
/// pending; anything else is red.
@Suite struct GitHubCheckRunsTests {
    static let token = "forge-tok-" + UUID().uuidString
    static let project = "acme/release"

    private func forgeWithPullRequest(_ label: String, pageSize: Int? = nil) throws -> (TestForge, URL) {
        let root = try TestSupport.temporaryDirectory("check-runs-\(label)")
        let forge = try TestForge(kind: "github", root: root, token: Self.token, pageSize: pageSize)
        let bare = try forge.repository(Self.project, files: ["values.yaml": PullRequestTests.values])
        let opened = try capstan(["update", "--branch", "capstan/checkout", "--set-image", "ghcr.io/acme/checkout:1.5.0", "--open-pr"]
                                 + flags(forge))
        try #require(opened.status == 0, "\(opened.stderr)")
        return (forge, bare)
    }

    private func flags(_ forge: TestForge) -> [String] {
        ["--repo", forge.cloneURL(Self.project), "--token-env", "FORGE_TOKEN", "--forge", "github", "--forge-url", forge.apiRoot,
         "--project", Self.project, "--poll-interval", "0.1", "--retry-backoff", "0.05"]
    }

    private func capstan(_ arguments: [String]) throws -> TestSupport.Result {
        try TestSupport.capstan(arguments, environment: ["FORGE_TOKEN": Self.token])
    }

    private func released(_ bare: URL) throws -> Bool {
        try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\"")
    }

    private func runs(_ runs: [(String, String, String?)], queuedReads: Int = 0) -> String {
        let items = runs.map { name, status, conclusion in
            #"{"name": "\#(name)", "status": "\#(status)", "conclusion": \#(conclusion.map { "\"\($0)\"" } ?? "null"), "queued_reads": \#(queuedReads)}"#
        }
        return #"{"check_runs": [\#(items.joined(separator: ", "))]}"#
    }

    @Test(arguments: ["success", "neutral", "skipped"])
    func greenCheckRunsMerge(conclusion: String) throws {
        let (forge, bare) = try forgeWithPullRequest("green-\(conclusion)")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(runs([("build", "completed", "success"), ("lint", "completed", conclusion)], queuedReads: 1))
        let merged = try capstan(["pr", "merge", "1", "--wait", "30"] + flags(forge))
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try released(bare))
        try #require(forge.checkAgainstSpecs().status == 0)
    }

    /// A list shorter than the total_count it announces, with no link to the rest, is cut
    /// short, not whole: the missing runs may be red. An error, never green.
    @Test(arguments: ["/check-runs", "/status"])
    func fewerItemsThanTheTotalCountIsAnErrorNotGreen(endpoint: String) throws {
        let (forge, bare) = try forgeWithPullRequest("short-\(endpoint.dropFirst())")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let green = endpoint == "/check-runs"
            ? #"{"total_count": 2, "check_runs": [{"id": 1, "name": "build", "status": "completed", "conclusion": "success"}]}"#
            : #"{"state": "failure", "total_count": 2, "sha": "x", "statuses": [{"state": "success", "context": "build", "description": ""}]}"#
        try forge.inject(#"{"match": "\#(endpoint)", "status": 200, "count": 100, "body": \#(green)}"#)
        let result = try capstan(["pr", "merge", "1", "--wait", "5"] + flags(forge))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("total_count"), "\(result.stderr)")
        #expect(try !released(bare))
    }

    /// A token that may not read check runs is told what reading needs, not to get write
    /// permissions it may already have.
    @Test func aRefusedCheckRunsReadSaysWhatReadingNeeds() throws {
        let (forge, bare) = try forgeWithPullRequest("forbidden")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"match": "/check-runs", "status": 403, "body": {"message": "Resource not accessible by personal access token"}}"#)
        let result = try capstan(["pr", "merge", "1", "--wait", "5"] + flags(forge))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("Resource not accessible by personal access token"), "\(result.stderr)")
        #expect(result.stderr.contains("checks: read and statuses: read") && !result.stderr.contains("write"), "\(result.stderr)")
        #expect(try !released(bare))
    }

    @Test(arguments: ["failure", "cancelled", "timed_out", "action_required"])
    func aRedCheckRunExitsThree(conclusion: String) throws {
        let (forge, bare) = try forgeWithPullRequest("red-\(conclusion)")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(runs([("build", "completed", "success"), ("test", "completed", conclusion)]))
        let result = try capstan(["pr", "merge", "1", "--wait", "10", "--allow-no-checks"] + flags(forge))
        #expect(result.status == 3, "\(result.stderr)")
        #expect(try !released(bare))
    }

    @Test func aRedRunOnTheLastPageIsSeen() throws {
        let (forge, bare) = try forgeWithPullRequest("paged", pageSize: 1)
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(runs([("a", "completed", "success"), ("b", "completed", "success"), ("c", "completed", "failure")]))
        let result = try capstan(["pr", "merge", "1", "--wait", "10", "--allow-no-checks"] + flags(forge))
        #expect(result.status == 3, "\(result.stderr)")
        #expect(try !released(bare))
    }

    @Test func aRunInProgressIsWaitedOn() throws {
        let (forge, bare) = try forgeWithPullRequest("in-progress")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(runs([("build", "in_progress", nil)]))
        let result = try capstan(["pr", "merge", "1", "--wait", "1"] + flags(forge))
        #expect(result.status == 7, "\(result.stderr)")
        #expect(try !released(bare))
    }
}

/// `pr status` without --state reads the head's checks and prints them, one a line, or as
/// JSON with the summary (issue 14: checks are read, not only posted).
@Suite struct PullRequestChecksReadTests {
    @Test(arguments: ["github", "gitlab", "gitea", "bitbucket-cloud", "azure-devops"])
    func prStatusPrintsEachCheck(kind: String) throws {
        let root = try TestSupport.temporaryDirectory("checks-read-\(kind)")
        defer { try? FileManager.default.removeItem(at: root) }
        let forge = try TestForge(kind: kind, root: root, token: GitHubCheckRunsTests.token, pageSize: 1)
        try forge.repository(GitHubCheckRunsTests.project, files: ["values.yaml": PullRequestTests.values])
        let flags = ["--repo", forge.cloneURL(GitHubCheckRunsTests.project), "--token-env", "FORGE_TOKEN", "--forge", kind,
                     "--forge-url", forge.apiRoot, "--project", GitHubCheckRunsTests.project, "--retry-backoff", "0.05"]
        let environment = ["FORGE_TOKEN": GitHubCheckRunsTests.token]
        let opened = try TestSupport.capstan(["update", "--branch", "capstan/checkout", "--set-image", "ghcr.io/acme/checkout:1.5.0", "--open-pr"]
                                             + flags, environment: environment)
        try #require(opened.status == 0, "\(opened.stderr)")
        for (context, state) in [("lint", "success"), ("e2e", "failure")] {
            let posted = try TestSupport.capstan(["pr", "status", "--pr", "1", "--state", state, "--context", context] + flags, environment: environment)
            try #require(posted.status == 0, "\(posted.stderr)")
        }
        if kind == "github" {
            try forge.inject(#"{"check_runs": [{"name": "build", "status": "in_progress", "conclusion": null}]}"#)
        }
        let read = try TestSupport.capstan(["pr", "status", "--pr", "1", "--output", "json"] + flags, environment: environment)
        #expect(read.status == 3, "red checks exit 3: \(read.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any], "\(read.stdout)")
        #expect(json["checks"] as? String == "failure")
        // Azure DevOps names a status genre/name (Capstan posts genre "capstan").
        let checks = (json["items"] as? [[String: Any]] ?? []).map {
            "\(($0["name"] as? String ?? "").split(separator: "/").last ?? ""):\($0["state"] ?? "")"
        }.sorted()
        let expected = ["e2e:failure", "lint:success"] + (kind == "github" ? ["build:pending"] : [])
        #expect(checks == expected.sorted(), "\(read.stdout)")
        let text = try TestSupport.capstan(["pr", "status", "--pr", "1"] + flags, environment: environment)
        #expect(text.stdout.contains("failure  ") && text.stdout.contains("e2e"), "\(text.stdout)")
    }
}

/// `pr merge --auto` asks the forge to merge when the checks pass where its REST API offers
/// it, and says where it does not (issue 14: merges finish or fail truthfully).
@Suite struct AutoMergeTests {
    private func forgeWithPendingPullRequest(_ kind: String) throws -> (TestForge, URL, [String]) {
        let root = try TestSupport.temporaryDirectory("auto-\(kind)")
        let forge = try TestForge(kind: kind, root: root, token: GitHubCheckRunsTests.token)
        let bare = try forge.repository(GitHubCheckRunsTests.project, files: ["values.yaml": PullRequestTests.values])
        let flags = ["--repo", forge.cloneURL(GitHubCheckRunsTests.project), "--token-env", "FORGE_TOKEN", "--forge", kind,
                     "--forge-url", forge.apiRoot, "--project", GitHubCheckRunsTests.project, "--retry-backoff", "0.05"]
        let environment = ["FORGE_TOKEN": GitHubCheckRunsTests.token]
        let opened = try TestSupport.capstan(["update", "--branch", "capstan/checkout", "--set-image", "ghcr.io/acme/checkout:1.5.0", "--open-pr"]
                                             + flags, environment: environment)
        try #require(opened.status == 0, "\(opened.stderr)")
        let posted = try TestSupport.capstan(["pr", "status", "--pr", "1", "--state", "pending", "--context", "ci"] + flags, environment: environment)
        try #require(posted.status == 0, "\(posted.stderr)")
        return (forge, bare, flags)
    }

    @Test(arguments: ["gitlab", "gitea", "azure-devops"])
    func autoMergeIsScheduledWithTheForge(kind: String) throws {
        let (forge, bare, flags) = try forgeWithPendingPullRequest(kind)
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let result = try TestSupport.capstan(["pr", "merge", "1", "--auto", "--output", "json"] + flags,
                                             environment: ["FORGE_TOKEN": GitHubCheckRunsTests.token])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"action\" : \"auto-merge\""), "\(result.stdout)")
        #expect(try !GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\""), "merged before the checks passed")
        #expect(forge.pullRequests.first?["auto_merge"] as? Bool == true)
        let check = try forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func aForgeWithoutAutoMergeSaysSo() throws {
        let (forge, bare, flags) = try forgeWithPendingPullRequest("github")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let result = try TestSupport.capstan(["pr", "merge", "1", "--auto"] + flags, environment: ["FORGE_TOKEN": GitHubCheckRunsTests.token])
        #expect(result.status == 1)
        #expect(result.stderr.contains("offers no merge-when-checks-pass"), "\(result.stderr)")
        #expect(try !GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\""))
    }
}
