import Forges
import Words

/// What a pull-request step did, for people and machines.
public struct PullRequestOutcome: Outcome {
    /// opened, updated, unchanged, found, merged, closed, commented, status, reverted.
    public let action: String
    public let forge: String
    public let number: Int
    public let url: String
    public let title: String
    public let head: String
    public let base: String
    public let headSHA: String
    public let mergeSHA: String?
    public let state: String
    /// API requests this operation sent (retries and polls included).
    public let apiCalls: Int
    /// Polls of the PR's state while waiting to merge.
    public let polls: Int
    /// What `pr open` changed on a PR that was already open (title, body, labels, draft),
    /// judged by what differs between the PR before and after; nil for other actions.
    public let changed: [String]?
    /// The forge's words when it refused to open a duplicate and Capstan took the open PR
    /// instead (a concurrent run opened it between Capstan's look and its create).
    public let refusal: String?

    init(action: String, forge: any Forge, pullRequest: PullRequest, apiCalls: Int, polls: Int = 0, changed: [String]? = nil,
         refusal: String? = nil) {
        self.action = action
        self.forge = forge.kind.rawValue
        number = pullRequest.number
        url = Self.words(pullRequest.url)
        title = Self.words(pullRequest.title)
        head = Self.words(pullRequest.head)
        base = Self.words(pullRequest.base)
        headSHA = Self.words(pullRequest.headSHA)
        mergeSHA = pullRequest.mergeSHA.map(Self.words)
        state = pullRequest.state.rawValue
        self.apiCalls = apiCalls
        self.polls = polls
        self.changed = changed
        self.refusal = refusal.map { ForeignWords.line($0) }
    }

    /// Every word here is the forge's, and whoever can open a PR or answer for the forge
    /// chose it: it is one printable line, cut at 1,000 characters (no forge takes a title
    /// that long), before it reaches the text, the notes, `$GITHUB_OUTPUT` or the JSON.
    /// The JSON carries these same printable words, not the raw ones escaped: a pipeline
    /// reads it with `jq -r` into its log or a shell, where `\u001b` is an ESC again. Only a
    /// word holding control or bidi characters (which no honest URL, SHA or git branch name
    /// holds) or over 1,000 characters differs from what the forge sent.
    static func words(_ text: String) -> String {
        ForeignWords.line(text, limit: 1000)
    }

    /// The PR's page, else its number; a status posted on a bare commit (no PR) prints the commit.
    public var text: String {
        if number == 0 { return "\(headSHA)\n" }
        return url.isEmpty ? "\(number)\n" : "\(url)\n"
    }

    public var notes: [String] {
        if number == 0 { return ["\(action) on \(headSHA.prefix(7)); \(apiCalls) API call\(apiCalls == 1 ? "" : "s")"] }
        var line = "\(refusal == nil ? action : "found") PR #\(number) (\(head) → \(base), \(state))"
        if let refusal { line += ", which the forge said already exists (\(refusal))" }
        if let mergeSHA { line += ", merge commit \(mergeSHA.prefix(7))" }
        if let changed { line += changed.isEmpty ? "; changed nothing" : "; changed its " + Self.list(changed) }
        return [line + "; \(apiCalls) API call\(apiCalls == 1 ? "" : "s")" + (polls > 0 ? ", \(polls) poll\(polls == 1 ? "" : "s")" : "")]
    }

    /// "title", "title and body", "title, body and labels".
    private static func list(_ words: [String]) -> String {
        words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " and " + (words.last ?? "")
    }

    /// `name=value` lines for `$GITHUB_OUTPUT`.
    public var githubOutputs: [(String, String)] {
        // A status on a bare commit has no PR: no pr-number=0 or empty pr-url for a later step to trust.
        if number == 0 { return [("head-sha", headSHA), ("pr-action", action)] }
        var outputs = [("pr-number", "\(number)"), ("pr-url", url), ("pr-state", state), ("head-sha", headSHA), ("pr-action", action)]
        if let mergeSHA { outputs.append(("merge-sha", mergeSHA)) }
        return outputs
    }
}
