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
        #expect(verdict.messages == ["Stalled (RetriesExceeded): Failed to install after 1 attempt(s)"])
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
