import Foundation

extension AzureDevOpsForge {
    /// The PR's own statuses (Pull Request Statuses - List), as checks: services post them to
    /// the PR rather than to its head commit, Azure shows them on the PR and its status
    /// policies judge them, so a failed one is a red check like a failed commit status.
    /// Azure lists every status ever posted, oldest first, and the list is not paged: the
    /// newest (highest id) per genre/name counts; notApplicable ones are left out. A success
    /// posted to an iteration judged that iteration's commit: on another head it is pending,
    /// or a push made after the service last looked would be merged unjudged.
    func pullRequestStatusChecks(of pullRequest: PullRequest) async throws(ForgeError) -> [Check] {
        guard pullRequest.number > 0 else { return [] }
        let statuses = try await send("GET", "/pullRequests/\(pullRequest.number)/statuses").json.list("value")
        var latest: [String: (id: Int, word: String, iteration: Int?)] = [:]
        for status in statuses {
            let name = (status["context"]["genre"].string ?? "") + "/" + (status["context"]["name"].string ?? "")
            let id = try status.int("id")
            let iteration = status["iterationId"].isNull ? nil : try status.int("iterationId")
            if latest[name].map({ $0.id < id }) ?? true { latest[name] = (id, try status.string("state"), iteration) }
        }
        let counted = latest.filter { $0.value.word != "notApplicable" }
        let commits = counted.values.contains { $0.word == "succeeded" && $0.iteration != nil }
            ? try await iterationCommits(of: pullRequest.number) : [:]
        return counted.sorted { $0.key < $1.key }.map { name, entry in
            if entry.word == "succeeded", let iteration = entry.iteration,
               commits[iteration]?.lowercased() != pullRequest.headSHA.lowercased() {
                return Check(name: name, state: .pending, detail: "succeeded on iteration \(iteration), not on the head")
            }
            return Check(name: name, state: Self.checkState(entry.word), detail: entry.word)
        }
    }

    /// Each iteration's source commit (Pull Request Iterations - List, not paged).
    func iterationCommits(of number: Int) async throws(ForgeError) -> [Int: String] {
        var commits: [Int: String] = [:]
        for iteration in try await send("GET", "/pullRequests/\(number)/iterations").json.list("value") {
            commits[try iteration.int("id")] = try iteration["sourceRefCommit"].string("commitId")
        }
        return commits
    }

    /// A status state (GitStatusState: notSet, pending, succeeded, failed, error,
    /// notApplicable, partiallySucceeded) as a check, failing closed: only succeeded is green.
    /// partiallySucceeded — a build that passed with failed steps — is red, not pending: it is
    /// a final result, and waiting on it would only run --wait out. notSet (posted without a
    /// state yet) and pending are pending; a word Azure may add later is pending too, so it is
    /// never merged on and shows by name while waited on. notApplicable is left out before.
    /// `commitStatus` (`capstan wait --via forge`) reads the words through this too.
    static func checkState(_ word: String) -> CheckState {
        switch word {
        case "succeeded": .success
        case "failed", "error", "partiallySucceeded": .failure
        default: .pending
        }
    }
}
