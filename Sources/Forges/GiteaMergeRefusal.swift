extension GiteaForge {
    /// Why a merge sent `accepting: [405, 409]` was refused, as `RepositoryPulls.refusal`
    /// reads it, with one answer said in full: Gitea and Forgejo refuse a PR that is not in a
    /// mergeable state (ErrNotMergeableState: conflicted, or its mergeability still being
    /// checked) with 405 "Please try again later", which alone says neither. Still exit 5
    /// (not mergeable), and not retried: a conflict would only be refused again.
    func refusal(in answer: HTTPAnswer, base: String) async -> MergeRefusal? {
        let refusal = await RepositoryPulls.refusal(in: answer, client: client)
        guard answer.status == 405, case let .notMergeable(words)? = refusal,
              words.lowercased().contains("please try again later") else { return refusal }
        return .notMergeable("\(name) has not found the PR mergeable: conflicts with \(base), or it is still checking — \(name) said: \(words)")
    }

    /// The forge's name as its users know it.
    private var name: String { kind == .forgejo ? "Forgejo" : "Gitea" }
}
