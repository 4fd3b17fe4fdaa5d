import Foundation
import Reconcilers
import Testing

/// Argo CD Applications, as `ApplicationService_Get` returns them at each stage of a
/// rollout, judged against the merge commit.
@Suite struct ArgoRolloutJudgeTests {
    let merge = RevisionTests.merge
    let judge = ArgoRolloutJudge(target: RevisionTests.merge, relating: RevisionTests.relating,
                                 isReleaseRepository: { $0.contains("release") })

    func app(_ status: [String: Any], operation: [String: Any]? = nil, sources: [String]? = nil) throws -> ArgoApplication {
        var object: [String: Any] = ["metadata": ["name": "checkout"], "status": status]
        if let operation { object["operation"] = operation }
        if let sources { object["spec"] = ["sources": sources.map { ["repoURL": $0] }] } else {
            object["spec"] = ["source": ["repoURL": "https://git.example.com/acme/release.git"]]
        }
        return try ArgoApplication(json: JSONSerialization.data(withJSONObject: object))
    }

    func status(revision: String, sync: String = "Synced", health: String = "Healthy", phase: String? = "Succeeded",
                operationRevision: String? = nil, finished: String = "2026-12-03T10:00:00Z",
                reconciled: String = "2026-12-03T10:00:05Z") -> [String: Any] {
        var status: [String: Any] = ["sync": ["status": sync, "revision": revision], "health": ["status": health],
                                     "reconciledAt": reconciled]
        if let phase {
            status["operationState"] = ["phase": phase, "message": "successfully synced (all tasks run)", "finishedAt": finished,
                                        "startedAt": "2026-12-03T09:59:00Z",
                                        "syncResult": ["revision": operationRevision ?? revision]]
        }
        return status
    }

    @Test func healthyAtThePreviousRevisionIsNotRolledOut() throws {
        // The trap `argocd app wait --health` falls into: Synced and Healthy, but at the old commit.
        let verdict = judge.judge(try app(status(revision: RevisionTests.earlier)))
        #expect(verdict.phase == .waiting)
        #expect(verdict.relation == .ancestor)
    }

    @Test func syncedAndHealthyAtTheMergeIsRolledOut() throws {
        let verdict = judge.judge(try app(status(revision: merge)))
        #expect(verdict.phase == .rolledOut)
        #expect(verdict.relation == .target)
    }

    @Test func aDescendantOfTheMergeCounts() throws {
        #expect(judge.judge(try app(status(revision: RevisionTests.later))).phase == .rolledOut)
    }

    @Test func outOfSyncAtTheMergeWaits() throws {
        #expect(judge.judge(try app(status(revision: merge, sync: "OutOfSync", phase: nil))).phase == .waiting)
    }

    @Test func aRunningOperationWaitsEvenWhenHealthy() throws {
        #expect(judge.judge(try app(status(revision: merge, phase: "Running"))).phase == .waiting)
    }

    @Test func aRequestedOperationNotStartedWaits() throws {
        let verdict = judge.judge(try app(status(revision: merge), operation: ["sync": ["revision": merge]]))
        #expect(verdict.phase == .waiting)
    }

    @Test func healthNotReassessedSinceTheSyncFinishedWaits() throws {
        let verdict = judge.judge(try app(status(revision: merge, reconciled: "2026-12-03T09:59:30Z")))
        #expect(verdict.phase == .waiting)
        #expect(verdict.messages.contains("health not assessed since the sync finished"))
    }

    @Test func progressingWaits() throws {
        #expect(judge.judge(try app(status(revision: merge, health: "Progressing"))).phase == .waiting)
    }

    @Test func degradedAtTheMergeFailsWithTheUnhealthyResources() throws {
        var status = status(revision: merge, health: "Degraded")
        status["health"] = ["status": "Degraded", "message": "Deployment checkout exceeded its progress deadline"]
        status["resources"] = [["kind": "Deployment", "namespace": "shop", "name": "checkout",
                                "health": ["status": "Degraded", "message": "Deployment \"checkout\" exceeded its progress deadline"]],
                               ["kind": "Service", "namespace": "shop", "name": "checkout", "health": ["status": "Healthy"]]]
        let verdict = judge.judge(try app(status))
        #expect(verdict.phase == .failed)
        #expect(verdict.messages == ["Deployment checkout exceeded its progress deadline",
                                     "Deployment shop/checkout: Degraded: Deployment \"checkout\" exceeded its progress deadline"])
    }

    @Test func degradedAtThePreviousRevisionIsNotOurFailure() throws {
        #expect(judge.judge(try app(status(revision: RevisionTests.earlier, health: "Degraded"))).phase == .waiting)
    }

    @Test func aFailedOperationForTheMergeFailsWithItsMessages() throws {
        var status = status(revision: RevisionTests.earlier, sync: "OutOfSync", health: "Healthy", phase: "Failed", operationRevision: merge)
        status["operationState"] = ["phase": "Failed", "message": "one or more objects failed to apply",
                                    "syncResult": ["revision": merge, "resources": [
                                        ["kind": "Deployment", "namespace": "shop", "name": "checkout", "status": "SyncFailed",
                                         "message": "Deployment.apps \"checkout\" is invalid: spec.replicas: Invalid value: -1"]]]]
        let verdict = judge.judge(try app(status))
        #expect(verdict.phase == .failed)
        #expect(verdict.messages == ["one or more objects failed to apply",
                                     "Deployment shop/checkout: Deployment.apps \"checkout\" is invalid: spec.replicas: Invalid value: -1"])
    }

    @Test func aFailedOperationForAnEarlierRevisionIsNotOurs() throws {
        let verdict = judge.judge(try app(status(revision: RevisionTests.earlier, phase: "Failed")))
        #expect(verdict.phase == .waiting)
    }

    @Test func anUnrelatedRevisionIsReportedAsSuch() throws {
        #expect(judge.judge(try app(status(revision: RevisionTests.other))).relation == .unrelated)
    }

    @Test func multiSourceNeedsEverySourceFromTheReleaseRepository() throws {
        let sources = ["https://charts.example.com", "https://git.example.com/acme/release.git", "https://git.example.com/acme/release.git"]
        var status = status(revision: "")
        status["sync"] = ["status": "Synced", "revisions": ["4.2.0", merge, RevisionTests.earlier]]
        let waiting = judge.judge(try app(status, sources: sources))
        #expect(waiting.phase == .waiting)
        #expect(waiting.relation == .ancestor)
        status["sync"] = ["status": "Synced", "revisions": ["4.2.0", merge, RevisionTests.later]]
        status["operationState"] = ["phase": "Succeeded", "finishedAt": "2026-12-03T10:00:00Z",
                                    "syncResult": ["revisions": ["4.2.0", merge, RevisionTests.later]]]
        let done = judge.judge(try app(status, sources: sources))
        #expect(done.phase == .rolledOut)
        #expect(done.revision == "4.2.0,\(merge),\(RevisionTests.later)")
    }
}
