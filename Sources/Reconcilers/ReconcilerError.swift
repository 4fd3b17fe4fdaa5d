import Words

/// Why a reconciler could not be asked, or did not answer usefully. A failed rollout is
/// not an error: it is an `AppVerdict`.
public enum ReconcilerError: Error, Sendable, CustomStringConvertible {
    /// The request did not complete (connection refused, TLS, deadline).
    case transport(url: String, message: String)
    /// The API answered with an error status; `message` is the server's own.
    case http(url: String, status: Int, message: String)
    /// The answer was not the JSON expected.
    case undecodable(url: String, message: String)
    /// A kubeconfig (or the in-cluster service account) that cannot be used.
    case kubeconfig(path: String, message: String)

    /// One printable line: the messages are the server's, libcurl's or a decoder's words.
    public var description: String {
        ForeignWords.printable(unprinted)
    }

    private var unprinted: String {
        switch self {
        case let .transport(url, message): "\(url): \(message)"
        case let .http(url, status, message): "\(url): HTTP \(status)" + (message.isEmpty ? "" : ": \(message)")
        case let .undecodable(url, message): "\(url): unexpected answer: \(message)"
        case let .kubeconfig(path, message): "\(path): \(message)"
        }
    }

    /// The HTTP status, when the server answered.
    public var status: Int? {
        if case let .http(_, status, _) = self { return status }
        return nil
    }

    /// Worth asking again at the next poll: the network or a server that is busy or restarting.
    public var isTransient: Bool {
        switch self {
        case .transport: true
        case let .http(_, status, _): status == 429 || status >= 500
        default: false
        }
    }
}
