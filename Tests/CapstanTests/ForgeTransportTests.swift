import Foundation
import Testing

/// `capstan pr` against a loopback forge that redirects elsewhere, rate-limits with a reset
/// already past, echoes the token and answers malformed JSON (issue 14, findings 4, 7, 8).
@Suite struct ForgeTransportTests {
    static let token = "forge-tok-" + UUID().uuidString
    static let project = "acme/release"

    private func forge(_ kind: String, _ label: String) throws -> TestForge {
        let root = try TestSupport.temporaryDirectory("transport-\(kind)-\(label)")
        let forge = try TestForge(kind: kind, root: root, token: Self.token)
        try forge.repository(Self.project, files: ["values.yaml": "replicas: 1\n"])
        return forge
    }

    private func flags(_ forge: TestForge) -> [String] {
        ["--token-env", "FORGE_TOKEN", "--forge", forge.kind, "--forge-url", forge.apiRoot, "--project", Self.project,
         "--retry-backoff", "0.01", "--timeout", "5"]
    }

    private func capstan(_ arguments: [String]) throws -> TestSupport.Result {
        let result = try TestSupport.capstan(arguments, environment: ["FORGE_TOKEN": Self.token])
        #expect(!result.stdout.contains(Self.token) && !result.stderr.contains(Self.token), "the token was printed: \(result.stderr)")
        return result
    }

    private func pullsPath(_ kind: String) -> String {
        kind == "gitlab" ? "/projects/acme%2Frelease/merge_requests" : "/repos/acme/release/pulls"
    }

    @Test(arguments: ["github", "gitlab"])
    func aRedirectToAnotherPortIsRefusedAndCarriesNoToken(kind: String) throws {
        let forge = try forge(kind, "redirect")
        let elsewhere = try self.forge(kind, "elsewhere")
        defer {
            try? FileManager.default.removeItem(at: forge.root)
            try? FileManager.default.removeItem(at: elsewhere.root)
        }
        let target = elsewhere.apiRoot + (kind == "gitlab" ? "/api/v4" : "/api/v3") + pullsPath(kind)
        try forge.inject(#"{"match": "GET \#(pullsPath(kind))", "status": 307, "headers": {"Location": "\#(target)"}, "count": 10}"#)
        let result = try capstan(["pr", "find", "--head", "x"] + flags(forge))
        #expect(result.status != 0)
        #expect(result.stderr.contains("redirects to another origin"), "\(result.stderr)")
        #expect(elsewhere.apiLog.isEmpty, "a request (with the token) reached the other origin")
    }

    @Test func aRateLimitResetInThePastIsWaitedOutWithAFloorAndAnEnd() throws {
        let forge = try forge("github", "reset-past")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let past = Int(Date().timeIntervalSince1970) - 3600
        try forge.inject(#"""
        {"match": "GET /repos/acme/release/pulls", "status": 403, "count": 1000,
         "headers": {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "\#(past)"},
         "body": {"message": "API rate limit exceeded for user ID 1.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}}
        """#)
        let result = try capstan(["pr", "find", "--head", "x"] + flags(forge))
        #expect(result.status != 0)
        #expect(result.stderr.contains("rate limit"), "\(result.stderr)")
        let times = forge.apiLog.compactMap { $0["at"] as? Double }
        #expect((2...6).contains(times.count), "retries are capped: \(times.count) requests")
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(later - earlier >= 0.9, "every wait has a floor")
        }
    }

    /// A rate-limit wait the budget allows is not charged to the request's own deadline (three
    /// timeouts): after waiting out a Retry-After longer than that, the request was refused as
    /// "timed out" without being sent, so the wait was for nothing and the step failed.
    @Test func aRateLimitWaitLongerThanThreeTimeoutsIsFollowedByTheRequest() throws {
        let forge = try forge("github", "retry-after-long")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"""
        {"match": "GET /repos/acme/release/pulls", "status": 429, "count": 1, "headers": {"Retry-After": "4"},
         "body": {"message": "API rate limit exceeded"}}
        """#)
        let result = try capstan(["pr", "find", "--head", "x"] + flags(forge).dropLast(2) + ["--timeout", "1"])
        // The list read, empty: `pr find` says no PR (exit 1), not a timeout.
        #expect(result.stderr.contains("no open PR from x"), "\(result.stderr)")
        #expect(!result.stderr.contains("timed out"), "\(result.stderr)")
        #expect(forge.apiLog.count == 2, "asked again after the wait: \(forge.apiLog.count) requests")
    }

    /// A wait no clock can hold (Retry-After 1e300, inf, a reset in the year 3 billion) is
    /// refused as over the budget, and said in whole seconds without trapping.
    @Test(arguments: [("Retry-After", "1e300"), ("Retry-After", "inf"), ("Retry-After", "99999999999999999999"),
                      ("x-ratelimit-reset", "99999999999999999999")])
    func aWaitPastAnyClockIsRefusedWithoutACrash(header: String, value: String) throws {
        let forge = try forge("github", "retry-after-huge")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let extra = header == "x-ratelimit-reset" ? #", "x-ratelimit-remaining": "0""# : ""
        try forge.inject(#"""
        {"match": "GET /repos/acme/release/pulls", "status": 429, "count": 1, "headers": {"\#(header)": "\#(value)"\#(extra)},
         "body": {"message": "API rate limit exceeded"}}
        """#)
        let result = try capstan(["pr", "find", "--head", "x"] + flags(forge))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("more than the budget allows"), "\(result.stderr)")
        #expect(forge.apiLog.count == 1)
    }

    /// A time given as a flag that no clock can hold is refused as a usage error before
    /// anything is sent (nan, inf and 1e300 trapped where they became milliseconds).
    @Test(arguments: [["--timeout", "nan"], ["--timeout", "1e300"], ["--poll-interval", "inf"], ["--retry-backoff", "nan"],
                      ["--wait", "1e300"], ["--wait", "nanh"]])
    func aTimeNoClockCanHoldIsAUsageError(flag: [String]) throws {
        let forge = try forge("github", "time-flags")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let result = try capstan(["pr", "merge", "1"] + flags(forge).dropLast(4) + flag)
        #expect(![0, 132].contains(result.status), "\(result.stderr)")
        #expect(result.stderr.contains(flag[0]), "\(result.stderr)")
        #expect(forge.apiLog.isEmpty)
    }

    @Test(arguments: ["github", "gitlab"])
    func aTokenEchoedInAnErrorBodyIsNotPrinted(kind: String) throws {
        let forge = try forge(kind, "echo")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"match": "GET \#(pullsPath(kind))", "status": 400, "body": {"message": "bad token \#(Self.token) given"}}"#)
        let result = try capstan(["pr", "find", "--head", "x"] + flags(forge))
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad token *** given"), "\(result.stderr)")
    }

    @Test func aServerThatTricklesIsCutOffByTheTimeout() throws {
        let forge = try forge("github", "slow")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"match": "GET /repos/acme/release/pulls", "delay": 60, "count": 100}"#)
        let started = Date()
        let result = try capstan(["pr", "find", "--head", "x", "--token-env", "FORGE_TOKEN", "--forge", "github", "--forge-url", forge.apiRoot,
                                  "--project", Self.project, "--timeout", "2"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("timed out"), "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 20, "a stalled forge holds `pr` for its timeout, not minutes")
    }
}

/// Malformed and unexpected answers stop the step with the field named (issue 14, finding 8).
@Suite struct MalformedAnswerTests {
    private func forge(_ label: String) throws -> TestForge {
        let root = try TestSupport.temporaryDirectory("malformed-\(label)")
        let forge = try TestForge(kind: "github", root: root, token: ForgeTransportTests.token)
        try forge.repository(ForgeTransportTests.project, files: ["values.yaml": "replicas: 1\n"])
        return forge
    }

    private func status(_ forge: TestForge) throws -> TestSupport.Result {
        try TestSupport.capstan(["pr", "status", "--pr", "1", "--state", "success", "--context", "ci/e2e", "--token-env", "FORGE_TOKEN",
                                 "--forge", "github", "--forge-url", forge.apiRoot, "--project", ForgeTransportTests.project],
                                environment: ["FORGE_TOKEN": ForgeTransportTests.token])
    }

    @Test func aPullRequestAnswerThatIsNotJSONStopsTheStep() throws {
        let forge = try forge("not-json")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"match": "GET /repos/acme/release/pulls/1", "status": 200, "raw_body": "{\"number\": 1, \"head\": {\"sha\": "}"#)
        let result = try status(forge)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("not JSON"), "\(result.stderr)")
        #expect(!forge.apiLog.contains { $0["method"] as? String == "POST" }, "a status was posted on an unknown SHA")
    }

    @Test func aPullRequestWithoutAHeadSHAStopsTheStepNamingTheField() throws {
        let forge = try forge("no-sha")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"match": "GET /repos/acme/release/pulls/1", "status": 200, "body": {"number": 1, "state": "open", "html_url": "u", "title": "t", "head": {"ref": "x"}, "base": {"ref": "main"}}}"#)
        let result = try status(forge)
        #expect(result.status == 1)
        #expect(result.stderr.contains("field `head.sha` is missing"), "\(result.stderr)")
        #expect(!forge.apiLog.contains { $0["method"] as? String == "POST" })
    }
}

/// GitLab says "Branch cannot be merged" as 406 before 16.0 and as 422 since: both are
/// "not mergeable", exit 5 (issue 14, finding 5).
@Suite struct GitLabMergeRefusalTests {
    @Test(arguments: [406, 422])
    func branchCannotBeMergedExitsFive(status: Int) throws {
        let root = try TestSupport.temporaryDirectory("gitlab-refusal-\(status)")
        defer { try? FileManager.default.removeItem(at: root) }
        let forge = try TestForge(kind: "gitlab", root: root, token: ForgeTransportTests.token)
        try forge.repository(ForgeTransportTests.project, files: ["values.yaml": PullRequestTests.values])
        let flags = ["--repo", forge.cloneURL(ForgeTransportTests.project), "--token-env", "FORGE_TOKEN", "--forge", "gitlab",
                     "--forge-url", forge.apiRoot, "--project", ForgeTransportTests.project, "--poll-interval", "0.1", "--retry-backoff", "0.05"]
        let environment = ["FORGE_TOKEN": ForgeTransportTests.token]
        let opened = try TestSupport.capstan(["update", "--branch", "capstan/checkout", "--set-image", "ghcr.io/acme/checkout:1.5.0", "--open-pr"]
                                             + flags, environment: environment)
        try #require(opened.status == 0, "\(opened.stderr)")
        try forge.inject(#"{"match": "PUT /projects/acme%2Frelease/merge_requests/1/merge", "status": \#(status), "body": {"message": "Branch cannot be merged"}}"#)
        let result = try TestSupport.capstan(["pr", "merge", "1", "--allow-no-checks", "--wait", "5"] + flags, environment: environment)
        #expect(result.status == 5, "\(result.stderr)")
    }
}
