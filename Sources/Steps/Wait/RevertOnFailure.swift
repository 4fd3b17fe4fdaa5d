import Forges

/// `--revert-on-failure`: after a rollout failed or timed out, the RevertPR step done in
/// one go: open (or find) the revert PR of the merged PR (or of the merge commit), merge
/// it once its checks are green, and wait for the revert to roll out to the same apps.
public struct RevertOnFailure: Sendable {
    public let revert: RevertPullRequestStep
    /// How the revert PR is merged (its checks waited for as `capstan pr merge` does).
    public let merging: @Sendable (_ number: Int) -> MergePullRequestStep

    public init(revert: RevertPullRequestStep, merging: @escaping @Sendable (_ number: Int) -> MergePullRequestStep) {
        self.revert = revert
        self.merging = merging
    }

    /// Each stage recorded as it finishes; a stage that fails stops the revert and says why.
    public func run(after outcome: WaitOutcome, waiting step: WaitStep, repositoryURLs: [String],
                    log: @Sendable (String) -> Void) async -> RevertStage {
        var stage = RevertStage()
        log("rollout \(outcome.rollout.result.rawValue): reverting \(outcome.rollout.merge.prefix(7))")
        do {
            let opened = try await revert.run(log: log)
            stage.pullRequest = opened
            let merged: PullRequestOutcome
            if opened.state == PullRequest.State.merged.rawValue {
                merged = opened
            } else {
                merged = try await merging(opened.number).run(log: log)
            }
            stage.merged = merged
            guard let sha = merged.mergeSHA else {
                stage.error = "the forge did not say which commit merged the revert PR"
                return stage
            }
            log("revert PR #\(merged.number) merged as \(sha.prefix(7)); waiting for it to roll out")
            let targets = outcome.rollout.apps.map(\.target)
            stage.rollout = try await step.watch(targets, merge: sha, repositoryURLs: repositoryURLs, log: log)
        } catch let error as PullRequestError {
            stage.error = error.description
        } catch {
            stage.error = "\(error)"
        }
        return stage
    }
}
