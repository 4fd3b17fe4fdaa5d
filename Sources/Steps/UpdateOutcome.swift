import Edits
import Git

/// What `capstan update` did, for people (text) and machines (JSON, GitHub Actions outputs).
public struct UpdateOutcome: Outcome {
    public let repository: String
    public let base: String
    public let branch: String
    /// The commit pushed (or found already on the bot branch); nil when nothing changed.
    public let commit: String?
    /// The base tip the change was made on.
    public let parent: String
    public let pushed: Bool
    public let changed: Bool
    public let upToDate: Bool
    public let dryRun: Bool
    public let attempts: Int
    public let files: [String]
    public let changes: [Change]
    public let images: [ImageChange]
    public let warnings: [EditWarning]
    public let diff: String
    /// The commit subject ("Update checkout to 1.5.0"): the default pull request title.
    public let summary: String

    /// Pull request settings from the release repository's .capstan.yaml, for `--open-pr`.
    public let pullRequestDefaults: PullRequestDefaults?

    init(url: RemoteURL, options: UpdateOptions, target: String, result: EditResult, commit: ObjectID?, parent: ObjectID,
         pushed: Bool, attempts: Int, upToDate: Bool, pullRequestDefaults: PullRequestDefaults?) {
        self.pullRequestDefaults = pullRequestDefaults
        repository = url.url
        base = options.base
        branch = target
        self.commit = commit?.hex
        self.parent = parent.hex
        self.pushed = pushed
        changed = !result.isEmpty
        self.upToDate = upToDate
        dryRun = options.dryRun
        self.attempts = attempts
        files = result.files.map(\.path)
        changes = result.changes
        images = ImageChange.summarise(result.changes, edits: options.plan.edits)
        warnings = result.warnings
        diff = result.diff
        summary = CommitMessage(edits: options.plan.edits, result: result, template: nil).summary
    }

    public var text: String { diff }

    public var notes: [String] {
        var lines = warnings.map { "warning: \($0)" }
        if !changed {
            lines.append("nothing to change: \(base) already has every requested value")
        } else if dryRun {
            lines.append("dry run: would commit \(files.count) file\(files.count == 1 ? "" : "s") and push to \(branch)")
        } else if let commit {
            lines.append(pushed ? "pushed \(commit.prefix(7)) to \(branch)" + (attempts > 1 ? " after \(attempts) attempts" : "")
                                : "\(branch) is already at \(commit.prefix(7))")
        }
        return lines
    }

    /// `name=value` lines for `$GITHUB_OUTPUT`.
    public var githubOutputs: [(String, String)] {
        var outputs: [(String, String)] = [
            ("changed", changed ? "true" : "false"),
            ("pushed", pushed ? "true" : "false"),
            ("branch", branch),
            ("base", base),
        ]
        if let commit { outputs.append(("commit", commit)) }
        outputs.append(("files", files.joined(separator: " ")))
        return outputs
    }
}
