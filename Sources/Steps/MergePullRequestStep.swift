import Forges
import Foundation

/// MergePR: polls the PR (no faster than the floor interval) until the forge has computed
/// mergeability and the checks on the head are green, then merges pinned to the head SHA
/// it checked. A failing check stops at once; nothing is merged while checks fail.
public struct MergePullRequestStep: Sendable {
    public let forge: any Forge
    public let number: Int
    public let method: MergeMethod
    /// Longest time to wait for mergeability and checks, in seconds.
    public let wait: Double
    public let pollInterval: Double
    public let deleteBranch: Bool

    public init(forge: any Forge, number: Int, method: MergeMethod = .merge, wait: Double = 0, pollInterval: Double = 10,
                deleteBranch: Bool = false) {
        self.forge = forge
        self.number = number
        self.method = method
        self.wait = wait
        self.pollInterval = pollInterval
        self.deleteBranch = deleteBranch
    }

    public func run(log: @Sendable (String) -> Void = { _ in }) async throws(PullRequestError) -> PullRequestOutcome {
        if deleteBranch, !forge.canDeleteBranches, !forge.deletesBranchOnMerge {
            throw PullRequestError.usage("--delete-branch: this forge cannot delete branches through its API here; "
                + "merge without it and let the repository's auto-delete setting remove the branch")
        }
        let before = await forge.requestCount
        let started = ContinuousClock.now
        var polls = 0
        do {
            while true {
                let pullRequest = try await forge.pullRequest(number)
                guard pullRequest.state == .open else { throw PullRequestError.notOpen(number: number, state: pullRequest.state.rawValue) }
                let checks = try await forge.checks(of: pullRequest)
                if checks == .failure { throw PullRequestError.checksFailed(number: number, sha: pullRequest.headSHA) }
                let ready = pullRequest.mergeable == true && (checks == .success || checks == .none)
                if pullRequest.mergeable == false && checks != .pending {
                    throw PullRequestError.notMergeable(number: number, message: "the forge reports conflicts with \(pullRequest.base)")
                }
                let waited = Double((ContinuousClock.now - started).components.seconds)
                if ready {
                    log("PR #\(number): checks \(checks.rawValue), mergeable, on \(pullRequest.headSHA.prefix(7)) after \(Int(waited)) s; "
                        + "merging (\(method.rawValue)) pinned to that head")
                    return try await merge(pullRequest, before: before, polls: polls)
                }
                let reason = pullRequest.mergeable == nil ? "mergeability still being computed" : "checks \(checks.rawValue)"
                guard waited + pollInterval <= wait else {
                    // Checks are green but the forge has not said whether it can merge: let it
                    // decide, pinned to the head checked (it refuses conflicts itself).
                    if checks != .pending && pullRequest.mergeable == nil {
                        return try await merge(pullRequest, before: before, polls: polls)
                    }
                    throw PullRequestError.timedOut(number: number, waited: waited, last: reason)
                }
                log("PR #\(number): \(reason) on \(pullRequest.headSHA.prefix(7)); polling again in \(pollInterval) s")
                polls += 1
                try? await Task.sleep(for: .milliseconds(Int(pollInterval * 1000)))
            }
        } catch let error as PullRequestError {
            throw error
        } catch let error as ForgeError {
            throw .forge(error)
        } catch {
            throw .usage(String(describing: error))
        }
    }

    private func merge(_ pullRequest: PullRequest, before: Int, polls: Int) async throws -> PullRequestOutcome {
        // Where the merge itself can delete the branch, it does: no second request to fail.
        let deletedByMerge = deleteBranch && forge.deletesBranchOnMerge
        let result = try await forge.merge(pullRequest, sha: pullRequest.headSHA, method: method, message: nil, deletingBranch: deletedByMerge)
        switch result {
        case let .refused(.headMoved(message)):
            throw PullRequestError.headMoved(number: number, checked: pullRequest.headSHA, message: message)
        case let .refused(.notMergeable(message)):
            throw PullRequestError.notMergeable(number: number, message: message)
        case let .refused(.policy(message)):
            throw PullRequestError.policy(number: number, message: message)
        case let .merged(sha):
            var merged = pullRequest
            merged.state = .merged
            merged.mergeSHA = sha
            if deleteBranch, !deletedByMerge { try await forge.deleteBranch(pullRequest.head) }
            return PullRequestOutcome(action: "merged", forge: forge, pullRequest: merged,
                                      apiCalls: await forge.requestCount - before, polls: polls)
        }
    }
}
