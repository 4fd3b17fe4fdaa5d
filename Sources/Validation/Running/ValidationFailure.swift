/// A failure that stops a run before any verdict (exit status 2).
public enum ValidationFailure: Error, Sendable, CustomStringConvertible {
    case schema(SchemaError)
    case unreadableInput(path: String, reason: String)
    case usage(String)
    /// `--kustomize` or `--helm` asked for a renderer that is not installed.
    case missingRenderer(flag: String, needs: String, install: String)

    /// What went wrong, without the path.
    public var reason: String {
        switch self {
        case let .unreadableInput(_, reason): reason
        default: description
        }
    }

    public var description: String {
        switch self {
        case let .schema(error): error.description
        case let .unreadableInput(path, reason): "\(path): \(reason)"
        case let .usage(message): message
        case let .missingRenderer(flag, needs, install):
            "\(flag) needs \(needs), which is not installed: \(install); or pass --render-optional to validate without rendering"
        }
    }
}
