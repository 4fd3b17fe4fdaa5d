import Forges

/// The single-call PR operations (`capstan pr find|comment|status|close`), each ending in
/// an outcome that counts its API calls.
public struct PullRequestActions: Sendable {
    public let forge: any Forge

    public init(forge: any Forge) {
        self.forge = forge
    }

    public func find(number: Int?, head: String?, base: String) async throws(PullRequestError) -> PullRequestOutcome {
        try await counted("found") { () async throws(ForgeError) in
            if let number { return try await forge.pullRequest(number) }
            guard let found = try await forge.findOpen(head: head ?? "", base: base) else {
                throw ForgeError.configuration("no open PR from \(head ?? "") into \(base)")
            }
            return found
        }
    }

    public func comment(number: Int, body: String) async throws(PullRequestError) -> PullRequestOutcome {
        try await counted("commented") { () async throws(ForgeError) in
            try await forge.comment(on: number, body: body)
            return try await forge.pullRequest(number)
        }
    }

    public func postStatus(_ status: CommitStatus, sha: String?, number: Int?) async throws(PullRequestError) -> PullRequestOutcome {
        try await counted("status \(status.state.rawValue)") { () async throws(ForgeError) in
            if let number {
                let pullRequest = try await forge.pullRequest(number)
                try await forge.postStatus(status, on: pullRequest.headSHA)
                return pullRequest
            }
            let target = sha ?? ""
            try await forge.postStatus(status, on: target)
            return PullRequest(number: 0, url: "", title: "", body: "", head: "", base: "", headSHA: target, state: .open,
                               mergeable: nil, mergeSHA: nil, draft: false)
        }
    }

    /// The checks on a PR's head (or on `sha`), each as the forge judges it, and their summary.
    public func readChecks(sha: String?, number: Int?) async throws(PullRequestError) -> ChecksOutcome {
        let before = await forge.requestCount
        do {
            let pullRequest: PullRequest
            if let number {
                pullRequest = try await forge.pullRequest(number)
            } else {
                pullRequest = PullRequest(number: 0, url: "", title: "", body: "", head: "", base: "", headSHA: sha ?? "", state: .open,
                                          mergeable: nil, mergeSHA: nil, draft: false)
            }
            let items = try await forge.checkList(of: pullRequest)
            let summary = number == nil ? CheckState.summary(items) : forge.summary(of: pullRequest, checks: items)
            return ChecksOutcome(number: number, sha: pullRequest.headSHA, checks: summary, items: items,
                                 apiCalls: await forge.requestCount - before)
        } catch {
            throw .forge(error)
        }
    }

    public func close(number: Int) async throws(PullRequestError) -> PullRequestOutcome {
        try await counted("closed") { () async throws(ForgeError) in try await forge.close(number) }
    }

    private func counted(_ action: String, _ work: () async throws(ForgeError) -> PullRequest) async throws(PullRequestError) -> PullRequestOutcome {
        let before = await forge.requestCount
        do {
            let pullRequest = try await work()
            return PullRequestOutcome(action: action, forge: forge, pullRequest: pullRequest, apiCalls: await forge.requestCount - before)
        } catch {
            throw .forge(error)
        }
    }
}
