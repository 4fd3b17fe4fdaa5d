import Forges
import Git
import Words

/// Why a pull-request step stopped. Each reason a merge can be refused has its own exit
/// code, so a pipeline can tell "try again later" from "a human must look".
public enum PullRequestError: Error, Sendable, CustomStringConvertible {
    case usage(String)
    case forge(ForgeError)
    case git(GitError)
    case update(UpdateError)
    /// A required check failed on the head: nothing was merged.
    case checksFailed(number: Int, sha: String)
    /// The head moved after Capstan checked it: nothing was merged.
    case headMoved(number: Int, checked: String, message: String)
    /// Conflicts, or otherwise not mergeable.
    case notMergeable(number: Int, message: String)
    /// Branch protection or a policy refused the merge.
    case policy(number: Int, message: String)
    /// The head must first be brought up to date with the base, or the merge go through
    /// the forge's merge queue: retrying the same merge cannot succeed.
    case behindOrQueued(number: Int, message: String)
    /// The PR is closed (or already merged when merging was asked).
    case notOpen(number: Int, state: String)
    /// --wait ran out before the PR became mergeable with green checks.
    case timedOut(number: Int, waited: Double, last: String)
    /// --wait ran out and the head never had a check reported: untested, so not merged.
    case noChecks(number: Int, waited: Double, sha: String)

    /// One printable line: the messages hold the forge's words (a refusal, a state).
    public var description: String {
        ForeignWords.printable(unprinted)
    }

    private var unprinted: String {
        switch self {
        case let .usage(message): message
        case let .forge(error): error.description
        case let .git(error): error.description
        case let .update(error): error.description
        case let .checksFailed(number, sha):
            "PR #\(number): a required check failed on \(sha.prefix(7)); not merged"
        case let .headMoved(number, checked, message):
            "PR #\(number): the head moved after Capstan checked \(checked.prefix(7)); not merged (\(message))"
        case let .notMergeable(number, message):
            "PR #\(number) cannot be merged: \(message)"
        case let .policy(number, message):
            "PR #\(number): the forge's branch protection or policy refused the merge: \(message)"
        case let .behindOrQueued(number, message):
            "PR #\(number): not merged: the forge wants the branch brought up to date with its base "
                + "or the merge made through its merge queue (update the branch, or queue the PR): \(message)"
        case let .notOpen(number, state):
            "PR #\(number) is \(state)"
        case let .timedOut(number, waited, last):
            "PR #\(number): still not mergeable after \(Int(waited)) s (\(last)); raise --wait or look at the PR"
        case let .noChecks(number, waited, sha):
            "PR #\(number): not merged after waiting \(Int(waited)) s: no checks reported on \(sha); "
                + "if this repository runs no CI, pass --allow-no-checks"
        }
    }

    /// The process exit status for this failure.
    public var exitCode: Int32 {
        switch self {
        case .usage, .forge, .git, .update, .notOpen: 1
        case .checksFailed: 3
        case .headMoved: 4
        case .notMergeable: 5
        case .policy: 6
        case .timedOut, .noChecks: 7
        case .behindOrQueued: 8
        }
    }
}
