import Foundation

/// Judges an Argo CD Application against the merge commit. Rolled out means: every
/// revision it syncs from the release repository (each source of a multi-source app) is
/// the merge or a descendant, it is Synced, no operation is pending or running, the last
/// operation for that revision did not fail, the app was reconciled after that operation
/// finished, and health is Healthy. `argocd app wait --health` checks only the last two, so
/// it goes green on the previous revision before Argo CD has seen the merge.
public struct ArgoRolloutJudge: Sendable {
    public let target: String
    public let relating: CommitRelating
    /// Whether a source's repoURL is the release repository (other sources, such as charts
    /// from a Helm repository, carry revisions that are not ours).
    public let isReleaseRepository: @Sendable (String) -> Bool

    public init(target: String, relating: @escaping CommitRelating, isReleaseRepository: @escaping @Sendable (String) -> Bool = { _ in true }) {
        self.target = target.lowercased()
        self.relating = relating
        self.isReleaseRepository = isReleaseRepository
    }

    public func judge(_ app: ArgoApplication) -> AppVerdict {
        let status = app.status
        let sync = status?.sync
        let sources = sourceURLs(app)
        let seen = sync?.revisions.flatMap { $0.isEmpty ? nil : $0 } ?? sync?.revision.map { [$0] } ?? []
        let relation = combinedRelation(seen, sources: sources)
        let state = status?.operationState
        var verdict = AppVerdict(phase: .waiting, revision: seen.isEmpty ? nil : seen.joined(separator: ","), relation: relation,
                                 sync: sync?.status, operation: state?.phase, health: status?.health?.status)
        verdict.messages = conditionMessages(status?.conditions)

        let operationRevisions = state.map(operationRevisions) ?? []
        let operationRelation = combinedRelation(operationRevisions, sources: sources)
        if app.operation != nil {
            verdict.messages.append("an operation is requested and not yet started")
            return verdict
        }
        if let phase = state?.phase, phase == "Running" || phase == "Terminating" {
            return verdict
        }
        if let phase = state?.phase, phase == "Failed" || phase == "Error", operationRelation?.includesTarget == true {
            verdict.phase = .failed
            verdict.messages = [state?.message].compactMap { $0 } + failedResults(state?.syncResult?.resources) + verdict.messages
            return verdict
        }
        guard relation?.includesTarget == true else { return verdict }
        guard sync?.status == "Synced" else { return verdict }
        if operationRelation?.includesTarget == true, !reconciled(status?.reconciledAt, after: state?.finishedAt) {
            verdict.messages.append("health not assessed since the sync finished")
            return verdict
        }
        switch status?.health?.status {
        case "Healthy":
            verdict.phase = .rolledOut
        case "Degraded":
            verdict.phase = .failed
            verdict.messages = [status?.health?.message].compactMap { $0 } + unhealthyResources(status?.resources) + verdict.messages
        default:
            break
        }
        return verdict
    }

    /// The repoURL of each source, by position (the comparison's, else the spec's).
    private func sourceURLs(_ app: ArgoApplication) -> [String?] {
        if let sources = app.status?.sync?.comparedTo?.sources ?? app.spec?.sources, !sources.isEmpty {
            return sources.map(\.repoURL)
        }
        return [app.status?.sync?.comparedTo?.source?.repoURL ?? app.spec?.source?.repoURL]
    }

    private func operationRevisions(_ state: ArgoApplication.OperationState) -> [String] {
        if let revisions = state.syncResult?.revisions, !revisions.isEmpty { return revisions }
        if let revision = state.syncResult?.revision { return [revision] }
        if let revisions = state.operation?.sync?.revisions, !revisions.isEmpty { return revisions }
        return state.operation?.sync?.revision.map { [$0] } ?? []
    }

    /// The least advanced relation over the revisions from the release repository: every
    /// source must have the merge. Nil when no revision names one of our commits.
    func combinedRelation(_ revisions: [String], sources: [String?]) -> CommitRelation? {
        var relations: [CommitRelation] = []
        for (index, revision) in revisions.enumerated() {
            let url = index < sources.count ? sources[index] : nil
            if let url, !isReleaseRepository(url) { continue }
            // Chart versions and tags of other sources are not commits of ours.
            guard let sha = CommitSHA.full(revision) else { continue }
            relations.append(sha == target ? .target : relating(sha))
        }
        guard !relations.isEmpty else { return nil }
        for worst in [CommitRelation.unrelated, .unknown, .ancestor, .descendant] where relations.contains(worst) {
            return worst
        }
        return .target
    }

    private func reconciled(_ reconciledAt: String?, after finishedAt: String?) -> Bool {
        guard let finishedAt, let finished = Self.date(finishedAt) else { return true }
        guard let reconciledAt, let reconciled = Self.date(reconciledAt) else { return false }
        return reconciled >= finished
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    private func conditionMessages(_ conditions: [ArgoApplication.Condition]?) -> [String] {
        (conditions ?? []).compactMap { condition in
            guard let type = condition.type, type.hasSuffix("Error") || type.hasSuffix("Warning") else { return nil }
            return "\(type): \(condition.message ?? "")"
        }
    }

    private func failedResults(_ results: [ArgoApplication.ResourceResult]?) -> [String] {
        (results ?? []).compactMap { result in
            let failed = result.status == "SyncFailed" || result.hookPhase == "Failed" || result.hookPhase == "Error"
            guard failed else { return nil }
            return "\(Self.name(result.kind, result.namespace, result.name)): \(result.message ?? result.status ?? "failed")"
        }
    }

    private func unhealthyResources(_ resources: [ArgoApplication.Resource]?) -> [String] {
        (resources ?? []).compactMap { resource in
            guard let health = resource.health?.status, health != "Healthy" else { return nil }
            return "\(Self.name(resource.kind, resource.namespace, resource.name)): \(health)" + (resource.health?.message.map { ": \($0)" } ?? "")
        }
    }

    static func name(_ kind: String?, _ namespace: String?, _ name: String?) -> String {
        "\(kind ?? "?") " + (namespace.map { "\($0)/" } ?? "") + (name ?? "?")
    }
}
