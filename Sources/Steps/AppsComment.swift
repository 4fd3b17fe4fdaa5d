import Apps
import Forges

/// Which PR `capstan apps --comment` comments on: a number, or the open PR from a head
/// branch, else what the CI run says (GitLab, Bitbucket and Azure pipelines name the PR
/// number; GitHub Actions names the head and base branches of a `pull_request` run).
public struct CommentTarget: Sendable, Equatable {
    public var number: Int?
    public var head: String?
    public var base: String

    public init(number: Int? = nil, head: String? = nil, base: String? = nil, environment: [String: String] = [:]) {
        let ciNumber = ["CI_MERGE_REQUEST_IID", "BITBUCKET_PR_ID", "SYSTEM_PULLREQUEST_PULLREQUESTID"]
            .lazy.compactMap { environment[$0].flatMap(Int.init) }.first
        self.number = number ?? (head == nil ? ciNumber : nil)
        self.head = head ?? environment["GITHUB_HEAD_REF"].flatMap { $0.isEmpty ? nil : $0 }
        self.base = base ?? environment["GITHUB_BASE_REF"].flatMap { $0.isEmpty ? nil : $0 } ?? "main"
    }
}

/// What `capstan apps --comment` did on the forge.
public struct AppsCommentOutcome: Sendable, Codable, Equatable {
    /// created, updated or unchanged.
    public let action: CommentResult.Action
    public let forge: String
    public let number: Int
    public let commentID: String
    public let url: String
    /// API requests sent (the PR lookup included).
    public let apiCalls: Int

    public var summary: String {
        "comment \(action.rawValue) on PR #\(number)" + (url.isEmpty ? "" : " (\(url))")
            + "; \(apiCalls) API call\(apiCalls == 1 ? "" : "s")"
    }

    /// `name=value` lines for `$GITHUB_OUTPUT`.
    public var githubOutputs: [(String, String)] {
        [("pr-number", "\(number)"), ("comment-action", action.rawValue), ("comment-id", commentID), ("comment-url", url)]
    }
}

/// Posts the affected apps as the PR's Capstan comment, editing the one it posted before
/// (found by `PullRequestComment.marker`) instead of adding another.
public struct AppsCommentStep: Sendable {
    public let forge: any Forge

    public init(forge: any Forge) {
        self.forge = forge
    }

    public func run(body: String, target: CommentTarget) async throws(PullRequestError) -> AppsCommentOutcome {
        let before = await forge.requestCount
        do {
            let number = try await resolve(target)
            let result = try await forge.upsertComment(on: number, marker: PullRequestComment.marker, body: body)
            // The comment's id and page are the forge's words: one printable line, as a PR's are.
            return AppsCommentOutcome(action: result.action, forge: forge.kind.rawValue, number: number,
                                      commentID: PullRequestOutcome.words(result.id), url: PullRequestOutcome.words(result.url),
                                      apiCalls: await forge.requestCount - before)
        } catch {
            throw .forge(error)
        }
    }

    private func resolve(_ target: CommentTarget) async throws(ForgeError) -> Int {
        if let number = target.number { return number }
        guard let head = target.head else {
            throw .configuration("--comment needs the PR: give --pr NUMBER or --head BRANCH (no CI variable names one)")
        }
        guard let found = try await forge.findOpen(head: head, base: target.base) else {
            throw .configuration("--comment: no open PR from \(head) into \(target.base)")
        }
        return found.number
    }
}
