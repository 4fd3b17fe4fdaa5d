/// Judges a Flux Kustomization or HelmRelease against the merge commit. Rolled out means:
/// the controller has observed the current generation, `Ready=True`, and the revision it
/// applied (the origin revision for ExternalArtifacts) is the merge or a descendant.
/// A failure is a reason the controller will not recover from by itself while attempting
/// the merge (or a revision capstan cannot place), as kustomize-controller and
/// helm-controller write them; every other not-ready state is waited through, with the
/// controller's message, until the timeout.
public struct FluxRolloutJudge: Sendable {
    public let target: String
    public let relating: CommitRelating

    /// kustomize-controller's Ready=False reasons once it has fetched a revision: building,
    /// applying, pruning or health-checking that revision failed. It retries the same
    /// revision every retryInterval (Reconciling=ProgressingWithRetry), which fails the same way.
    public static let kustomizationFailures: Set<String> = ["HealthCheckFailed", "BuildFailed", "ReconciliationFailed", "PruneFailed"]

    /// helm-controller's Ready=False reasons for a release action that failed (or was
    /// remediated: a rollback or uninstall means the release is not what was merged). They
    /// end the rollout unless the controller retries (Reconciling=True, ProgressingWithRetry:
    /// remediation retries left); once retries run out it adds Stalled=RetriesExceeded.
    public static let releaseFailures: Set<String> = [
        "InstallFailed", "UpgradeFailed", "TestFailed", "RollbackSucceeded", "RollbackFailed", "UninstallSucceeded", "UninstallFailed",
    ]

    /// Every Ready=False reason that can end a rollout.
    public static var terminalReasons: Set<String> { kustomizationFailures.union(releaseFailures) }

    /// Reasons that say the controller has not got to the merge yet and retries by itself
    /// (DependencyNotReady, ArtifactFailed: the source or its artifact is not ready yet,
    /// HealthCheckCanceled: a newer revision arrived): waited through. Listed for the
    /// documentation and tests; any reason not terminal is waited through too.
    public static let transientReasons: Set<String> = [
        "Progressing", "ProgressingWithRetry", "DependencyNotReady", "ArtifactFailed", "HealthCheckCanceled",
    ]

    public init(target: String, relating: @escaping CommitRelating) {
        self.target = target.lowercased()
        self.relating = relating
    }

    public func judge(_ object: FluxObject) -> AppVerdict {
        let status = object.status
        let ready = object.condition("Ready")
        // An OCI chart's version carries its digest, not a commit (lastAttemptedRevisionDigest, ociDigest).
        let chartDigests = status?.lastAttemptedRevisionDigest != nil || status?.history?.first?.ociDigest != nil
        let appliedText = status?.lastAppliedOriginRevision ?? status?.lastAppliedRevision ?? status?.history?.first?.chartVersion
        let attemptedText = status?.lastAttemptedRevision
        let applied = chartDigests && status?.lastAppliedRevision == nil ? nil : relation(appliedText)
        let attemptedOwn = chartDigests ? nil : relation(attemptedText)
        let attempted = attemptedOwn ?? applied
        var verdict = AppVerdict(phase: .waiting, revision: appliedText ?? attemptedText, relation: applied ?? attemptedOwn,
                                 ready: ready.map { "\($0.status)" + ($0.reason.map { " (\($0))" } ?? "") })
        if let message = ready?.message, ready?.status != "True" { verdict.messages.append(message) }

        if let generation = object.metadata?.generation, (status?.observedGeneration ?? -1) < generation {
            verdict.messages.append("generation \(generation) not yet observed by the controller")
            return verdict
        }
        // The attempt is ours, or names no commit capstan can place (a chart from a Helm
        // repository, an artifact's content digest).
        let attemptIsOurs = attempted.map { $0.includesTarget || $0 == .unknown } ?? true
        if let stalled = object.condition("Stalled"), stalled.status == "True" {
            let words = "Stalled (\(stalled.reason ?? "")): \(stalled.message ?? "")"
            guard attemptIsOurs else {
                // helm-controller resets its failure count when the chart or values change: the merge gets its own attempts.
                verdict.messages = ["\(words), at \(attemptedText ?? "an earlier revision"); waiting for the controller to attempt the merge"]
                return verdict
            }
            verdict.phase = .failed
            verdict.revision = attemptedText ?? verdict.revision
            verdict.relation = attempted
            verdict.messages = [words] + (ready?.status == "False" ? [ready?.message].compactMap { $0 } : [])
            return verdict
        }
        guard let ready else { return verdict }
        if ready.status == "False", let reason = ready.reason, attemptIsOurs {
            if Self.kustomizationFailures.contains(reason) || Self.releaseFailures.contains(reason) && !retries(object) {
                verdict.phase = .failed
                verdict.revision = attemptedText ?? verdict.revision
                verdict.relation = attempted
                return verdict
            }
        }
        guard ready.status == "True" else { return verdict }
        switch applied {
        case .some(let relation) where relation.includesTarget:
            verdict.phase = .rolledOut
        case .none:
            // A chart from a Helm repository, an artifact without an origin revision: no
            // commit to pin; ready at the current generation.
            verdict.phase = .rolledOut
            verdict.messages.append("the applied revision names no commit; judged by generation")
        default:
            break
        }
        return verdict
    }

    /// helm-controller will try the release again by itself (remediation retries left).
    private func retries(_ object: FluxObject) -> Bool {
        guard let reconciling = object.condition("Reconciling") else { return false }
        return reconciling.status == "True" && reconciling.reason == "ProgressingWithRetry"
    }

    private func relation(_ text: String?) -> CommitRelation? {
        guard let text, let revision = FluxRevision(text) else { return nil }
        return revision.relation(to: target, relating: relating)
    }
}
