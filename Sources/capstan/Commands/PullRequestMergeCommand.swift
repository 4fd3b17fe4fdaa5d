import ArgumentParser
import Forges
import Foundation
import Steps

struct PullRequestMergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge a PR once it is mergeable and its checks are green, pinned to the head SHA checked (MergePR).",
        discussion: """
        Polls the PR no faster than --poll-interval until the forge has computed mergeability
        and the checks on the head have passed (up to --wait), then merges with the head SHA
        it checked, so a head pushed meanwhile is refused, never merged unchecked.
        --wait takes seconds or 90s, 10m, 1h.

        No check reported on the head is not green: the release repository's CI
        may not have registered its checks yet, so it is waited on like a pending
        check (as is GitHub's mergeable_state "blocked": required checks or
        reviews not there yet). If --wait runs out with no check ever reported,
        nothing is merged and the exit status is 7. A repository that runs no CI
        says so with --allow-no-checks, which merges a mergeable PR without
        checks at once. A failing check exits 3 at once.

        --auto asks the forge to merge the head checked once the checks pass
        (GitLab's merge when pipeline succeeds, Gitea/Forgejo's merge when checks
        succeed, Azure DevOps auto-complete) and returns; a red check exits 3 first.
        Other forges' REST APIs offer no such thing, and --auto says so.

        Exit status: 3 a check failed, 4 the head moved, 5 conflicts, 6 branch
        protection or policy, 7 timed out (or no check ever reported), 8 the branch
        is behind its base or the merge must go through a merge queue.

        Without --method, pullRequest.mergeMethod from the release repository's
        .capstan.yaml at the PR's base branch is used (fetched from --repo with
        the Git credentials; without --repo, the working directory's file),
        else merge.

        Examples:
          capstan pr merge 42 --repo https://github.com/acme/release.git --method squash --wait 15m --delete-branch
          capstan pr merge 7 --repo https://gitlab.example.com/platform/release.git --token-env CI_JOB_TOKEN --wait 10m
          capstan pr merge 9 --repo https://gitea.example.com/ops/sandbox.git --allow-no-checks
        """)

    @OptionGroup var connection: PullRequestConnection
    @Argument(help: "The PR number.") var number: Int
    @Option(help: "merge, squash or rebase (default: .capstan.yaml pullRequest.mergeMethod, else merge).") var method: MergeMethod?
    @Option(help: "How long to wait for mergeability and checks (seconds, or 90s, 10m, 1h).") var wait: String = "0"
    @Flag(help: "Delete the head branch after merging.") var deleteBranch = false
    @Flag(help: "Merge a mergeable PR whose head has no checks at all (a repository without CI).") var allowNoChecks = false
    @Flag(help: "Ask the forge to merge once the checks pass (GitLab, Gitea, Forgejo, Azure DevOps) instead of waiting here.") var auto = false
    @OptionGroup(title: "Git credentials (to read .capstan.yaml from --repo)") var git: GitCredentialFlags

    func validate() throws {
        if Duration.seconds(wait) == nil { throw ValidationError("--wait must be seconds or like 90s, 10m, 1h") }
    }

    func run() async throws {
        let forge = try connection.connect()
        let configured = ConfiguredMergeMethod(repository: connection.repo,
                                               credentials: git.options(tokenVariable: connection.tokenEnv, caBundle: connection.forge.caBundle),
                                               environment: ProcessInfo.processInfo.environment)
        let step = MergePullRequestStep(forge: forge, number: number, method: method, wait: Duration.seconds(wait) ?? 0,
                                        pollInterval: connection.forge.pollInterval, deleteBranch: deleteBranch,
                                        allowNoChecks: allowNoChecks, configuredMethod: { base throws(PullRequestError) in try configured.read(base: base) })
        let outcome = try await failingPR { () async throws(PullRequestError) in
            try await auto ? step.runAuto(log: { note($0) }) : step.run(log: { note($0) })
        }
        connection.emit(outcome)
    }
}

extension Duration {
    /// The longest time a flag may give: a year, which every clock and integer can hold.
    static let longestSeconds: Double = 365 * 86_400

    /// Seconds in "90", "90s", "10m", "1h"; nil for anything else, and for a time that is
    /// negative, not a number, or longer than `longestSeconds` (`nan`, `inf` and 1e300 trapped
    /// where they became milliseconds).
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        let seconds: Double?
        if let unit = text.last, let factor = units[unit], let value = Double(text.dropLast()) {
            seconds = value * factor
        } else {
            seconds = Double(text)
        }
        guard let seconds, seconds >= 0, seconds <= longestSeconds else { return nil }
        return seconds
    }
}
