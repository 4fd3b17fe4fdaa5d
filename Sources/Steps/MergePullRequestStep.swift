import Forges
import Foundation
import Words

/// MergePR: polls the PR (no faster than the floor interval) until the forge has computed
/// mergeability and the checks on the head are green, then merges pinned to the head SHA
/// it checked. A failing check stops at once; nothing is merged while checks fail. No check
/// reported at all is not green: it is waited on like a pending one (CI may not have
/// registered its checks yet) unless `allowNoChecks` says the repository runs no CI.
public struct MergePullRequestStep: Sendable {
    /// Reads the merge method the release repository configures for a base branch
    /// (`.capstan.yaml` `pullRequest.mergeMethod`), with where it was read, or nil.
    public typealias MethodReader = @Sendable (_ base: String) throws(PullRequestError) -> (method: MergeMethod, source: String)?

    public let forge: any Forge
    public let number: Int
    /// nil: what `configuredMethod` reads for the PR's base, else merge.
    public let method: MergeMethod?
    /// Longest time to wait for mergeability and checks, in seconds.
    public let wait: Double
    public let pollInterval: Double
    public let deleteBranch: Bool
    /// Merge a mergeable PR whose head has no checks at all, at once (a repository without CI).
    public let allowNoChecks: Bool
    public let configuredMethod: MethodReader

    public init(forge: any Forge, number: Int, method: MergeMethod? = .merge, wait: Double = 0, pollInterval: Double = 10,
                deleteBranch: Bool = false, allowNoChecks: Bool = false, configuredMethod: @escaping MethodReader = { _ in nil }) {
        self.forge = forge
        self.number = number
        self.method = method
        self.wait = wait
        self.pollInterval = pollInterval
        self.deleteBranch = deleteBranch
        self.allowNoChecks = allowNoChecks
        self.configuredMethod = configuredMethod
    }

    /// Asks the forge to merge the PR when its checks pass (`--auto`) instead of waiting here:
    /// a red check or a closed PR still stops it first.
    public func runAuto(log: @Sendable (String) -> Void = { _ in }) async throws(PullRequestError) -> PullRequestOutcome {
        // The log's lines name the forge's head SHA, base branch, checks and hold, each the
        // forge's words: every line is made one printable line as a whole.
        @Sendable func say(_ line: String) { log(ForeignWords.printable(line)) }
        let before = await forge.requestCount
        do {
            var pullRequest = try await forge.pullRequest(number)
            guard pullRequest.state == .open else { throw PullRequestError.notOpen(number: number, state: pullRequest.state.rawValue) }
            let chosen = try method ?? chooseMethod(base: pullRequest.base, log: say)
            if try await forge.checks(of: pullRequest) == .failure {
                throw PullRequestError.checksFailed(number: number, sha: pullRequest.headSHA)
            }
            switch try await forge.enableAutoMerge(pullRequest, sha: pullRequest.headSHA, method: chosen) {
            case .scheduled:
                say("PR #\(number): the forge will merge \(pullRequest.headSHA.prefix(7)) (\(chosen.rawValue)) once its checks pass")
                return PullRequestOutcome(action: "auto-merge", forge: forge, pullRequest: pullRequest, apiCalls: await forge.requestCount - before)
            case let .merged(sha):
                pullRequest.state = .merged
                pullRequest.mergeSHA = sha
                return PullRequestOutcome(action: "merged", forge: forge, pullRequest: pullRequest, apiCalls: await forge.requestCount - before)
            case let .refused(refusal):
                throw failure(refusal, checked: pullRequest.headSHA)
            }
        } catch let error as PullRequestError {
            throw error
        } catch let error as ForgeError {
            throw .forge(error)
        } catch {
            throw .usage(String(describing: error))
        }
    }

    public func run(log: @Sendable (String) -> Void = { _ in }) async throws(PullRequestError) -> PullRequestOutcome {
        if deleteBranch, !forge.canDeleteBranches, !forge.deletesBranchOnMerge {
            throw PullRequestError.usage("--delete-branch: this forge cannot delete branches through its API here; "
                + "merge without it and let the repository's auto-delete setting remove the branch")
        }
        // The log's lines name the forge's head SHA, base branch, checks and hold, each the
        // forge's words: every line is made one printable line as a whole.
        @Sendable func say(_ line: String) { log(ForeignWords.printable(line)) }
        let before = await forge.requestCount
        let started = ContinuousClock.now
        var polls = 0
        var method = self.method
        var said: Set<String> = []
        do {
            while true {
                let pullRequest = try await forge.pullRequest(number)
                guard pullRequest.state == .open else { throw PullRequestError.notOpen(number: number, state: pullRequest.state.rawValue) }
                let chosen = try method ?? chooseMethod(base: pullRequest.base, log: say)
                method = chosen
                let items = try await forge.checkList(of: pullRequest)
                // What the forge would not let this token read (required checks, policies), said once.
                for item in items where item.state == .none && said.insert(item.name).inserted {
                    say("PR #\(number): \(item.name): \(item.detail)")
                }
                let checks = forge.summary(of: pullRequest, checks: items)
                if checks == .failure {
                    // Which check is red, in the forge's word, so nobody has to look it up.
                    for item in items where item.state == .failure { say("PR #\(number): \(item.name): \(item.detail)") }
                    throw PullRequestError.checksFailed(number: number, sha: pullRequest.headSHA)
                }
                // No checks at all is green only when the caller says the repository runs no CI.
                let noChecksYet = checks == .none && !allowNoChecks
                let ready = pullRequest.mergeable == true && (checks == .success || (checks == .none && allowNoChecks))
                if pullRequest.mergeable == false && checks != .pending {
                    throw PullRequestError.notMergeable(number: number, message: "the forge reports conflicts with \(pullRequest.base)")
                }
                let waited = Double((ContinuousClock.now - started).components.seconds)
                if ready {
                    let shown = checks == .none ? "none (--allow-no-checks)" : checks.rawValue
                    say("PR #\(number): checks \(shown), mergeable, on \(pullRequest.headSHA.prefix(7)) after \(Int(waited)) s; "
                        + "merging (\(chosen.rawValue)) pinned to that head")
                    return try await merge(pullRequest, method: chosen, before: before, polls: polls)
                }
                let reason = Self.reason(pullRequest, checks: checks, noChecksYet: noChecksYet, waitingOn: items)
                guard waited + pollInterval <= wait else {
                    // Checks are green but the forge has not said whether it can merge: let it
                    // decide, pinned to the head checked (it refuses conflicts itself).
                    if checks != .pending && !noChecksYet && pullRequest.mergeable == nil {
                        return try await merge(pullRequest, method: chosen, before: before, polls: polls)
                    }
                    if noChecksYet { throw PullRequestError.noChecks(number: number, waited: waited, sha: pullRequest.headSHA) }
                    throw PullRequestError.timedOut(number: number, waited: waited, last: reason)
                }
                say("PR #\(number): \(reason) on \(pullRequest.headSHA.prefix(7)); polling again in \(pollInterval) s")
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

    /// Why the PR is not merged yet, for the poll log and the timeout message: pending checks
    /// by name (a required check that never reports looks like any other wait otherwise).
    static func reason(_ pullRequest: PullRequest, checks: CheckState, noChecksYet: Bool, waitingOn items: [Check] = []) -> String {
        let pending = items.filter { $0.state == .pending }
        let named = pending.isEmpty ? "" : " (" + pending.prefix(5).map { "\($0.name): \($0.detail)" }.joined(separator: "; ")
            + (pending.count > 5 ? "; \(pending.count - 5) more" : "") + ")"
        // GitHub answers `mergeable: null` for a while after every push: pending checks then
        // are the reason that lasts, so both are said.
        if pullRequest.mergeable == nil { return "mergeability still being computed" + (checks == .pending ? ", checks pending" + named : "") }
        if noChecksYet { return "no checks reported yet" }
        if let hold = pullRequest.forgeHold { return "checks \(checks.rawValue)\(checks == .pending ? named : ""), \(hold)" }
        return "checks \(checks.rawValue)" + (checks == .pending ? named : "")
    }

    /// The configured method for the PR's base, else merge; says which and why.
    private func chooseMethod(base: String, log: @Sendable (String) -> Void) throws(PullRequestError) -> MergeMethod {
        guard let configured = try configuredMethod(base) else { return .merge }
        log("merge method \(configured.method.rawValue) from \(configured.source) (pullRequest.mergeMethod)")
        return configured.method
    }

    /// The step's error for a refusal, each reason with its own exit status.
    private func failure(_ refusal: MergeRefusal, checked: String) -> PullRequestError {
        switch refusal {
        case let .headMoved(message): .headMoved(number: number, checked: checked, message: message)
        case let .notMergeable(message): .notMergeable(number: number, message: message)
        case let .policy(message): .policy(number: number, message: message)
        case let .behindOrQueued(message): .behindOrQueued(number: number, message: message)
        // As `pr merge` on a PR found merged or closed: not open, what it is now said first.
        case let .notOpen(state, mergeSHA, message):
            .notOpen(number: number, state: state + (mergeSHA.map { " (merge commit \($0))" } ?? "")
                + ", not by this merge: the forge refused it: \(message)")
        }
    }

    private func merge(_ pullRequest: PullRequest, method: MergeMethod, before: Int, polls: Int) async throws -> PullRequestOutcome {
        // Where the merge itself can delete the branch, it does: no second request to fail.
        let deletedByMerge = deleteBranch && forge.deletesBranchOnMerge
        let result = try await forge.merge(pullRequest, sha: pullRequest.headSHA, method: method, message: nil, deletingBranch: deletedByMerge)
        switch result {
        case let .refused(refusal):
            throw failure(refusal, checked: pullRequest.headSHA)
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
