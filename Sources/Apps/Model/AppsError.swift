import YAML

/// Why linked-app discovery could not finish.
public enum AppsError: Error, Sendable, CustomStringConvertible {
    /// The repository root does not exist or is not a directory.
    case missingRoot(String)
    /// A reconciler or kustomization file does not parse.
    case unparsable(path: String, message: String)
    /// A changed path given with --files lies outside the repository.
    case outsideRepository(String)
    /// A file discovery must read is a link, not a regular file, or too large.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .missingRoot(path): "\(path): no such directory"
        case let .unparsable(path, message): message.hasPrefix(path) ? message : "\(path): \(message)"
        case let .outsideRepository(path): "\(path): outside the repository"
        case let .unreadable(path, reason): "\(path): \(reason)"
        }
    }
}
