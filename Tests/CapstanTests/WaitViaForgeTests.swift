import CapstanTestSupport
import Foundation
import Forges
import Steps
import Testing

/// `capstan wait --via forge`: Flux apps judged from the commit statuses Flux's
/// notification-controller posts on the merge commit (here posted to the test forge the
/// way notification-controller's git providers do), for clusters the pipeline cannot reach.
@Suite struct WaitViaForgeTests {
    static let token = "forge-tok-" + UUID().uuidString
    static let project = "acme/release"

    static let kustomization = ReconcilerManifests.fluxKustomization("apps", path: "./envs/apps")

    static let deployment = ReconcilerManifests.deployment("checkout", image: "ghcr.io/acme/checkout:1.4.2")

    /// A merged update on a forge of `kind`; returns the forge, the merge commit and a clone.
    func mergedUpdate(_ kind: String, pageSize: Int? = nil) throws -> (TestForge, String, URL, [String]) {
        let root = try TestSupport.temporaryDirectory("wait-forge-\(kind)")
        let forge = try TestForge(kind: kind, root: root, token: Self.token, pageSize: pageSize)
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

    /// A script that posts statuses on `sha` as notification-controller's provider for the
    /// forge does (internal/notifier/{github,gitea,gitlab,bitbucket,bitbucketserver,azure_devops}.go),
    /// `delay` seconds before each: one per kustomize-controller event (severity, reason) about
    /// Kustomization flux-system/apps. The status id is `kustomization/apps/<Provider UID's first
    /// group>`; the description the event's reason, split and lower-cased; info is success.
    func poster(_ forge: TestForge, sha: String, _ events: [(severity: String, reason: String)], delay: Double,
                object: String = "apps") -> [String] {
        let posts = events.map { "time.sleep(\(delay)); post(\(String(reflecting: $0.severity)), \(String(reflecting: $0.reason)))" }
        return ["python3", "-c", """
            import base64, hashlib, json, re, time, urllib.request
            KIND, BASE, TOKEN, SHA = \(String(reflecting: forge.kind)), \(String(reflecting: forge.webURL)), \(String(reflecting: Self.token)), \(String(reflecting: sha))
            IDENT, NAME = "kustomization/\(object)/0c9c2e41", "kustomization/\(object)"
            def post(severity, reason):
                desc = " ".join(re.findall(r"[A-Z][a-z]*|[a-z]+|[0-9]+", reason)).lower()
                ok = severity == "info"
                key = hashlib.sha1(IDENT.encode()).hexdigest()
                bearer = {"Authorization": "Bearer " + TOKEN}
                if KIND in ("github", "gitea"):
                    url = f"{BASE}/api/{'v3' if KIND == 'github' else 'v1'}/repos/acme/release/statuses/{SHA}"
                    body, headers = {"state": "success" if ok else "failure", "context": IDENT, "description": desc}, {"Authorization": "token " + TOKEN}
                elif KIND == "gitlab":
                    url = f"{BASE}/api/v4/projects/acme%2Frelease/statuses/{SHA}"
                    body, headers = {"state": "success" if ok else "failed", "name": IDENT, "description": desc}, {"PRIVATE-TOKEN": TOKEN}
                elif KIND == "bitbucket-cloud":
                    url = f"{BASE}/2.0/repositories/acme/release/commit/{SHA}/statuses/build"
                    body, headers = {"type": "commitstatus", "state": "SUCCESSFUL" if ok else "FAILED", "key": key, "name": NAME,
                                     "description": desc, "url": "https://bitbucket.org"}, bearer
                elif KIND == "bitbucket-datacenter":
                    url = f"{BASE}/rest/api/latest/projects/acme/repos/release/commits/{SHA}/builds"
                    body, headers = {"state": "SUCCESSFUL" if ok else "FAILED", "key": key, "name": f"{NAME} [{desc}]", "description": desc,
                                     "url": url}, bearer
                else:
                    url = f"{BASE}/acme/platform/_apis/git/repositories/release/commits/{SHA}/statuses?api-version=7.1"
                    body = {"state": "succeeded" if ok else "error", "description": desc, "context": {"genre": "fluxcd", "name": IDENT}}
                    headers = {"Authorization": "Basic " + base64.b64encode((":" + TOKEN).encode()).decode()}
                request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                                 headers=dict(headers, **{"Content-Type": "application/json"}))
                urllib.request.urlopen(request).read()
            \(posts.joined(separator: "\n"))
            """]
    }

    func wait(_ forge: TestForge, clone: URL, flags: [String]) throws -> TestSupport.Result {
        try TestSupport.capstan(["wait", "--pr", "1", "--via", "forge", "--repository", clone.path, "--poll-interval", "1s",
                                 "--timeout", "20s", "--output", "json"] + flags, environment: ["FORGE_TOKEN": Self.token])
    }

    static let kinds = ["github", "gitea", "gitlab", "bitbucket-cloud", "bitbucket-datacenter", "azure-devops"]

    /// kustomize-controller emits its DependencyNotReady event as info (a success status),
    /// and its last one, after the health checks, with Ready's reason ReconciliationSucceeded.
    @Test(arguments: kinds)
    func aSuccessCountsOnlyWhenItsReasonSaysTheReconciliationSucceeded(kind: String) throws {
        let (forge, merge, clone, flags) = try mergedUpdate(kind)
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let posting = try ChildProcess.spawn("/usr/bin/env", poster(forge, sha: merge, [
            ("info", "DependencyNotReady"), ("info", "ReconciliationSucceeded"),
        ], delay: 2), environment: ["PATH": "/usr/bin:/bin"])
        defer { posting.wait() }
        let result = try wait(forge, clone: clone, flags: flags)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("flux-kustomization flux-system/apps: waiting"), "\(result.stderr)")
        #expect(result.stderr.contains("dependency not ready"), "\(result.stderr)")
        #expect(result.stderr.contains("flux-kustomization flux-system/apps: rolled-out"), "\(result.stderr)")
        let check = try forge.checkAgainstSpecs()
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test(arguments: kinds)
    func aFailureStatusFailsWithFluxsReason(kind: String) throws {
        let (forge, merge, clone, flags) = try mergedUpdate(kind)
        defer { try? FileManager.default.removeItem(at: forge.root) }
        let posting = try ChildProcess.spawn("/usr/bin/env", poster(forge, sha: merge, [("error", "HealthCheckFailed")], delay: 0),
                                             environment: ["PATH": "/usr/bin:/bin"])
        posting.wait()
        let result = try wait(forge, clone: clone, flags: flags)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout.contains("health check failed"), "\(result.stdout)")
    }

    /// The forge pages a commit's statuses: the app's red status on page 2 (behind another
    /// object's newer one) is read, not waited for until the timeout as if never posted.
    @Test(arguments: ["github", "gitea", "gitlab"])
    func aStatusOnALaterPageIsRead(kind: String) throws {
        let (forge, merge, clone, flags) = try mergedUpdate(kind, pageSize: 1)
        defer { try? FileManager.default.removeItem(at: forge.root) }
        for (object, event) in [("infra", ("info", "ReconciliationSucceeded")), ("apps", ("error", "HealthCheckFailed")),
                                ("infra", ("info", "ReconciliationSucceeded"))] {
            let posting = try ChildProcess.spawn("/usr/bin/env", poster(forge, sha: merge, [event], delay: 0, object: object),
                                                 environment: ["PATH": "/usr/bin:/bin"])
            posting.wait()
        }
        let result = try wait(forge, clone: clone, flags: flags)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stdout.contains("health check failed"), "\(result.stdout)")
    }

    /// Data Center's build statuses are read beside its repository API: a refusal names
    /// the resource that refused, and what reading it needs.
    @Test func aRefusedBuildStatusReadNamesItsOwnPath() throws {
        let (forge, merge, clone, flags) = try mergedUpdate("bitbucket-datacenter")
        defer { try? FileManager.default.removeItem(at: forge.root) }
        try forge.inject(#"{"match": "build-status/latest/commits", "status": 403, "body": {"errors": [{"message": "You are not permitted to access this resource"}]}}"#)
        let result = try wait(forge, clone: clone, flags: flags)
        #expect(![0, 3].contains(result.status), "\(result.stderr)")
        #expect(result.stderr.contains("You are not permitted to access this resource"), "\(result.stderr)")
        #expect(result.stderr.contains("/rest/build-status/latest/commits/\(merge)"), "\(result.stderr)")
        #expect(result.stderr.contains("REPO_READ") && !result.stderr.contains("write"), "\(result.stderr)")
    }

    static func status(_ state: CommitStatus.State, _ context: String, _ description: String, genre: String? = nil) -> CommitStatus {
        CommitStatus(state: state, context: context, description: description, genre: genre)
    }

    static let apps = WaitTarget(kind: .fluxKustomization, name: "apps", namespace: "flux-system")

    /// helm-controller's rollback and uninstall remediations are info events (success
    /// statuses), but the merged release is gone.
    @Test func aRemediationIsAFailureThoughPostedAsSuccess() {
        let web = WaitTarget(kind: .fluxHelmRelease, name: "web", namespace: "shop")
        let verdict = FluxCommitStatusJudge.judge(web, statuses: [Self.status(.success, "helmrelease/web/0c9c2e41", "rollback succeeded")])
        #expect(verdict.phase == .failed)
    }

    /// An object on two clusters has two notification-controllers posting, each with its
    /// own Provider UID in the status id: both must say ready.
    @Test func onEveryClusterItIsWaitedForItMustHaveReported() {
        let staging = Self.status(.success, "kustomization/apps/0c9c2e41", "reconciliation succeeded")
        let production = Self.status(.success, "kustomization/apps/7d1e5b20", "reconciliation succeeded")
        #expect(FluxCommitStatusJudge.judge(Self.apps, statuses: [staging], clusters: 2).phase == .waiting)
        #expect(FluxCommitStatusJudge.judge(Self.apps, statuses: [staging, production], clusters: 2).phase == .rolledOut)
    }

    /// Only notification-controller's statuses about this object count: not another object
    /// whose name starts alike, not another poster's genre on Azure DevOps.
    @Test func onlyTheObjectsOwnStatusesCount() {
        let others = [Self.status(.success, "kustomization/apps-extra/0c9c2e41", "reconciliation succeeded"),
                      Self.status(.success, "kustomization/apps/0c9c2e41", "reconciliation succeeded", genre: "ci")]
        #expect(FluxCommitStatusJudge.judge(Self.apps, statuses: others).phase == .waiting)
        let dataCenter = Self.status(.success, "kustomization/apps [reconciliation succeeded]", "reconciliation succeeded")
        #expect(FluxCommitStatusJudge.judge(Self.apps, statuses: [dataCenter]).phase == .rolledOut)
    }
}
