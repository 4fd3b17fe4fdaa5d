/// Judges a Flux Kustomization or HelmRelease against the merge commit. Rolled out means:
/// the controller has observed the current generation, `Ready=True`, and the revision it
/// applied (the origin revision for ExternalArtifacts) is the merge or a descendant.
/// `Stalled=True`, or `Ready=False` with a reason the controller will not recover from by
/// itself while attempting the merge, is a failure with the controller's message.
public struct FluxRolloutJudge: Sendable {
    public let target: String
    public let relating: CommitRelating

    /// Ready=False reasons that end a rollout when they are about the merge's revision:
    /// kustomize-controller's and helm-controller's failure reasons (a rollback or
    /// uninstall means the release is not what was merged).
    public static let terminalReasons: Set<String> = [
        "HealthCheckFailed", "BuildFailed", "ReconciliationFailed", "PruneFailed",
        "TestFailed", "RollbackSucceeded", "UninstallSucceeded", "RetriesExceeded",
    ]

    public init(target: String, relating: @escaping CommitRelating) {
        self.target = target.lowercased()
        self.relating = relating
    }

    public func judge(_ object: FluxObject) -> AppVerdict {
        let status = object.status
        let ready = object.condition("Ready")
        let appliedText = status?.lastAppliedOriginRevision ?? status?.lastAppliedRevision ?? status?.history?.first?.chartVersion
        let attemptedText = status?.lastAttemptedRevision
        let applied = relation(appliedText)
        let attempted = relation(attemptedText) ?? applied
        var verdict = AppVerdict(phase: .waiting, revision: appliedText ?? attemptedText, relation: applied ?? relation(attemptedText),
                                 ready: ready.map { "\($0.status)" + ($0.reason.map { " (\($0))" } ?? "") })
        if let message = ready?.message, ready?.status != "True" { verdict.messages.append(message) }

        if let generation = object.metadata?.generation, (status?.observedGeneration ?? -1) < generation {
            verdict.messages.append("generation \(generation) not yet observed by the controller")
            return verdict
        }
        if let stalled = object.condition("Stalled"), stalled.status == "True" {
            verdict.phase = .failed
            verdict.messages = ["Stalled (\(stalled.reason ?? "")): \(stalled.message ?? "")"]
            return verdict
        }
        guard let ready else { return verdict }
        if ready.status == "False", let reason = ready.reason, Self.terminalReasons.contains(reason),
           attempted.map({ $0.includesTarget || $0 == .unknown }) ?? true {
            // The attempt is ours, or names no commit capstan can place (a chart from a Helm
            // repository, an ExternalArtifact's content digest).
            verdict.phase = .failed
            verdict.relation = attempted
            return verdict
        }
        guard ready.status == "True" else { return verdict }
        switch applied {
        case .some(let relation) where relation.includesTarget:
            verdict.phase = .rolledOut
        case .none:
            // A chart from a Helm repository: no commit to pin; ready at the current generation.
            verdict.phase = .rolledOut
            verdict.messages.append("the applied revision names no commit; judged by generation")
        default:
            break
        }
        return verdict
    }

    private func relation(_ text: String?) -> CommitRelation? {
        guard let text, let revision = FluxRevision(text) else { return nil }
        return revision.relation(to: target, relating: relating)
    }
}
