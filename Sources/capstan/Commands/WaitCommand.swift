import ArgumentParser
import Forges
import Foundation
import Reconcilers
import Steps

struct WaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until every app a change affects has rolled out exactly the merge commit, healthy; revert if not.",
        discussion: """
        The apps are those BASE..MERGE affects (as `capstan apps` links them),
        or the --app names with --merge SHA, or those of --pr N, whose merge
        commit the forge gives (range MERGE^..MERGE). Each poll sends one
        request per app not yet finished.

        Argo CD (--argocd-server, token from $ARGOCD_AUTH_TOKEN; the first
        request asks for refresh=normal): rolled out when every sync revision
        from the release repository is the merge commit or a descendant, the
        app is Synced, no operation runs, the last one did not fail, the app
        was reconciled after it finished, and it is Healthy. Degraded, a
        failed operation, or a revision neither the merge nor after it for
        three polls fail, with Argo CD's own messages.

        Flux (--kubeconfig, $KUBECONFIG, ~/.kube/config, or the in-cluster
        service account): rolled out when lastAppliedRevision (for an
        ExternalArtifact, lastAppliedOriginRevision) is <branch>@sha1:<merge
        or a descendant> and Ready=True at the current observedGeneration.
        Stalled, or Ready=False with a terminal reason (HealthCheckFailed,
        BuildFailed, RetriesExceeded, ...), fail with the controller's
        message. --via forge reads instead the commit statuses Flux's
        notification-controller posts on the merge commit (GitHub, Gitea,
        GitLab, Bitbucket Cloud and Data Center, Azure DevOps); anyone who
        may post statuses there can post a green one.

        Exit status: 0 rolled out and healthy, 3 failed, 7 timed out, 2
        usage, 1 the reconciler could not be asked (bad token, unknown app).
        --revert-on-failure: on failure or timeout, open the revert PR (as
        `capstan pr revert`), merge it on green (as `capstan pr merge`, up
        to --merge-wait) and wait for the revert to roll out; the exit
        status still says how the merge fared.

        Examples:
          capstan wait --changed main~1..main --argocd-server https://cd.example
          capstan wait --pr 42 --repo https://github.com/acme/release.git
          capstan wait --app checkout --merge 1a2b3c4d --argocd-server https://cd.example
          capstan wait --pr 42 --repo https://github.com/acme/release.git --revert-on-failure
        """)

    @Option(help: ArgumentHelp("The merge to wait for: the commits it brought.", valueName: "BASE..MERGE"))
    var changed: String?

    @Option(name: .customLong("app"), help: "An app to wait for (repeatable): a catalog name, or argocd/NAME, kustomization/NS/NAME, helmrelease/NS/NAME.")
    var apps: [String] = []

    @Option(help: "The merge commit, with --app.")
    var merge: String?

    @Option(help: "The merged PR: its merge commit comes from the forge (needs --repo).")
    var pr: Int?

    @Option(name: .customLong("repository"), help: "The release repository's work tree (its history places the revisions seen; default: with --repo, a checkout capstan fetches itself, else .).")
    var repository: String?

    @Option(name: .customLong("repo-url"), help: "The URL the reconcilers clone this repository from (default: its Git remotes).")
    var repoURL: String?

    @Option(help: "Only apps of this cluster (the catalog's cluster directory or Argo CD destination).")
    var cluster: String?

    @Option(help: "How long the rollout may take (seconds, or 90s, 10m, 1h).")
    var timeout = "10m"

    @Option(help: "Seconds between polls (at least 1).")
    var pollInterval = "10s"

    @Option(help: "Seconds between summary lines while waiting.")
    var summaryInterval = "60s"

    @Option(help: "text or json.")
    var output: OutputFormat = .text

    @Option(help: "Where Flux's rollout is read: cluster (the Kubernetes API) or forge (the commit statuses Flux's notification-controller posts on the merge commit; needs --repo).")
    var via: FluxSource = .cluster

    @OptionGroup(title: "Argo CD") var argo: ArgoFlags
    @OptionGroup(title: "Flux (Kubernetes API)") var flux: FluxFlags
    @OptionGroup(title: "Revert on failure") var revert: RevertFlags
    @OptionGroup(title: "Git credentials (for the revert push)") var git: GitCredentialFlags

    func validate() throws {
        let selections = [changed != nil, !apps.isEmpty, pr != nil && apps.isEmpty].filter { $0 }.count
        if selections != 1 { throw ValidationError("give one of --changed BASE..MERGE, --app NAME… (with --merge or --pr), or --pr N") }
        if !apps.isEmpty, merge == nil, pr == nil { throw ValidationError("--app needs the merge commit: --merge SHA or --pr N") }
        if pr != nil || revert.revertOnFailure || via == .forge, revert.repo.isEmpty {
            throw ValidationError("--pr, --revert-on-failure and --via forge need --repo URL")
        }
        for (flag, value) in [("--timeout", timeout), ("--poll-interval", pollInterval), ("--summary-interval", summaryInterval),
                              ("--merge-wait", revert.mergeWait)] where Duration.seconds(value) == nil {
            throw ValidationError("\(flag) must be seconds or like 90s, 10m, 1h")
        }
        if (Duration.seconds(pollInterval) ?? 0) < WaitOptions.minimumPollInterval {
            throw ValidationError("--poll-interval must be at least \(Int(WaitOptions.minimumPollInterval)) s")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let counter = CountingTransport(CurlReconcilerTransport())
        let forge = pr != nil || revert.revertOnFailure || via == .forge ? try connectForge(environment: environment) : nil
        var access = try failingWait { () throws(WaitError) in
            ReconcilerAccess(argo: try argo.client(environment: environment, transport: counter),
                             flux: via == .cluster ? try flux.client(environment: environment, transport: counter) : nil)
        }
        if via == .forge {
            guard let reader = forge as? any CommitStatusReading else {
                throw CapstanFailure(message: "--via forge: this forge does not let capstan read commit statuses", code: 2)
            }
            access.fluxStatuses = reader
        }
        var mergeSHA = merge
        var range = changed
        if let pr, let forge {
            let pullRequest = try await failingPR { () async throws(PullRequestError) -> PullRequest in
                do throws(ForgeError) { return try await forge.pullRequest(pr) } catch { throw PullRequestError.forge(error) }
            }
            guard pullRequest.state == .merged, let sha = pullRequest.mergeSHA else {
                throw CapstanFailure(message: "PR #\(pr) is \(pullRequest.state.rawValue), not merged: nothing to wait for", code: 2)
            }
            mergeSHA = sha
            if apps.isEmpty { range = "\(sha)^..\(sha)" }
        }
        let selection: WaitOptions.Selection = range.map { .changed($0) } ?? .apps(apps, merge: mergeSHA ?? "")
        let credentials = git.options(tokenVariable: revert.tokenEnv, caBundle: revert.caBundle)
        // No work tree given but the repository's address: a checkout of its own, at the merge.
        var checkout: ReleaseCheckout?
        if repository == nil, !revert.repo.isEmpty {
            let commit = mergeSHA ?? range?.components(separatedBy: "..").last ?? "refs/remotes/origin/main"
            checkout = try failingWait { () throws(WaitError) in
                try ReleaseCheckout.make(remote: revert.repo, commit: commit, credentials: credentials, environment: environment)
            }
        }
        defer { checkout?.remove() }
        var options = WaitOptions(repository: checkout?.path ?? repository ?? ".", selection: selection,
                                  repositoryURL: repoURL ?? (checkout == nil ? nil : revert.repo), cluster: cluster,
                                  timeout: Duration.seconds(timeout) ?? 600, pollInterval: Duration.seconds(pollInterval) ?? 10,
                                  summaryInterval: Duration.seconds(summaryInterval) ?? 60, fluxNamespace: flux.namespace,
                                  fetchRemote: revert.repo.isEmpty ? nil : revert.repo,
                                  fetchCredentials: credentials)
        options.environment = environment
        let step = WaitStep(options: options, access: access, counter: counter)
        var outcome = try await failingWaitAsync { () async throws(WaitError) in try await step.run(log: { note($0) }) }
        if outcome.rollout.result != .rolledOut, revert.revertOnFailure, let forge {
            let target: RevertPullRequestStep.Target = pr.map { .pullRequest($0) } ?? .commit(outcome.rollout.merge)
            let revertStep = RevertPullRequestStep(forge: forge, target: target, repository: revert.repo, base: revert.base,
                                                   credentials: credentials, environment: environment)
            let configured = ConfiguredMergeMethod(repository: revert.repo, credentials: credentials, environment: environment)
            let mergeWait = Duration.seconds(revert.mergeWait) ?? 600
            let allowNoChecks = revert.allowNoChecks
            let forgePoll = Duration.seconds(pollInterval) ?? 10
            let reverting = RevertOnFailure(revert: revertStep) { number in
                MergePullRequestStep(forge: forge, number: number, method: nil, wait: mergeWait, pollInterval: forgePoll,
                                     allowNoChecks: allowNoChecks,
                                     configuredMethod: { base throws(PullRequestError) in try configured.read(base: base) })
            }
            outcome.revert = await reverting.run(after: outcome, waiting: step, repositoryURLs: outcome.repositoryURLs, log: { note($0) })
        }
        emit(outcome, as: output)
        StepOutputs.writeOutputs(outcome.githubOutputs)
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }

    private func connectForge(environment: [String: String]) throws -> any Forge {
        let options = ForgeOptions(forge: revert.forge, forgeURL: revert.forgeURL, project: revert.project, tokenVariable: revert.tokenEnv,
                                   caBundle: revert.caBundle, pollInterval: Duration.seconds(pollInterval) ?? 10)
        return try failing { () throws(PullRequestError) in
            try ForgeConnector.connect(remote: revert.repo, options: options, environment: environment)
        }
    }
}
