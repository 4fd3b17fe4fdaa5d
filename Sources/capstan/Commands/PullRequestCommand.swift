import ArgumentParser

struct PullRequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pr",
        abstract: "Pull requests on GitHub, GitLab, Gitea/Forgejo, Bitbucket and Azure DevOps: open, find, comment, status, close, merge, revert.",
        discussion: """
        The forge and repository are detected from --repo and the CI variables (GitHub Actions,
        GitLab CI, Gitea/Forgejo Actions, Bitbucket Pipelines, Azure Pipelines); --forge,
        --forge-url and --project override them. The API token comes from --token-env NAME or
        the forge's usual variables (GITHUB_TOKEN, GITLAB_TOKEN, GITEA_TOKEN, FORGEJO_TOKEN,
        BITBUCKET_TOKEN, AZURE_DEVOPS_TOKEN, SYSTEM_ACCESSTOKEN); it is never printed.
        Proxies come from http_proxy, https_proxy and no_proxy.

        Exit codes of merge: 0 merged, 1 error, 3 a required check failed, 4 the head moved
        after it was checked, 5 conflicts (not mergeable), 6 protection/merge queue/policy
        refused, 7 --wait ran out.

        Examples:
          capstan pr open --repo https://github.com/acme/release.git --head capstan/checkout --label release
          capstan pr merge 42 --repo https://github.com/acme/release.git --method squash --wait 15m
        """,
        subcommands: [PullRequestOpenCommand.self, PullRequestFindCommand.self, PullRequestCommentCommand.self,
                      PullRequestStatusCommand.self, PullRequestCloseCommand.self, PullRequestMergeCommand.self,
                      PullRequestRevertCommand.self]
    )
}
