import Reconcilers

/// How a rollout ended, per app and overall.
public struct RolloutReport: Sendable, Encodable {
    public enum Result: String, Sendable, Encodable {
        case rolledOut = "rolled-out"
        case failed
        case timedOut = "timed-out"
    }

    public struct App: Sendable, Encodable {
        public let target: WaitTarget
        /// The last verdict: revision seen, sync/health/ready, the reconciler's messages.
        public var verdict: AppVerdict
        /// Seconds from the start of the wait to the last change of state.
        public var seconds: Int
        /// Polls this app took (one API request each).
        public var polls: Int
    }

    public let merge: String
    public var result: Result
    public var apps: [App]
    public var polls: Int
    public var requests: Int
    public var seconds: Int

    /// The apps that failed, or (timed out) that were still waiting.
    public var unfinished: [App] { apps.filter { $0.verdict.phase != .rolledOut } }
}

/// What `--revert-on-failure` did after a failed rollout.
public struct RevertStage: Sendable, Encodable {
    /// The revert PR (opened or found), and its merge.
    public var pullRequest: PullRequestOutcome?
    public var merged: PullRequestOutcome?
    /// The wait for the revert to roll out.
    public var rollout: RolloutReport?
    /// Why the revert stopped short, when it did.
    public var error: String?
}

/// `capstan wait`: the rollout of the merge and, after a failure, of its revert.
public struct WaitOutcome: Outcome {
    public var rollout: RolloutReport
    public var revert: RevertStage?
    /// Apps the change affects that cannot be waited for (templated names, ApplicationSets).
    public var skipped: [String]
    /// The release repository's URLs (which sources of a multi-source app are ours), for the revert's wait.
    public var repositoryURLs: [String] = []

    enum CodingKeys: String, CodingKey {
        case rollout, revert, skipped
    }

    /// 0 rolled out and healthy, 3 failed, 7 timed out. A revert does not change it: the
    /// merge still did not roll out.
    public var exitCode: Int32 {
        switch rollout.result {
        case .rolledOut: 0
        case .failed: 3
        case .timedOut: 7
        }
    }

    public var text: String {
        var lines = Self.lines(rollout, heading: "rollout of \(rollout.merge.prefix(7))")
        if let revert {
            if let pr = revert.pullRequest { lines.append("revert: PR #\(pr.number) \(pr.action) (\(pr.url))") }
            if let merged = revert.merged { lines.append("revert: PR #\(merged.number) merged as \(merged.mergeSHA?.prefix(7) ?? "?")") }
            if let rollout = revert.rollout { lines += Self.lines(rollout, heading: "rollout of the revert \(rollout.merge.prefix(7))") }
            if let error = revert.error { lines.append("revert: stopped: \(error)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func lines(_ report: RolloutReport, heading: String) -> [String] {
        var lines = ["\(heading): \(report.result.rawValue) after \(report.seconds) s (\(report.polls) polls, \(report.requests) API requests)"]
        for app in report.apps {
            lines.append("  \(app.target.label): \(app.verdict.summary)")
            for message in app.verdict.messages where app.verdict.phase != .rolledOut {
                lines.append("    \(message)")
            }
        }
        return lines
    }

    public var notes: [String] { skipped.map { "not waited for: \($0)" } }

    /// Outputs for `$GITHUB_OUTPUT` / `CAPSTAN_DOTENV`.
    public var githubOutputs: [(String, String)] {
        var outputs = [("rollout", rollout.result.rawValue), ("rollout-sha", rollout.merge),
                       ("rollout-apps", rollout.apps.map(\.target.label).joined(separator: ",")),
                       ("rollout-unfinished", rollout.unfinished.map(\.target.label).joined(separator: ","))]
        if let revert {
            if let pr = revert.merged ?? revert.pullRequest {
                outputs.append(("revert-pr-number", "\(pr.number)"))
                outputs.append(("revert-pr-state", pr.state))
            }
            if let sha = revert.merged?.mergeSHA { outputs.append(("revert-sha", sha)) }
            outputs.append(("revert-rollout", revert.rollout?.result.rawValue ?? "not-waited"))
        }
        return outputs
    }
}
