import ArgumentParser
import Edits
import Forges
import Foundation
import Git
import Signatures
import Steps

struct UpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Edit a release repository and push the change (UpdateReleaseRepo): fetch, edit, commit, push.",
        discussion: """
        Fetches the base branch (into --workdir when given, so later runs only fetch), applies the
        edits exactly as `capstan set` does, commits and pushes. Without --branch the commit goes
        straight onto the base branch; with --branch onto a bot branch made from the base tip
        (force-updated: Capstan owns it). The base is never force-pushed. When someone else pushed
        first, Capstan fetches, re-applies the edits to the new tip and pushes again (up to
        --max-attempts). A push counts only once the branch, read back, holds the commit. Nothing
        to change: no commit, no push, exit 0. Nothing is checked out: the edit reads and writes
        Git objects. A local repository (a path or file://) is written in place, its branch moved
        by compare-and-swap; other remotes are fetched into --workdir (a half-made one, left by a
        killed run, is rebuilt). --timeout bounds the whole run; http_proxy, https_proxy and
        no_proxy apply to HTTP(S) remotes; a redirect to another origin is refused and gets no
        credentials.

        Credentials: HTTPS tokens come from --token-env NAME or, by default, GITHUB_TOKEN,
        GITLAB_TOKEN, CI_JOB_TOKEN, GITEA_TOKEN, FORGEJO_TOKEN, BITBUCKET_TOKEN, AZURE_DEVOPS_TOKEN
        or SYSTEM_ACCESSTOKEN; SSH uses --ssh-key and --known-hosts (a host key not listed fails).
        Tokens are never printed nor written to .git/config. --sign-key signs each commit (OpenPGP
        or SSH, as `git verify-commit` expects); its passphrase comes from $CAPSTAN_SIGN_PASSPHRASE
        or the variable --sign-passphrase-env names.

        The default author is Capstan <capstan@users.noreply.invalid>. The message lists every
        changed value and ends with Capstan-Edit: trailers; --message may use {summary},
        {changes}, {files}, {images} and {edits}.

        With --open-pr (needs --branch), Capstan then makes sure one open pull request goes
        from the bot branch into the base: it finds the open one and updates its title, body
        and labels, or opens it; re-running never opens a duplicate. The forge is detected
        as for `capstan pr` (--forge, --forge-url, --project override it).

        Examples:
          capstan update --repo https://github.com/acme/release.git --set-image ghcr.io/acme/checkout:1.5.0
          capstan update --repo git@github.com:acme/release.git --ssh-key ~/.ssh/bot --branch capstan/checkout-1.5.0 \\
              --set-value envs/prod/config.yaml:image.tag=1.5.0 --workdir /var/cache/capstan/release
        """
    )

    @Option(help: "The release repository (https://, ssh://, git@host:path, file:// or a local path).")
    var repo: String

    @Option(help: "The branch to start from.")
    var base: String = "main"

    @Option(help: "Push to this bot branch instead of the base.")
    var branch: String?

    @OptionGroup var edits: EditOptions

    @Option(help: "The commit message (placeholders: {summary} {changes} {files} {images} {edits}).")
    var message: String?

    @Option(help: "Author and committer, \"Name <email>\".")
    var author: String?

    @Option(help: "A directory kept between runs (fetch instead of clone).")
    var workdir: String?

    @Option(help: "How many times to re-apply and push when others push first.")
    var maxAttempts: Int = 10

    @Option(help: "Environment variable holding an HTTPS token.")
    var tokenEnv: String?

    @OptionGroup(title: "Git credentials") var git: GitCredentialFlags

    @Option(help: "Sign commits with this key: an armored OpenPGP secret key or an OpenSSH private key.")
    var signKey: String?

    @Option(help: "Environment variable holding the signing key's passphrase.")
    var signPassphraseEnv: String = CommitSigningKey.passphraseVariable

    @Flag(help: "Fetch and edit, print the diff; no commit, no push.")
    var dryRun = false

    @Option(help: "text or json.")
    var output: OutputFormat = .text

    @Flag(help: "After pushing the bot branch, open (or update) its pull request.")
    var openPr = false

    @OptionGroup(title: "Pull request (with --open-pr)") var content: PullRequestContent

    @OptionGroup(title: "Forge (with --open-pr)") var forge: ForgeFlags

    func validate() throws {
        if let author { _ = try authorPerson(author) }
        if maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1") }
        if let timeout = forge.timeout, timeout <= 0 { throw ValidationError("--timeout must be more than 0 seconds") }
        for (flag, name) in [("--base", base), ("--branch", branch ?? "main")] where !LibGit2.isValidBranchName(name) {
            throw ValidationError("\(flag) \(name) is not a valid branch name (no spaces, ':', '~', '^', '?', '*', '[', '..' or '@{')")
        }
        if openPr && branch == nil { throw ValidationError("--open-pr needs --branch: the pull request goes from it into --base") }
    }

    func run() async throws {
        let plan = try failing { () throws(EditError) in try edits.plan() }
        let signer = try signKey.map { path in
            try failing { () throws(SignatureError) in
                try CommitSigningKey(path: path, passphraseVariable: signPassphraseEnv).commitSigner
            }
        }
        let options = UpdateOptions(
            repository: repo, base: base, branch: branch, plan: plan, message: message,
            author: try author.map(authorPerson),
            credentials: git.options(tokenVariable: tokenEnv, caBundle: forge.caBundle),
            workDirectory: workdir, maxAttempts: maxAttempts, timeout: forge.timeout ?? 300,
            dryRun: dryRun, signer: signer)
        let outcome = try failing { () throws(UpdateError) in
            try UpdateStep(options: options).run { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        }
        guard openPr, let branch, outcome.commit != nil, !dryRun else {
            emit(outcome, as: output)
            StepOutputs.writeOutputs(outcome.githubOutputs)
            return
        }
        let connection = try failing { () throws(PullRequestError) in
            try ForgeConnector.connect(remote: repo, options: forge.options(tokenVariable: tokenEnv),
                                       environment: ProcessInfo.processInfo.environment)
        }
        let draft = content.draft(head: branch, base: base, defaultTitle: outcome.summary,
                                  defaultBody: UpdatePullRequestBody.text(for: outcome), configured: outcome.pullRequestDefaults)
        let opened = try await failingPR { () async throws(PullRequestError) in try await OpenPullRequestStep(forge: connection, draft: draft).run() }
        switch output {
        case .text: emit(outcome, as: .text)
        case .json: emit(UpdateWithPullRequestOutcome(update: outcome, pullRequest: opened), as: .json)
        }
        note(opened.notes.joined(separator: "\n"))
        StepOutputs.writeOutputs(outcome.githubOutputs + opened.githubOutputs)
    }
}
