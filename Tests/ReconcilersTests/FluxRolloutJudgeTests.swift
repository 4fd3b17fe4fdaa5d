import Foundation
import Reconcilers
import Testing

/// Flux Kustomizations and HelmReleases as the Kubernetes API returns them, judged
/// against the merge commit.
@Suite struct FluxRolloutJudgeTests {
    let merge = RevisionTests.merge
    let judge = FluxRolloutJudge(target: RevisionTests.merge, relating: RevisionTests.relating)

    func object(generation: Int = 2, observed: Int = 2, conditions: [[String: Any]], status extra: [String: Any] = [:]) throws -> FluxObject {
        var status: [String: Any] = ["observedGeneration": observed, "conditions": conditions]
        status.merge(extra) { $1 }
        let object: [String: Any] = ["kind": "Kustomization", "metadata": ["name": "apps", "namespace": "flux-system", "generation": generation],
                                     "status": status]
        return try FluxObject(json: JSONSerialization.data(withJSONObject: object))
    }

    func ready(_ status: String, _ reason: String, _ message: String = "") -> [String: Any] {
        ["type": "Ready", "status": status, "reason": reason, "message": message]
    }

    @Test func readyAtTheMergeIsRolledOut() throws {
        let verdict = judge.judge(try object(conditions: [ready("True", "ReconciliationSucceeded", "Applied revision: main@sha1:\(merge)")],
                                             status: ["lastAppliedRevision": "main@sha1:\(merge)", "lastAttemptedRevision": "main@sha1:\(merge)"]))
        #expect(verdict.phase == .rolledOut)
        #expect(verdict.ready == "True (ReconciliationSucceeded)")
    }

    @Test func readyAtThePreviousRevisionWaits() throws {
        let verdict = judge.judge(try object(conditions: [ready("True", "ReconciliationSucceeded")],
                                             status: ["lastAppliedRevision": "main@sha1:\(RevisionTests.earlier)"]))
        #expect(verdict.phase == .waiting)
        #expect(verdict.relation == .ancestor)
    }

    @Test func anUnobservedGenerationWaitsEvenWhenReady() throws {
        let verdict = judge.judge(try object(generation: 3, observed: 2, conditions: [ready("True", "ReconciliationSucceeded")],
                                             status: ["lastAppliedRevision": "main@sha1:\(merge)"]))
        #expect(verdict.phase == .waiting)
    }

    @Test func progressingWaits() throws {
        let verdict = judge.judge(try object(conditions: [ready("Unknown", "Progressing", "Reconciliation in progress")],
                                             status: ["lastAppliedRevision": "main@sha1:\(RevisionTests.earlier)",
                                                      "lastAttemptedRevision": "main@sha1:\(merge)"]))
        #expect(verdict.phase == .waiting)
    }

    @Test func aFailedHealthCheckOnTheMergeFails() throws {
        let message = "health check failed after 2m0s: timeout waiting for: [Deployment/shop/checkout status: 'InProgress']"
        let verdict = judge.judge(try object(conditions: [ready("False", "HealthCheckFailed", message)],
                                             status: ["lastAppliedRevision": "main@sha1:\(RevisionTests.earlier)",
                                                      "lastAttemptedRevision": "main@sha1:\(merge)"]))
        #expect(verdict.phase == .failed)
        #expect(verdict.messages == [message])
    }

    @Test func aFailedHealthCheckOnAnEarlierRevisionWaits() throws {
        let verdict = judge.judge(try object(conditions: [ready("False", "HealthCheckFailed", "old failure")],
                                             status: ["lastAttemptedRevision": "main@sha1:\(RevisionTests.earlier)"]))
        #expect(verdict.phase == .waiting)
    }

    @Test func aDependencyNotReadyIsTransient() throws {
        let verdict = judge.judge(try object(conditions: [ready("False", "DependencyNotReady", "dependency 'flux-system/infra' is not ready")],
                                             status: ["lastAttemptedRevision": "main@sha1:\(merge)"]))
        #expect(verdict.phase == .waiting)
    }

    @Test func stalledFailsWithTheControllersMessage() throws {
        let verdict = judge.judge(try object(conditions: [ready("False", "InstallFailed", "Helm install failed"),
                                                          ["type": "Stalled", "status": "True", "reason": "RetriesExceeded",
                                                           "message": "Failed to install after 1 attempt(s)"]]))
        #expect(verdict.phase == .failed)
        #expect(verdict.messages == ["Stalled (RetriesExceeded): Failed to install after 1 attempt(s)", "Helm install failed"])
    }

    /// The HelmRelease of a chart built from the repository (reconcileStrategy Revision),
    /// as helm-controller writes it: chart version `<version>+<12 digits of the commit>`.
    func helmRelease(_ conditions: [[String: Any]], attempted: String, deployed: String) throws -> FluxObject {
        try object(conditions: conditions, status: ["lastAttemptedRevision": "0.3.1+\(attempted.prefix(12))",
                                                    "history": [["chartVersion": "0.3.1+\(deployed.prefix(12))", "status": "deployed"]]])
    }

    func reconciling(_ reason: String, _ message: String) -> [String: Any] {
        ["type": "Reconciling", "status": "True", "reason": reason, "message": message]
    }

    /// kustomize-controller's failures of the revision it fetched (fluxcd/pkg meta reasons):
    /// it retries the same revision, which fails the same way.
    @Test(arguments: [("BuildFailed", "kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'deploy.yaml'"),
                      ("ReconciliationFailed", "Deployment/shop/checkout dry-run failed: spec.replicas: Invalid value: -1"),
                      ("PruneFailed", "failed to delete ConfigMap/shop/old: forbidden"),
                      ("HealthCheckFailed", "health check failed after 5m0s: timeout waiting for: [Deployment/shop/checkout status: 'Failed']")])
    func aKustomizationFailureOfTheMergeFails(reason: String, message: String) throws {
        let verdict = judge.judge(try object(conditions: [ready("False", reason, message), reconciling("ProgressingWithRetry", "retrying")],
                                             status: ["lastAppliedRevision": "main@sha1:\(RevisionTests.earlier)",
                                                      "lastAttemptedRevision": "main@sha1:\(merge)"]))
        #expect(verdict.phase == .failed)
        #expect(verdict.messages == [message])
        // The failure is reported at the revision it is about, not the one still applied.
        #expect(verdict.revision == "main@sha1:\(merge)")
        #expect(verdict.relation == .target)
    }

    /// helm-controller's release failures once no retry is left (no Reconciling=ProgressingWithRetry).
    @Test(arguments: ["InstallFailed", "UpgradeFailed", "TestFailed", "RollbackSucceeded", "RollbackFailed", "UninstallSucceeded", "UninstallFailed"])
    func aHelmReleaseActionThatFailedOnTheMergeFails(reason: String) throws {
        let message = "Helm upgrade failed for release shop/checkout with chart checkout@0.3.1+\(merge.prefix(12)): context deadline exceeded"
        let verdict = judge.judge(try helmRelease([ready("False", reason, message)], attempted: merge, deployed: RevisionTests.earlier))
        #expect(verdict.phase == .failed)
        #expect(verdict.revision == "0.3.1+\(merge.prefix(12))")
        #expect(verdict.messages == [message])
    }

    /// With remediation retries left helm-controller tries again by itself (and resets its
    /// count for a new chart or values): not the end of the rollout.
    @Test(arguments: ["UpgradeFailed", "RollbackSucceeded"])
    func aHelmReleaseFailureThatTheControllerRetriesWaits(reason: String) throws {
        let message = "Helm upgrade failed for release shop/checkout with chart checkout@0.3.1+\(merge.prefix(12)): timed out"
        let verdict = judge.judge(try helmRelease([ready("False", reason, message), reconciling("ProgressingWithRetry", message)],
                                                  attempted: merge, deployed: RevisionTests.earlier))
        #expect(verdict.phase == .waiting)
        #expect(verdict.messages == [message])
    }

    /// Not there yet, and the controller retries by itself: the dependency, the source's
    /// artifact, a health check canceled by a newer revision. Waited through, even about the merge.
    @Test(arguments: [("DependencyNotReady", "dependency 'flux-system/infrastructure' is not ready"),
                      ("ArtifactFailed", "Source artifact not found, retrying in 30s"),
                      ("ArtifactFailed", "HelmChart 'flux-system/shop-checkout' is not ready: chart pull error"),
                      ("HealthCheckCanceled", "New reconciliation triggered by GitRepository/flux-system/flux-system"),
                      ("ProgressingWithRetry", "retrying after 2m0s")])
    func aTransientReasonWaits(reason: String, message: String) throws {
        #expect(FluxRolloutJudge.transientReasons.contains(reason))
        #expect(!FluxRolloutJudge.terminalReasons.contains(reason))
        let verdict = judge.judge(try object(conditions: [ready("False", reason, message)],
                                             status: ["lastAppliedRevision": "main@sha1:\(RevisionTests.earlier)",
                                                      "lastAttemptedRevision": "main@sha1:\(merge)"]))
        #expect(verdict.phase == .waiting)
        #expect(verdict.messages == [message])
    }

    /// Stalled on a revision before the merge: helm-controller resets its failure count
    /// when the chart or values change, so the merge (which may be the fix) gets its own try.
    @Test func stalledOnAnEarlierRevisionWaitsForTheMerge() throws {
        let verdict = judge.judge(try helmRelease([ready("False", "UpgradeFailed", "Helm upgrade failed"),
                                                   ["type": "Stalled", "status": "True", "reason": "RetriesExceeded",
                                                    "message": "Failed to upgrade after 1 attempt(s)"]],
                                                  attempted: RevisionTests.earlier, deployed: RevisionTests.earlier))
        #expect(verdict.phase == .waiting)
        #expect(verdict.messages.first?.hasPrefix("Stalled (RetriesExceeded): Failed to upgrade after 1 attempt(s), at 0.3.1+000000000000") == true)
    }

    /// An artifact's content digest (an OCIRepository or ExternalArtifact without an origin
    /// revision, an OCI chart's version) names no commit: judged by generation, never taken
    /// for a commit that cannot be placed.
    @Test func contentDigestsAreJudgedByGeneration() throws {
        let digest = String(repeating: "e", count: 64)
        let oci = judge.judge(try object(conditions: [ready("True", "ReconciliationSucceeded", "Applied revision: latest@sha256:\(digest)")],
                                         status: ["lastAppliedRevision": "latest@sha256:\(digest)", "lastAttemptedRevision": "latest@sha256:\(digest)"]))
        #expect(oci.phase == .rolledOut)
        #expect(oci.relation == nil)
        let chart = judge.judge(try object(conditions: [ready("True", "UpgradeSucceeded")],
                                           status: ["lastAttemptedRevision": "1.2.3+\(digest.prefix(12))",
                                                    "lastAttemptedRevisionDigest": "sha256:\(digest)",
                                                    "history": [["chartVersion": "1.2.3+\(digest.prefix(12))", "status": "deployed",
                                                                 "ociDigest": "sha256:\(digest)"]]]))
        #expect(chart.phase == .rolledOut)
        #expect(chart.relation == nil)
    }

    @Test func externalArtifactOriginRevisionIsWhatCounts() throws {
        let digest = String(repeating: "e", count: 64)
        let verdict = judge.judge(try object(conditions: [ready("True", "ReconciliationSucceeded")],
                                             status: ["lastAppliedRevision": "latest@sha256:\(digest)",
                                                      "lastAppliedOriginRevision": "main@sha1:\(merge)",
                                                      "lastAttemptedRevision": "latest@sha256:\(digest)"]))
        #expect(verdict.phase == .rolledOut)
        #expect(verdict.relation == .target)
    }

    @Test func helmReleaseChartFromTheRepositoryPinsByVersionMetadata() throws {
        let waiting = judge.judge(try object(conditions: [ready("True", "UpgradeSucceeded")],
                                             status: ["lastAttemptedRevision": "0.1.0+000000000000",
                                                      "history": [["chartVersion": "0.1.0+000000000000", "status": "deployed"]]]))
        #expect(waiting.phase == .waiting)
        let done = judge.judge(try object(conditions: [ready("True", "UpgradeSucceeded")],
                                          status: ["lastAttemptedRevision": "0.1.0+111111111111",
                                                   "history": [["chartVersion": "0.1.0+111111111111", "status": "deployed"]]]))
        #expect(done.phase == .rolledOut)
    }
}
