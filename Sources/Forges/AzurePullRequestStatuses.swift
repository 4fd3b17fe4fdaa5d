import Foundation

extension AzureDevOpsForge {
    /// The PR's own statuses (Pull Request Statuses - List), as checks: services post them to
    /// the PR rather than to its head commit, Azure shows them on the PR and its status
    /// policies judge them, so a failed one is a red check like a failed commit status.
    /// Azure lists every status ever posted, oldest first, and the list is not paged: the
    /// newest (highest id) per genre/name counts; notApplicable ones are left out.
    func pullRequestStatusChecks(of pullRequest: PullRequest) async throws(ForgeError) -> [Check] {
        guard pullRequest.number > 0 else { return [] }
        let statuses = try await send("GET", "/pullRequests/\(pullRequest.number)/statuses").json.list("value")
        var latest: [String: (id: Int, word: String)] = [:]
        for status in statuses {
            let name = (status["context"]["genre"].string ?? "") + "/" + (status["context"]["name"].string ?? "")
            let id = try status.int("id")
            if latest[name].map({ $0.id < id }) ?? true { latest[name] = (id, try status.string("state")) }
        }
        return latest.filter { $0.value.word != "notApplicable" }.sorted { $0.key < $1.key }.map { name, entry in
            Check(name: name, state: Self.checkState(entry.word), detail: entry.word)
        }
    }

    /// A status state (GitStatusState: notSet, pending, succeeded, failed, error,
    /// notApplicable, partiallySucceeded) as a check, failing closed: only succeeded is green.
    /// partiallySucceeded — a build that passed with failed steps — is red, not pending: it is
    /// a final result, and waiting on it would only run --wait out. notSet (posted without a
    /// state yet) and pending are pending; a word Azure may add later is pending too, so it is
    /// never merged on and shows by name while waited on. notApplicable is left out before.
    static func checkState(_ word: String) -> CheckState {
        switch word {
        case "succeeded": .success
        case "failed", "error", "partiallySucceeded": .failure
        default: .pending
        }
    }
}
