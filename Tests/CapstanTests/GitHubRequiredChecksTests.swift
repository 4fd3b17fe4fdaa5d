import Foundation
import Testing

/// GitHub's required checks (branch protection's status-check policy): a required check that
/// has not reported yet is pending, not green because it is absent; where the token may not
/// read the policy (403/404), Capstan judges by the checks that reported and says so.
@Suite struct GitHubRequiredChecksTests {
    private func forgeWithPullRequest(_ label: String) throws -> (TestForge, URL, [String]) {
        try PipelineAndPolicyChecksTests.forgeWithGreenStatus("github", "required-\(label)")
    }

    private func capstan(_ arguments: [String]) throws -> TestSupport.Result {
        try TestSupport.capstan(arguments, environment: ["FORGE_TOKEN": GitHubCheckRunsTests.token])
    }

    private func released(_ bare: URL) throws -> Bool {
        try GitFixtures.show(bare, "main", "values.yaml").contains("\"1.5.0\"")
    }

    @Test func aRequiredCheckNotReportedYetIsPendingThenMergesOnceGreen() throws {
        let (forge, bare, flags) = try forgeWithPullRequest("pending")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"required_checks": ["lint", "build"]}"#)
        let held = try capstan(["pr", "merge", "1", "--wait", "1"] + flags)
        #expect(held.status == 7, "lint is green but the required build never reported: \(held.stderr)")
        #expect(try !released(bare))
        let status = try capstan(["pr", "status", "--pr", "1", "--output", "json"] + flags)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any], "\(status.stdout)")
        #expect(json["checks"] as? String == "pending", "\(status.stdout)")
        let build = (json["items"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "build" }
        #expect(build?["state"] as? String == "pending" && (build?["detail"] as? String ?? "").contains("required"), "\(status.stdout)")

        try forge.inject(#"{"check_runs": [{"name": "build", "status": "completed", "conclusion": "success"}]}"#)
        let merged = try capstan(["pr", "merge", "1", "--wait", "10"] + flags)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try released(bare))
        let check = try forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(forge.apiLog.contains { ($0["path"] as? String ?? "").hasSuffix("/branches/main/protection/required_status_checks") })
    }

    @Test(arguments: [403, 404])
    func anUnreadablePolicyIsJudgedByWhatReportedAndSaysSo(status: Int) throws {
        let (forge, bare, flags) = try forgeWithPullRequest("unreadable-\(status)")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"required_checks": ["lint", "build"], "protection_status": \#(status)}"#)
        let read = try capstan(["pr", "status", "--pr", "1"] + flags)
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout.contains("cannot read") && read.stdout.contains("HTTP \(status)"), "\(read.stdout)")
        let merged = try capstan(["pr", "merge", "1", "--wait", "10"] + flags)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stderr.contains("required checks of main: cannot read them"), "pr merge says so too: \(merged.stderr)")
        #expect(try released(bare))
    }

    /// Rulesets are readable with read access, where classic protection needs the administration
    /// permission (which GitHub Actions' token never has): a check a ruleset requires that has not
    /// reported is pending even when the classic protection cannot be read.
    @Test func aCheckARulesetRequiresIsPendingUntilItReports() throws {
        let (forge, bare, flags) = try forgeWithPullRequest("ruleset")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"required_checks": ["lint"], "protection_status": 403}"#)
        try forge.inject(#"{"ruleset_checks": ["build"]}"#)
        let held = try capstan(["pr", "merge", "1", "--wait", "1"] + flags)
        #expect(held.status == 7, "the ruleset's build never reported: \(held.stderr)")
        #expect(try !released(bare))
        try forge.inject(#"{"check_runs": [{"name": "build", "status": "completed", "conclusion": "success"}]}"#)
        let merged = try capstan(["pr", "merge", "1", "--wait", "10"] + flags)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try released(bare))
    }
}
