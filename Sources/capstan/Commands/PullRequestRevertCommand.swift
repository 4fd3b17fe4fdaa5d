import ArgumentParser
import Forges
import Foundation
import Git
import Steps

struct PullRequestRevertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revert",
        abstract: "Revert a merged PR (or a commit) through a new PR titled Revert \"<title>\" (RevertPR).",
        discussion: """
        Makes a branch capstan/revert-pr-N (or capstan/revert-SHA) from the base tip, reverts
        the PR's merge or squash commit on it with libgit2 (a merge commit against its first
        parent), pushes it and opens the revert PR; re-running finds that PR. With --merge
        the revert PR is merged as `capstan pr merge` would (waiting up to --wait for its
        checks; --allow-no-checks merges it without any; without --method, the release
        repository's .capstan.yaml pullRequest.mergeMethod is used).

        Examples:
          capstan pr revert 42 --repo https://github.com/acme/release.git --merge --wait 15m
          capstan pr revert --commit 1a2b3c4 --repo https://github.com/acme/release.git
        """)

    @OptionGroup var connection: PullRequestConnection
    @Argument(help: "The merged PR's number.") var number: Int?
    @Option(help: "Revert this commit instead of a PR.") var commit: String?
    @Option(help: "The branch to revert on (default: the PR's base, or main).") var base: String?
    @Option(help: "Author and committer, \"Name <email>\".") var author: String?
    @OptionGroup(title: "Git credentials (for the push)") var git: GitCredentialFlags
    @Flag(help: "Merge the revert PR too.") var merge = false
    @Option(help: "merge, squash or rebase, with --merge (default: .capstan.yaml pullRequest.mergeMethod, else merge).") var method: MergeMethod?
    @Option(help: "With --merge: how long to wait for checks (seconds, or 90s, 10m, 1h).") var wait: String = "0"
    @Flag(help: "With --merge: merge the revert PR even though no check is reported on it (a repository without CI).") var allowNoChecks = false

    func validate() throws {
        if (number == nil) == (commit == nil) { throw ValidationError("give a PR NUMBER or --commit SHA") }
        if connection.repo.isEmpty { throw ValidationError("revert pushes a branch: give --repo URL") }
        if let author { _ = try authorPerson(author) }
    }

    func run() async throws {
        let forge = try connection.connect()
        let target: RevertPullRequestStep.Target = number.map { .pullRequest($0) } ?? .commit(commit ?? "")
        let credentials = git.options(tokenVariable: connection.tokenEnv, caBundle: connection.forge.caBundle)
        let step = RevertPullRequestStep(
            forge: forge, target: target, repository: connection.repo, base: base,
            credentials: credentials,
            author: try author.map(authorPerson) ?? UpdateOptions.defaultAuthor, environment: ProcessInfo.processInfo.environment)
        var outcome = try await failingPR { () async throws(PullRequestError) in try await step.run(log: { note($0) }) }
        if merge {
            connection.emit(outcome)
            let configured = ConfiguredMergeMethod(repository: connection.repo, credentials: credentials,
                                                   environment: ProcessInfo.processInfo.environment)
            let merging = MergePullRequestStep(forge: forge, number: outcome.number, method: method, wait: Duration.seconds(wait) ?? 0,
                                               pollInterval: connection.forge.pollInterval, allowNoChecks: allowNoChecks,
                                               configuredMethod: { base throws(PullRequestError) in try configured.read(base: base) })
            outcome = try await failingPR { () async throws(PullRequestError) in try await merging.run(log: { note($0) }) }
        }
        connection.emit(outcome)
    }
}
