import ArgumentParser
import Foundation
import Steps
import Apps
import Forges

extension FluxReceiver.Kind: ExpressibleByArgument {}

struct AppsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apps",
        abstract: "List the Argo CD and Flux apps a release repository deploys, and which a change affects (FetchLinkedApps).",
        discussion: """
        Reads the work tree (checked out at the change's head): Argo CD Applications
        (single and multi-source, helm valueFiles, $values refs), ApplicationSets (git
        file and directory, list and matrix generators expanded offline; cluster
        generators reported as depending on the cluster list), Flux Kustomizations and
        HelmReleases. A changed file affects an app when it is the app's definition, a
        manifest its kustomize build reads (resources, bases, components, patches,
        generator inputs), a Helm chart or values file, or a generator file.

        --notify nudges the reconcilers for the affected apps: Argo CD through its API
        (token from $ARGOCD_AUTH_TOKEN or --argocd-token-env) or its /api/webhook
        (secret from --argocd-webhook-secret-env), Flux through Receiver webhooks
        (token from --flux-receiver-token-env).

        --comment posts the affected apps as a PR comment, or edits the one it posted
        before (found by its hidden marker line) — never a second one, and no write when
        it already says the same. The PR is --pr NUMBER, or the open PR from --head into
        --base, or the one the CI run names (CI_MERGE_REQUEST_IID, BITBUCKET_PR_ID,
        SYSTEM_PULLREQUEST_PULLREQUESTID, GITHUB_HEAD_REF). The forge is found as for
        `capstan pr` (--repo, --forge, --forge-url, --project, --token-env).

        Examples:
          capstan apps
          capstan apps --changed origin/main..HEAD --output json
          capstan apps --files envs/prod/config.yaml
          capstan apps --changed origin/main..HEAD --comment --pr 42
          capstan apps --changed main..HEAD --notify --flux-receiver-type github \\
            --flux-receiver https://flux.example.com/hook/<digest>
        """
    )

    @Option(help: ArgumentHelp("The commits to compare.", valueName: "BASE..HEAD"))
    var changed: String?

    @Option(parsing: .upToNextOption, help: "Changed paths (relative to the repository).")
    var files: [String] = []

    @Option(name: .customLong("repository"), help: "The release repository's work tree.")
    var repository = "."

    @Option(name: .customLong("repo-url"), help: "The URL the reconcilers clone this repository from (default: its Git remotes).")
    var repoURL: String?

    @Flag(help: "Nudge the reconcilers for the affected apps.")
    var notify = false

    @Flag(help: "Post the affected apps as a PR comment, or update the one posted before.")
    var comment = false

    @Option(help: "The PR to comment on (default: the open PR from --head, or the one the CI run names).")
    var pr: Int?

    @Option(help: "Comment on the open PR from this branch.")
    var head: String?

    @Option(help: "The PR's target branch, with --head (default: $GITHUB_BASE_REF or main).")
    var base: String?

    /// --repo, --token-env, the forge flags and --output, shared with `capstan pr`.
    @OptionGroup var connection: PullRequestConnection

    private var output: OutputFormat { connection.output }

    @Option(name: .customLong("argocd-server"), help: "Argo CD API server URL for refresh=normal calls.")
    var argoServer: String?

    @Option(name: .customLong("argocd-token-env"), help: "Environment variable holding the Argo CD token.")
    var argoTokenVariable = "ARGOCD_AUTH_TOKEN"

    @Option(name: .customLong("argocd-webhook"), help: "Argo CD webhook URL (https://argocd.example.com/api/webhook).")
    var argoWebhook: String?

    @Option(name: .customLong("argocd-webhook-secret-env"), help: "Environment variable holding Argo CD's webhook.github.secret.")
    var argoWebhookSecretVariable: String?

    @Option(name: .customLong("flux-receiver"), help: "A Flux Receiver URL (repeatable).")
    var fluxReceivers: [String] = []

    @Option(name: .customLong("flux-receiver-type"), help: "generic, generic-hmac or github.")
    var fluxReceiverType: FluxReceiver.Kind = .generic

    @Option(name: .customLong("flux-receiver-token-env"), help: "Environment variable holding the Receiver's token.")
    var fluxReceiverTokenVariable = "FLUX_RECEIVER_TOKEN"

    @Option(help: "The branch the push payload names.")
    var branch = "main"

    func validate() throws {
        if changed != nil, !files.isEmpty { throw ValidationError("give either --changed or --files, not both") }
        if notify, changed == nil, files.isEmpty { throw ValidationError("--notify needs a change: --changed BASE..HEAD or --files") }
        if comment, changed == nil, files.isEmpty { throw ValidationError("--comment needs a change: --changed BASE..HEAD or --files") }
        if !comment, pr != nil || head != nil || base != nil { throw ValidationError("--pr, --head and --base go with --comment") }
        if pr != nil, head != nil { throw ValidationError("give either --pr or --head, not both") }
        if notify, argoServer == nil, argoWebhook == nil, fluxReceivers.isEmpty {
            throw ValidationError("--notify needs --argocd-server, --argocd-webhook or --flux-receiver")
        }
    }

    func run() async throws {
        let change: AppsOptions.Change = changed.map { .range($0) } ?? (files.isEmpty ? .none : .files(files))
        let options = AppsOptions(repository: repository, change: change, repositoryURL: repoURL)
        var outcome = try failing { () throws(AppsStepError) in try AppsStep(options: options).run() }
        if comment {
            // The remote as Git has it (scheme and port kept), not the catalog's normalised
            // key, which names no server the forge could be found on.
            let forge = try connection.connect(fallbackRemote: repoURL ?? RepositoryURL.remotes(ofWorkTree: repository).first)
            let target = CommentTarget(number: pr, head: head, base: base, environment: ProcessInfo.processInfo.environment)
            let body = outcome.commentBody
            outcome.comment = try await failingPR { () async throws(PullRequestError) in
                try await AppsCommentStep(forge: forge).run(body: body, target: target)
            }
        }
        if notify {
            let environment = ProcessInfo.processInfo.environment
            let notifier = ReconcilerNotifier(configuration: NotifyConfiguration(
                argoServer: argoServer.flatMap(URL.init(string:)), argoToken: environment[argoTokenVariable],
                argoWebhook: argoWebhook.flatMap(URL.init(string:)), argoWebhookSecret: argoWebhookSecretVariable.flatMap { environment[$0] },
                fluxReceivers: fluxReceivers.compactMap(URL.init(string:)).map {
                    FluxReceiver(url: $0, kind: fluxReceiverType, token: environment[fluxReceiverTokenVariable])
                },
                push: PushDescription(repositoryURL: repoURL ?? outcome.repositoryURLs.first ?? "", branch: branch,
                                      before: outcome.base, after: outcome.head, changedPaths: outcome.changedPaths ?? [])))
            try failing { () throws(NotifyError) in
                try notifier.validate()
                if notifier.configuration.push.repositoryURL.isEmpty, notifier.configuration.argoWebhook != nil { throw .missingRepositoryURL }
            }
            outcome.notifications = await notifier.notify(outcome.affected ?? [])
        }
        emit(outcome, as: output)
        StepOutputs.writeOutputs(outcome.githubOutputs + (outcome.comment?.githubOutputs ?? []))
        if outcome.notifications.contains(where: { !$0.ok }) { throw ExitCode(1) }
    }
}
