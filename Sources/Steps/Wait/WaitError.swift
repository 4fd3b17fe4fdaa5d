import Reconcilers

/// Why `capstan wait` could not watch the rollout at all (exit 1, or 2 for usage). A
/// rollout that failed or timed out is an outcome, not an error.
public enum WaitError: Error, Sendable, CustomStringConvertible {
    case usage(String)
    /// The reconciler refused or did not understand a request (bad token, unknown app).
    case reconciler(target: String, error: ReconcilerError)
    case apps(AppsStepError)
    case pullRequest(PullRequestError)

    public var description: String {
        switch self {
        case let .usage(message): message
        case let .reconciler(target, error): "\(target): \(error)"
        case let .apps(error): error.description
        case let .pullRequest(error): error.description
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .usage: 2
        case .reconciler, .apps: 1
        case let .pullRequest(error): error.exitCode
        }
    }
}
