/// `capstan update --open-pr`: the update and the pull request it leads to, in one JSON object.
public struct UpdateWithPullRequestOutcome: Outcome {
    public let update: UpdateOutcome
    public let pullRequest: PullRequestOutcome

    public init(update: UpdateOutcome, pullRequest: PullRequestOutcome) {
        self.update = update
        self.pullRequest = pullRequest
    }

    public var text: String { update.text }
    public var notes: [String] { update.notes + pullRequest.notes }
}

/// The default description of an update's pull request: every changed value, one a line.
public enum UpdatePullRequestBody {
    public static func text(for outcome: UpdateOutcome) -> String {
        let lines = outcome.changes.map { "- `\($0.file)`: `\($0.field)`: \($0.from ?? "(new)") → \($0.to)" }
        return "Capstan updated \(outcome.files.count) file\(outcome.files.count == 1 ? "" : "s"):\n\n" + lines.joined(separator: "\n") + "\n"
    }
}
