import CapstanTestSupport
import Foundation
import Testing

/// `capstan wait --revert-on-failure` end to end: an update merged through the test forge
/// degrades on the loopback Argo CD; the revert PR is opened, merged, rolls out, and main's
/// tree is byte for byte what it was before the update.
@Suite struct WaitRevertTests {
    static let token = "forge-tok-" + UUID().uuidString
    static let project = "acme/release"

    static func application(_ repoURL: String) -> String {
        ReconcilerManifests.argoApplication("checkout", repoURL: repoURL, path: "envs/checkout")
    }

    static let deployment = ReconcilerManifests.deployment("checkout", image: "ghcr.io/acme/checkout:1.4.2")

    func capstan(_ arguments: [String], environment: [String: String] = [:]) throws -> TestSupport.Result {
        try TestSupport.capstan(arguments, environment: ["FORGE_TOKEN": Self.token].merging(environment) { $1 })
    }

    @Test func aDegradedRolloutIsRevertedAndTheRevertRollsOut() throws {
        let root = try TestSupport.temporaryDirectory("wait-revert")
        defer { try? FileManager.default.removeItem(at: root) }
        let forge = try TestForge(kind: "github", root: root, token: Self.token)
        let bare = try forge.repository(Self.project, files: ["argocd/checkout.yaml": Self.application(forge.cloneURL(Self.project)),
                                                              "envs/checkout/deployment.yaml": Self.deployment])
        let forgeFlags = ["--repo", forge.cloneURL(Self.project), "--token-env", "FORGE_TOKEN", "--forge", "github",
                          "--forge-url", forge.apiRoot, "--project", Self.project]
        let treeBefore = try GitFixtures.git(["rev-parse", "main^{tree}"], in: bare).trimmingCharacters(in: .whitespacesAndNewlines)
        let before = try GitFixtures.git(["rev-parse", "main"], in: bare).trimmingCharacters(in: .whitespacesAndNewlines)

        let opened = try capstan(["update", "--branch", "capstan/checkout", "--set-image", "ghcr.io/acme/checkout:1.5.0", "--open-pr"]
                                 + forgeFlags)
        try #require(opened.status == 0, "\(opened.stderr)")
        let merged = try capstan(["pr", "merge", "1", "--allow-no-checks", "--poll-interval", "0.1"] + forgeFlags)
        try #require(merged.status == 0, "\(merged.stderr)")
        let merge = try GitFixtures.git(["rev-parse", "main"], in: bare).trimmingCharacters(in: .whitespacesAndNewlines)
        let clone = root.appendingPathComponent("work")
        _ = try GitFixtures.git(["clone", "-q", bare.path, clone.path])
        _ = try GitFixtures.git(["remote", "set-url", "origin", forge.cloneURL(Self.project)], in: clone)

        let argo = try ArgoServer(apps: ["checkout": .init(sequence: "degraded", merge: merge, old: before,
                                                            repo: forge.cloneURL(Self.project), follow: bare.path)])
        let waited = try capstan(["wait", "--pr", "1", "--repository", clone.path, "--argocd-server", argo.url,
                                  "--poll-interval", "1s", "--timeout", "30s", "--revert-on-failure", "--allow-no-checks",
                                  "--merge-wait", "20s", "--output", "json"] + forgeFlags,
                                 environment: ["ARGOCD_AUTH_TOKEN": argo.token])
        // The merge failed to roll out: 3, whatever the revert did.
        #expect(waited.status == 3, "\(waited.stderr)")
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(waited.stdout.utf8)) as? [String: Any], "\(waited.stdout)")
        #expect((outcome["rollout"] as? [String: Any])?["result"] as? String == "failed")
        let revert = try #require(outcome["revert"] as? [String: Any], "\(waited.stderr)")
        #expect((revert["pullRequest"] as? [String: Any])?["title"] as? String == "Revert \"Update checkout to 1.5.0\"")
        let revertSHA = try #require((revert["merged"] as? [String: Any])?["mergeSHA"] as? String, "\(revert)")
        let revertRollout = try #require(revert["rollout"] as? [String: Any])
        #expect(revertRollout["result"] as? String == "rolled-out")
        #expect(revertRollout["merge"] as? String == revertSHA)
        #expect(argo.log.last?["stage"] as? String == "followed-main")
        #expect(argo.refused.isEmpty, "\(argo.refused)")
        let treeAfter = try GitFixtures.git(["rev-parse", "main^{tree}"], in: bare).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(treeAfter == treeBefore)
        #expect(waited.stderr.contains("rollout failed: reverting \(merge.prefix(7))"))
    }
}
