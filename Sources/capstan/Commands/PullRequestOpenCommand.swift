import ArgumentParser
import Forges
import Steps

/// Title, body, labels, reviewers, draft: the flags that describe a PR.
struct PullRequestContent: ParsableArguments {
    @Option(help: "The PR title.")
    var title: String?

    @Option(help: "The PR description.")
    var body: String?

    @Option(help: "A label to set (repeatable).")
    var label: [String] = []

    @Option(help: "A reviewer to request (repeatable).")
    var reviewer: [String] = []

    @Flag(help: "Open as a draft.")
    var draft = false

    /// The PR to open: flags first, then the release repository's .capstan.yaml (whose
    /// title and body may use {summary}), then Capstan's own title and body.
    func draft(head: String, base: String, defaultTitle: String, defaultBody: String = "",
               configured: PullRequestDefaults? = nil) -> PullRequestDraft {
        let configuredTitle = configured?.title?.replacing("{summary}", with: defaultTitle)
        let configuredBody = configured?.body?.replacing("{summary}", with: defaultTitle)
        return PullRequestDraft(head: head, base: base, title: title ?? configuredTitle ?? defaultTitle,
                                body: body ?? configuredBody ?? defaultBody,
                                labels: label.isEmpty ? configured?.labels ?? [] : label,
                                reviewers: reviewer.isEmpty ? configured?.reviewers ?? [] : reviewer,
                                draft: draft || configured?.draft == true)
    }
}

struct PullRequestOpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Open a PR from --head into --base, or update the open one (never a duplicate).",
        discussion: """
        Examples:
          capstan pr open --repo https://github.com/acme/release.git --head capstan/checkout-1.5.0 --label release
          capstan pr open --repo https://gitea.example.com/acme/release.git --head bot/bump --title "Bump checkout" --draft
        """)

    @OptionGroup var connection: PullRequestConnection
    @Option(help: "The branch with the changes.") var head: String
    @Option(help: "The branch to merge into.") var base: String = "main"
    @OptionGroup var content: PullRequestContent

    func run() async throws {
        let forge = try connection.connect()
        let draft = content.draft(head: head, base: base, defaultTitle: "Merge \(head) into \(base)")
        let outcome = try await failingPR { () async throws(PullRequestError) in try await OpenPullRequestStep(forge: forge, draft: draft).run() }
        connection.emit(outcome)
    }
}

struct PullRequestFindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find", abstract: "Print the open PR from --head into --base, or a PR by number; exit 1 when there is none.",
        discussion: """
        Examples:
          capstan pr find --repo https://github.com/acme/release.git --head capstan/checkout-1.5.0
          capstan pr find 42 --repo https://github.com/acme/release.git --output json
        """)

    @OptionGroup var connection: PullRequestConnection
    @Option(help: "The branch with the changes.") var head: String?
    @Option(help: "The branch to merge into.") var base: String = "main"
    @Argument(help: "A PR number.") var number: Int?

    func validate() throws {
        if (head == nil) == (number == nil) { throw ValidationError("give a PR NUMBER or --head BRANCH") }
    }

    func run() async throws {
        let forge = try connection.connect()
        let outcome = try await failingPR { () async throws(PullRequestError) in
            try await PullRequestActions(forge: forge).find(number: number, head: head, base: base)
        }
        connection.emit(outcome)
    }
}

struct PullRequestCommentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "comment", abstract: "Comment on a PR.", discussion: """
        Examples:
          capstan pr comment 42 --repo https://github.com/acme/release.git --body "Deployed to staging."
          capstan pr comment 7 --repo https://gitlab.example.com/platform/release.git --body "Smoke tests passed."
        """)

    @OptionGroup var connection: PullRequestConnection
    @Argument(help: "The PR number.") var number: Int
    @Option(help: "The comment.") var body: String

    func run() async throws {
        let forge = try connection.connect()
        let outcome = try await failingPR { () async throws(PullRequestError) in
            try await PullRequestActions(forge: forge).comment(number: number, body: body)
        }
        connection.emit(outcome)
    }
}

struct PullRequestStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Post a commit status (build status) on a SHA or a PR's head; without --state, read and print its checks.",
        discussion: """
        Without --state, prints each check on the head (state, name, the forge's word) and, with
        --output json, the summary `pr merge` acts on ("checks": none, pending, success, failure);
        exits 3 when it is failure.

        Examples:
          capstan pr status --repo https://github.com/acme/release.git --pr 42
          capstan pr status --repo https://github.com/acme/release.git --pr 42 --state success --context ci/e2e
          capstan pr status --repo https://github.com/acme/release.git --sha 1a2b3c4 --state pending --context ci/e2e
        """)

    @OptionGroup var connection: PullRequestConnection
    @Option(help: "The commit.") var sha: String?
    @Option(help: "A PR whose head gets the status.") var pr: Int?
    @Option(help: "pending, success, failure or error; omit it to read the checks instead.") var state: String?
    @Option(help: "The status's name.") var context: String = "capstan"
    @Option(help: "A short description.") var description: String = ""
    @Option(help: "A link to details.") var targetURL: String?

    func validate() throws {
        if (sha == nil) == (pr == nil) { throw ValidationError("give --sha SHA or --pr NUMBER") }
        if let state, CommitStatus.State(rawValue: state) == nil { throw ValidationError("--state must be pending, success, failure or error") }
    }

    func run() async throws {
        let forge = try connection.connect()
        guard let state, let parsed = CommitStatus.State(rawValue: state) else {
            let read = try await failingPR { () async throws(PullRequestError) in
                try await PullRequestActions(forge: forge).readChecks(sha: sha, number: pr)
            }
            capstanEmit(read, as: connection.output)
            // Red exits 3, as `pr merge` does on red, so a gate can read checks without merging;
            // pending and none are answers, not failures (the summary says which).
            if read.checks == .failure { throw ExitCode(3) }
            return
        }
        let status = CommitStatus(state: parsed, context: context, description: description, targetURL: targetURL)
        let outcome = try await failingPR { () async throws(PullRequestError) in
            try await PullRequestActions(forge: forge).postStatus(status, sha: sha, number: pr)
        }
        connection.emit(outcome)
    }
}

struct PullRequestCloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "Close a PR without merging.", discussion: """
        Examples:
          capstan pr close 42 --repo https://github.com/acme/release.git
          capstan pr close 7 --repo https://bitbucket.org/acme/release.git --token-env BITBUCKET_TOKEN
        """)

    @OptionGroup var connection: PullRequestConnection
    @Argument(help: "The PR number.") var number: Int

    func run() async throws {
        let forge = try connection.connect()
        let outcome = try await failingPR { () async throws(PullRequestError) in try await PullRequestActions(forge: forge).close(number: number) }
        connection.emit(outcome)
    }
}
