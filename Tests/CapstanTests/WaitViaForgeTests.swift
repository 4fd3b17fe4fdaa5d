import CapstanTestSupport
import Foundation
import Testing

/// `capstan wait --via forge`: Flux apps judged from the commit statuses Flux's
/// notification-controller posts on the merge commit (here posted to the test forge the
/// way notification-controller's github, gitea and gitlab providers do), for clusters the
/// pipeline cannot reach.
@Suite struct WaitViaForgeTests {
    static let token = "forge-tok-" + UUID().uuidString
    static let project = "acme/release"

    static let kustomization = """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: apps
          namespace: flux-system
        spec:
          interval: 10m
          path: ./envs/apps
          prune: true
          sourceRef:
            kind: GitRepository
            name: flux-system

        """

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: checkout
          namespace: shop
        spec:
          template:
            spec:
              containers:
                - name: checkout
                  image: ghcr.io/acme/checkout:1.4.2

        """

    /// A merged update on a forge of `kind`; returns the forge, the merge commit and a clone.
    func mergedUpdate(_ kind: String) throws -> (TestForge, String, URL, [String]) {
        let root = try TestSupport.temporaryDirectory("wait-forge-\(kind)")
        let forge = try TestForge(kind: kind, root: root, token: Self.token)
        let bare = try forge.repository(Self.project, files: ["clusters/prod/apps.yaml": Self.kustomization,
                                                              "envs/apps/deployment.yaml": Self.deployment])
        let flags = ["--repo", forge.cloneURL(Self.project), "--token-env", "FORGE_TOKEN", "--forge", kind,
                     "--forge-url", forge.apiRoot, "--project", Self.project]
        let environment = ["FORGE_TOKEN": Self.token]
        let opened = try TestSupport.capstan(["update", "--branch", "capstan/checkout", "--set-image", "ghcr.io/acme/checkout:1.5.0",
                                              "--open-pr"] + flags, environment: environment)
        try #require(opened.status == 0, "\(opened.stderr)")
        let merged = try TestSupport.capstan(["pr", "merge", "1", "--allow-no-checks", "--poll-interval", "0.1"] + flags, environment: environment)
        try #require(merged.status == 0, "\(merged.stderr)")
        let merge = try GitFixtures.git(["rev-parse", "main"], in: bare).trimmingCharacters(in: .whitespacesAndNewlines)
        let clone = root.appendingPathComponent("work")
        _ = try GitFixtures.git(["clone", "-q", bare.path, clone.path])
        return (forge, merge, clone, flags)
    }

    /// A script that posts statuses on `sha` as notification-controller does, after `delay` seconds each.
    func poster(_ forge: TestForge, sha: String, _ statuses: [(state: String, description: String)], delay: Double) -> [String] {
        let base = forge.kind == "gitlab" ? "\(forge.webURL)/api/v4/projects/acme%2Frelease/statuses/\(sha)"
            : "\(forge.webURL)/api/\(forge.kind == "github" ? "v3" : "v1")/repos/\(Self.project)/statuses/\(sha)"
        let header = forge.kind == "gitlab" ? "PRIVATE-TOKEN" : "Authorization"
        let value = forge.kind == "gitlab" ? Self.token : "token \(Self.token)"
        let posts = statuses.map { status -> String in
            let state = forge.kind == "gitlab" && status.state == "failure" ? "failed" : status.state
            // notification-controller names the status <kind>/<name>/<provider hash> (gitlab: `name`).
            let body = ["state": state, "context": "kustomization/apps/0c9c2e41", "name": "kustomization/apps/0c9c2e41",
                        "description": status.description]
            let json = String(decoding: (try? JSONSerialization.data(withJSONObject: body)) ?? Data(), as: UTF8.self)
            return "time.sleep(\(delay)); post(\(String(reflecting: json)))"
        }
        return ["python3", "-c", """
            import time, urllib.request
            def post(body):
                request = urllib.request.Request(\(String(reflecting: base)), data=body.encode(), method="POST",
                                                 headers={"Content-Type": "application/json", \(String(reflecting: header)): \(String(reflecting: value))})
                urllib.request.urlopen(request).read()
            \(posts.joined(separator: "\n"))
            """]
    }

    func wait(_ forge: TestForge, clone: URL, flags: [String]) throws -> TestSupport.Result {
        try TestSupport.capstan(["wait", "--pr", "1", "--via", "forge", "--repository", clone.path, "--poll-interval", "1s",
                                 "--timeout", "20s", "--output", "json"] + flags, environment: ["FORGE_TOKEN": Self.token])
    }

    @Test(arguments: ["github", "gitea", "gitlab"])
    func anAppliedStatusIsNotEnoughAFinishedReconciliationIs(kind: String) throws {
        let (forge, merge, clone, flags) = try mergedUpdate(kind)
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let posting = try ChildProcess.spawn("/usr/bin/env", poster(forge, sha: merge, [
            ("success", "Deployment/shop/checkout configured"),
            ("success", "Reconciliation finished in 2s, next run in 10m0s"),
        ], delay: 2), environment: ["PATH": "/usr/bin:/bin"])
        defer { posting.wait() }
        let result = try wait(forge, clone: clone, flags: flags)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("flux-kustomization flux-system/apps: waiting"), "\(result.stderr)")
        #expect(result.stderr.contains("Deployment/shop/checkout configured"), "\(result.stderr)")
        #expect(result.stderr.contains("flux-kustomization flux-system/apps: rolled-out"), "\(result.stderr)")
    }

    @Test(arguments: ["github", "gitlab"])
    func aFailureStatusFailsWithFluxsMessage(kind: String) throws {
        let (forge, merge, clone, flags) = try mergedUpdate(kind)
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let posting = try ChildProcess.spawn("/usr/bin/env", poster(forge, sha: merge, [
            ("failure", "health check failed after 30s: timeout waiting for: [Deployment/shop/checkout status: 'InProgress']"),
        ], delay: 0), environment: ["PATH": "/usr/bin:/bin"])
        posting.wait()
        let result = try wait(forge, clone: clone, flags: flags)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout.contains("health check failed after 30s"), "\(result.stdout)")
    }
}
