import ArgumentParser
import Foundation
import Steps
import Apps

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

        Examples:
          capstan apps
          capstan apps --changed origin/main..HEAD --output json
          capstan apps --files envs/prod/config.yaml
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

    @Option(help: "text or json.")
    var output: OutputFormat = .text

    @Flag(help: "Nudge the reconcilers for the affected apps.")
    var notify = false

    @Flag(help: "Post the affected apps as a pull-request comment (needs the forge layer; for now prints the body).")
    var comment = false

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
        if notify, argoServer == nil, argoWebhook == nil, fluxReceivers.isEmpty {
            throw ValidationError("--notify needs --argocd-server, --argocd-webhook or --flux-receiver")
        }
    }

    func run() async throws {
        let change: AppsOptions.Change = changed.map { .range($0) } ?? (files.isEmpty ? .none : .files(files))
        let options = AppsOptions(repository: repository, change: change, repositoryURL: repoURL)
        var outcome = try failing { () throws(AppsStepError) in try AppsStep(options: options).run() }
        if comment {
            FileHandle.standardError.write(Data("--comment: not available until the forge layer lands; the comment body would be:\n\(outcome.commentBody)".utf8))
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
        if outcome.notifications.contains(where: { !$0.ok }) { throw ExitCode(1) }
    }
}
