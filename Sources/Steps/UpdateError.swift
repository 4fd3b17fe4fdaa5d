import Edits
import Git

/// Why `capstan update` stopped. Messages never contain a secret.
public enum UpdateError: Error, Sendable, CustomStringConvertible {
    case usage(String)
    case edit(EditError)
    case git(GitError)
    /// Every attempt's push was rejected because others kept pushing first.
    case pushRejected(attempts: Int, reference: String, reason: String)
    case workDirectory(String)
    /// The release repository's .capstan.yaml is wrong.
    case config(ConfigError)

    public var description: String {
        switch self {
        case let .usage(message): message
        case let .edit(error): error.description
        case let .git(error): error.description
        case let .pushRejected(attempts, reference, reason):
            "push to \(reference) rejected \(attempts) times (last: \(reason)); others keep pushing first — raise --max-attempts or retry later"
        case let .workDirectory(message): message
        case let .config(error): error.description
        }
    }
}
