import Foundation
import Testing

/// `capstan update --open-pr` and `capstan pr …` end to end against the loopback test
/// forge: real bare repositories, real merges by git, each forge's documented shapes. Every
/// request and answer is checked against the forge's official API description.
@Suite struct PullRequestTests {
    static let token = "forge-tok-" + UUID().uuidString
    static let project = "acme/release"

    static let values = """
    # checkout values
    image:
      repository: ghcr.io/acme/checkout
      tag: "1.4.2"   # bumped by CI
    replicas: 2

    """

    /// A forge of `kind` with acme/release on it.
    private func forge(_ kind: String, _ label: String) throws -> (TestForge, URL) {
        let root = try TestSupport.temporaryDirectory("pr-\(kind)-\(label)")
        let forge = try TestForge(kind: kind, root: root, token: Self.token)
        let bare = try forge.repository(Self.project, files: ["values.yaml": Self.values])
        return (forge, bare)
    }

    /// Flags that point Capstan at the test forge, fast polls and retries.
    private func forgeFlags(_ forge: TestForge) -> [String] {
        ["--repo", forge.cloneURL(Self.project), "--token-env", "FORGE_TOKEN", "--forge", forge.kind, "--forge-url", forge.apiRoot,
         "--project", Self.project, "--poll-interval", "0.1", "--retry-backoff", "0.05"]
    }

    /// Where each forge lists its pull requests, for faults.
    private func pullsPath(_ kind: String) -> String {
        switch kind {
        case "gitlab": "/projects/acme%2Frelease/merge_requests"
        case "bitbucket-cloud": "/repositories/acme/release/pullrequests"
        case "azure-devops": "/acme/acme/_apis/git/repositories/release/pullrequests"
        case "bitbucket-datacenter": "/api/latest/projects/acme/repos/release/pull-requests"
        default: "/repos/acme/release/pulls"
        }
    }

    private func capstan(_ arguments: [String], environment: [String: String] = [:]) throws -> TestSupport.Result {
        let result = try TestSupport.capstan(arguments, environment: ["FORGE_TOKEN": Self.token].merging(environment) { $1 })
        #expect(!result.stdout.contains(Self.token) && !result.stderr.contains(Self.token), "the token was printed")
        return result
    }

    private func update(_ forge: TestForge, tag: String, extra: [String] = []) throws -> TestSupport.Result {
        try capstan(["update", "--branch", "capstan/checkout", "--set-image", "ghcr.io/acme/checkout:\(tag)", "--open-pr",
                     "--label", "deps", "--output", "json"] + forgeFlags(forge) + extra)
    }

    private func json(_ result: TestSupport.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\n\(result.stderr)")
    }

    private func expectSpecsHold(_ forge: TestForge) throws {
        let check = try forge.checkAgainstSpecs()
        print("[\(forge.kind)] spec check: " + check.stdout.split(separator: "\n").filter { !$0.hasPrefix("problem") }.joined(separator: "; "))
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test(arguments: [("github", "squash"), ("github", "merge"), ("gitea", "merge"), ("gitea", "rebase"), ("forgejo", "squash"), ("gitlab", "merge"),
                      ("gitlab", "squash"), ("bitbucket-cloud", "merge"), ("bitbucket-cloud", "squash"),
                      ("azure-devops", "merge"), ("azure-devops", "rebase"), ("bitbucket-datacenter", "merge"),
                      ("bitbucket-datacenter", "squash")])
    func updateOpenUpdateMergeRevertRestoresTheBase(kind: String, method: String) throws {
        let (forge, bare) = try forge(kind, "flow-\(method)")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let original = try GitFixtures.show(bare, "main", "values.yaml")

        let first = try update(forge, tag: "1.5.0", extra: ["--reviewer", "alice"])
        #expect(first.status == 0, "\(first.stderr)")
        let opened = try #require(try json(first)["pullRequest"] as? [String: Any])
        #expect(opened["action"] as? String == "opened")
        let number = try #require(opened["number"] as? Int)
        let openCalls = opened["apiCalls"] as? Int ?? 99
        #expect(openCalls <= 4)

        let second = try update(forge, tag: "1.5.1")
        #expect(second.status == 0, "\(second.stderr)")
        let updated = try #require(try json(second)["pullRequest"] as? [String: Any])
        #expect(updated["number"] as? Int == number)
        #expect(updated["action"] as? String == "updated")
        #expect(updated["title"] as? String == "Update checkout to 1.5.1")
        let updateCalls = updated["apiCalls"] as? Int ?? 99
        #expect(updateCalls <= 4)
        #expect(forge.pullRequests.count == 1)
        if !kind.hasPrefix("bitbucket") { #expect(forge.pullRequests.first?["labels"] as? [String] == ["deps"]) }

        // CI reports pending on the head; the forge turns it green after two reads.
        let pending = try capstan(["pr", "status", "--pr", "\(number)", "--state", "pending", "--context", "ci"] + forgeFlags(forge))
        #expect(pending.status == 0, "\(pending.stderr)")
        try forge.inject(#"{"pending_to_success_after": 2}"#)
        if kind != "gitea" { try forge.inject(#"{"mergeable_null_polls": 1}"#) }
        let merged = try capstan(["pr", "merge", "\(number)", "--method", method, "--wait", "30", "--output", "json"] + forgeFlags(forge))
        #expect(merged.status == 0, "\(merged.stderr)")
        let merge = try json(merged)
        #expect(merge["state"] as? String == "merged")
        let polls = merge["polls"] as? Int ?? 0
        #expect(polls >= 1, "the merge did not wait for the pending check")
        let mergeCalls = merge["apiCalls"] as? Int ?? 99
        // Gitea needs one more read for the merge commit; Bitbucket Cloud one to compare the head;
        // GitHub reads check runs beside the combined status at each of the polls + 1 reads, and
        // the base's required checks once (protection and rulesets); Azure DevOps the PR's own statuses and its
        // policy evaluations at each.
        #expect(mergeCalls <= 3 + 2 * polls + (kind == "github" ? polls + 3 : kind == "azure-devops" ? 2 * (polls + 1) : 0)
                + (["gitea", "forgejo", "bitbucket-cloud"].contains(kind) ? 1 : 0))
        let mergeSHA = try #require(merge["mergeSHA"] as? String)
        #expect(try GitFixtures.git(["rev-parse", "main"], in: bare).hasPrefix(mergeSHA))
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.1\""))

        // The revert PR's head has no CI here: merging it is about the revert, not about checks.
        let revert = try capstan(["pr", "revert", "\(number)", "--merge", "--allow-no-checks", "--wait", "10", "--output", "json"] + forgeFlags(forge))
        #expect(revert.status == 0, "\(revert.stderr)")
        let reverted = revert.stdout.components(separatedBy: "\n}\n").first.map { $0 + "\n}" } ?? ""
        let revertPR = try #require(try JSONSerialization.jsonObject(with: Data(reverted.utf8)) as? [String: Any])
        #expect(revertPR["title"] as? String == "Revert \"Update checkout to 1.5.1\"")
        let revertCalls = revertPR["apiCalls"] as? Int ?? 99
        #expect(revertCalls <= 4)
        #expect(try GitFixtures.show(bare, "main", "values.yaml") == original)
        try GitFixtures.git(["fsck", "--strict"], in: bare)

        let again = try capstan(["pr", "revert", "\(number)", "--output", "json"] + forgeFlags(forge))
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try json(again)["action"] as? String == "found")
        #expect(forge.pullRequests.count == 2)
        print("[\(kind) \(method)] API calls: open \(openCalls), update \(updateCalls), merge \(mergeCalls) with \(polls) polls, revert \(revertCalls)")
        try expectSpecsHold(forge)
    }

    @Test(arguments: ["github", "gitea", "gitlab", "bitbucket-cloud", "azure-devops", "bitbucket-datacenter"])
    func rateLimitsAndServerErrorBurstsAreRiddenOut(kind: String) throws {
        let (forge, _) = try forge(kind, "faults")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let pulls = pullsPath(kind)
        try forge.inject(#"{"match": "GET \#(pulls)", "status": 429, "headers": {"Retry-After": "1"}, "body": {"message": "API rate limit exceeded"}}"#)
        try forge.inject(#"{"match": "POST \#(pulls)", "status": 502, "count": 3, "body": {"message": "Bad Gateway"}}"#)
        let started = Date()
        let result = try update(forge, tag: "1.5.0")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) >= 1, "the Retry-After wait was not honoured")
        let injected = forge.apiLog.filter { $0["injected"] as? Bool == true }.map { $0["status"] as? Int ?? 0 }
        #expect(injected == [429, 502, 502, 502])
        #expect(forge.pullRequests.count == 1)
        try expectSpecsHold(forge)
    }

    @Test func aRateLimitLongerThanTheBudgetFailsWithTheForgesWords() throws {
        let (forge, _) = try forge("github", "limit")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let reset = Int(Date().timeIntervalSince1970) + 3600
        try forge.inject(#"{"match": "GET /repos/acme/release/pulls", "status": 403, "headers": {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "\#(reset)"}, "body": {"message": "API rate limit exceeded for installation"}}"#)
        let result = try capstan(["pr", "find", "--head", "capstan/checkout"] + forgeFlags(forge))
        #expect(result.status == 1)
        #expect(result.stderr.contains("rate limited") && result.stderr.contains("API rate limit exceeded for installation"), "\(result.stderr)")
    }

    @Test func aSlowAnswerTimesOutAndIsRetried() throws {
        let (forge, _) = try forge("gitea", "slow")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"match": "GET /repos/acme/release/pulls", "delay": 3}"#)
        let result = try capstan(["pr", "find", "--head", "nothing"] + forgeFlags(forge) + ["--timeout", "1"])
        // The second attempt answers: no PR from that branch (exit 1, a clear message).
        #expect(result.stderr.contains("no open PR from nothing into main"), "\(result.stderr)")
        // The slow first answer is logged once its delay is over: two requests in all.
        for _ in 0..<40 where forge.apiLog.count < 2 { Thread.sleep(forTimeInterval: 0.1) }
        #expect(forge.apiLog.count == 2)
    }

    @Test(arguments: ["github", "gitea", "gitlab", "bitbucket-cloud", "azure-devops", "bitbucket-datacenter"])
    func aHeadThatMovesBetweenCheckAndMergeIsRefused(kind: String) throws {
        let (forge, bare) = try forge(kind, "moved")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let before = try GitFixtures.git(["rev-parse", "main"], in: bare)
        #expect(try update(forge, tag: "1.5.0").status == 0)
        // Bitbucket Cloud cannot pin a merge to a SHA: the push lands just before its last look.
        try forge.inject(kind == "bitbucket-cloud" ? #"{"move_head_before": "GET \#(pullsPath(kind))/1", "skip": 1}"#
                                                   : #"{"move_head_on_merge": true}"#)
        let result = try capstan(["pr", "merge", "1", "--allow-no-checks", "--wait", "5"] + forgeFlags(forge))
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("the head moved"), "\(result.stderr)")
        #expect(try GitFixtures.git(["rev-parse", "main"], in: bare) == before)
        try expectSpecsHold(forge)
    }

    @Test(arguments: ["github", "gitea", "gitlab", "bitbucket-cloud", "azure-devops", "bitbucket-datacenter"])
    func aFailingCheckIsNeverMerged(kind: String) throws {
        let (forge, bare) = try forge(kind, "red")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let before = try GitFixtures.git(["rev-parse", "main"], in: bare)
        #expect(try update(forge, tag: "1.5.0").status == 0)
        #expect(try capstan(["pr", "status", "--pr", "1", "--state", "failure", "--context", "ci"] + forgeFlags(forge)).status == 0)
        let result = try capstan(["pr", "merge", "1", "--wait", "5"] + forgeFlags(forge))
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("a required check failed"))
        // No merge was attempted (Bitbucket DC's GET …/merge only reads the vetoes).
        #expect(!forge.apiLog.contains { ($0["path"] as? String ?? "").hasSuffix("/merge") && $0["method"] as? String != "GET" })
        #expect(try GitFixtures.git(["rev-parse", "main"], in: bare) == before)
    }

    @Test func aConflictAPolicyVetoAndABranchBehindOrQueueHaveTheirOwnExitCodes() throws {
        let (forge, _) = try forge("github", "veto")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        #expect(try update(forge, tag: "1.5.0").status == 0)
        try forge.inject(#"{"match": "PUT /repos/acme/release/pulls/1/merge", "status": 405, "body": {"message": "Pull Request is not mergeable"}}"#)
        let conflict = try capstan(["pr", "merge", "1", "--allow-no-checks"] + forgeFlags(forge))
        #expect(conflict.status == 5, "\(conflict.stderr)")
        try forge.inject(#"{"match": "PUT /repos/acme/release/pulls/1/merge", "status": 405, "body": {"message": "Changes must be made through the merge queue"}}"#)
        let queue = try capstan(["pr", "merge", "1", "--allow-no-checks"] + forgeFlags(forge))
        #expect(queue.status == 8, "\(queue.stderr)")
        #expect(queue.stderr.contains("merge queue"))
        try forge.inject(#"{"match": "PUT /repos/acme/release/pulls/1/merge", "status": 405, "body": {"message": "Head branch is out of date. Review and try the merge again."}}"#)
        let behind = try capstan(["pr", "merge", "1", "--allow-no-checks"] + forgeFlags(forge))
        #expect(behind.status == 8, "\(behind.stderr)")
        #expect(behind.stderr.contains("up to date with its base"), "\(behind.stderr)")
        try forge.inject(#"{"match": "PUT /repos/acme/release/pulls/1/merge", "status": 405, "body": {"message": "At least 1 approving review is required by reviewers with write access."}}"#)
        let review = try capstan(["pr", "merge", "1", "--allow-no-checks"] + forgeFlags(forge))
        #expect(review.status == 6, "\(review.stderr)")
    }

    @Test(arguments: ["github", "gitea", "gitlab", "bitbucket-cloud", "azure-devops", "bitbucket-datacenter"])
    func twentyRunsOfUpdateOpenPRLeaveExactlyOnePR(kind: String) throws {
        let (forge, _) = try forge(kind, "twenty")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let workdir = forge.root.appendingPathComponent("cache")
        var calls: [Int] = []
        for run in 0..<20 {
            let result = try update(forge, tag: "1.5.\(run % 3)", extra: ["--workdir", workdir.path])
            #expect(result.status == 0, "\(result.stderr)")
            calls.append((try json(result)["pullRequest"] as? [String: Any])?["apiCalls"] as? Int ?? 99)
        }
        #expect(forge.pullRequests.count == 1)
        #expect(calls.allSatisfy { $0 <= 4 })
        print("[\(kind)] 20 runs of update --open-pr: one PR; API calls per run \(calls)")
        try expectSpecsHold(forge)
    }

    @Test(arguments: ["github", "gitea", "gitlab", "bitbucket-cloud", "azure-devops", "bitbucket-datacenter"])
    func openFindCommentAndCloseOnTheirOwn(kind: String) throws {
        let (forge, bare) = try forge(kind, "pieces")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try GitFixtures.git(["branch", "capstan/manual", "main"], in: bare)
        let outputs = forge.root.appendingPathComponent("github-output")
        try Data().write(to: outputs)
        let opened = try capstan(["pr", "open", "--head", "capstan/manual", "--title", "Manual change", "--body", "Why: testing",
                                  "--output", "json"] + forgeFlags(forge), environment: ["GITHUB_OUTPUT": outputs.path])
        #expect(opened.status == 0, "\(opened.stderr)")
        let number = try #require(try json(opened)["number"] as? Int)
        #expect(try json(opened)["url"] as? String != "")
        let written = try String(contentsOf: outputs, encoding: .utf8)
        #expect(written.contains("pr-number=\(number)\n") && written.contains("pr-state=open\n"), "\(written)")

        let found = try capstan(["pr", "find", "--head", "capstan/manual", "--output", "json"] + forgeFlags(forge))
        #expect(try json(found)["number"] as? Int == number)
        let byNumber = try capstan(["pr", "find", "\(number)", "--output", "json"] + forgeFlags(forge))
        #expect(try json(byNumber)["title"] as? String == "Manual change")

        let commented = try capstan(["pr", "comment", "\(number)", "--body", "Deployed to staging"] + forgeFlags(forge))
        #expect(commented.status == 0, "\(commented.stderr)")
        let closed = try capstan(["pr", "close", "\(number)", "--output", "json"] + forgeFlags(forge))
        #expect(closed.status == 0, "\(closed.stderr)")
        #expect(try json(closed)["state"] as? String == "closed")
        #expect(forge.pullRequests.first?["state"] as? String == "closed")
        let missing = try capstan(["pr", "find", "--head", "capstan/manual"] + forgeFlags(forge))
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no open PR from capstan/manual into main"))
        try expectSpecsHold(forge)
    }

    @Test func aCommitPushedStraightToTheBaseIsRevertedThroughAPR() throws {
        let (forge, bare) = try forge("github", "revert-commit")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let original = try GitFixtures.show(bare, "main", "values.yaml")
        let direct = try capstan(["update", "--repo", forge.cloneURL(Self.project), "--token-env", "FORGE_TOKEN",
                                  "--set-image", "ghcr.io/acme/checkout:9.9.9", "--output", "json"])
        let commit = try #require(try json(direct)["commit"] as? String)
        let revert = try capstan(["pr", "revert", "--commit", String(commit.prefix(10)), "--merge", "--allow-no-checks", "--output", "json"]
                                 + forgeFlags(forge))
        #expect(revert.status == 0, "\(revert.stderr)")
        let opened = revert.stdout.components(separatedBy: "\n}\n").first.map { $0 + "\n}" } ?? ""
        let pullRequest = try #require(try JSONSerialization.jsonObject(with: Data(opened.utf8)) as? [String: Any])
        #expect(pullRequest["title"] as? String == "Revert \"Update checkout to 9.9.9\"")
        #expect(pullRequest["head"] as? String == "capstan/revert-\(commit.prefix(10))")
        #expect(try GitFixtures.show(bare, "main", "values.yaml") == original)
        let message = try GitFixtures.git(["log", "-1", "--format=%B", "capstan/revert-\(commit.prefix(10))"], in: bare)
        #expect(message.contains("This reverts commit \(commit)."))
    }

    @Test func aForgeWithAnUntrustedCertificateIsRefusedUnlessItsCAIsGiven() throws {
        let root = try TestSupport.temporaryDirectory("pr-tls")
        defer { try? FileManager.default.removeItem(at: root) }
        let openssl = URL(fileURLWithPath: "/usr/bin/openssl")
        let key = root.appendingPathComponent("server.key"), certificate = root.appendingPathComponent("server.pem")
        let made = try TestSupport.run(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                                 "-keyout", key.path, "-out", certificate.path, "-days", "1", "-subj", "/CN=127.0.0.1",
                                                 "-addext", "subjectAltName=IP:127.0.0.1"])
        try #require(made.status == 0, "\(made.stderr)")
        let forge = try TestForge(kind: "gitea", root: root, token: Self.token, tls: (certificate, key))
        try forge.repository(Self.project, files: ["values.yaml": Self.values])
        let flags = ["--forge", "gitea", "--forge-url", "https://127.0.0.1:\(forge.port)", "--project", Self.project,
                     "--token-env", "FORGE_TOKEN", "--retry-backoff", "0.01"]
        let refused = try capstan(["pr", "find", "--head", "x"] + flags)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("SSL certificate problem"), "\(refused.stderr)")
        #expect(forge.apiLog.isEmpty, "a request reached a forge whose certificate is not trusted")
        // --ca-bundle reaches libcurl: the forge's private certificate is trusted for the API.
        let bundle = try capstan(["pr", "find", "--head", "x", "--ca-bundle", certificate.path] + flags)
        #expect(bundle.stderr.contains("no open PR from x into main"), "\(bundle.stderr)")
        #expect(forge.apiLog.count == 1)
    }

    @Test func proxiesFromTheEnvironmentAreUsed() throws {
        let (forge, _) = try forge("gitea", "proxy")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        // The forge is reachable only through the proxy (the test forge answers proxied requests).
        let result = try capstan(["pr", "find", "--head", "x", "--token-env", "FORGE_TOKEN", "--forge", "gitea",
                                  "--forge-url", "http://forge.invalid", "--project", Self.project],
                                 environment: ["http_proxy": forge.webURL])
        #expect(result.stderr.contains("no open PR from x into main"), "\(result.stderr)")
        #expect(forge.apiLog.first?["proxied"] as? Bool == true)
    }

    @Test(arguments: ["github", "gitea", "gitlab", "azure-devops"])
    func mergeCanDeleteTheBotBranch(kind: String) throws {
        let (forge, bare) = try forge(kind, "delete-branch")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let opened = try update(forge, tag: "1.5.0")
        #expect(opened.status == 0, "\(opened.stderr)")
        let number = try #require((try json(opened)["pullRequest"] as? [String: Any])?["number"] as? Int)
        let merged = try capstan(["pr", "merge", "\(number)", "--delete-branch", "--allow-no-checks", "--wait", "10"] + forgeFlags(forge))
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\""))
        #expect(try GitFixtures.git(["branch", "--list", "capstan/checkout"], in: bare).isEmpty)
    }

    @Test(arguments: ["bitbucket-datacenter"])
    func deleteBranchWhereTheForgeCannotIsRefusedBeforeMerging(kind: String) throws {
        let (forge, bare) = try forge(kind, "no-delete")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let opened = try update(forge, tag: "1.5.0")
        #expect(opened.status == 0, "\(opened.stderr)")
        let number = try #require((try json(opened)["pullRequest"] as? [String: Any])?["number"] as? Int)
        let refused = try capstan(["pr", "merge", "\(number)", "--delete-branch", "--wait", "10"] + forgeFlags(forge))
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--delete-branch"))
        #expect(try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.4.2\""), "nothing may be merged")
    }
}
