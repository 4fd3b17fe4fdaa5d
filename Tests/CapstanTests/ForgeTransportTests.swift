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
