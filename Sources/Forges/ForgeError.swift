/// Why a forge request failed. Carries the HTTP status, the forge's own words and the
/// request (method and path) — never the token, which is only ever in a header.
public enum ForgeError: Error, Sendable, CustomStringConvertible {
    /// The forge answered with an error status.
    case http(status: Int, message: String, method: String, path: String)
    /// No answer: connection refused, reset, timed out.
    case transport(message: String, method: String, path: String)
    /// Rate limited (429 or a secondary limit) for longer than the wait budget allows.
    case rateLimited(waitSeconds: Double, message: String, method: String, path: String)
    /// The answer was not what the forge documents.
    case unexpectedAnswer(String, method: String, path: String)
    /// The forge or project could not be worked out, or the options contradict each other.
    case configuration(String)
    /// The forge has no API for this operation.
    case unsupported(String)

    public var description: String {
        switch self {
        case let .http(status, message, method, path):
            "\(method) \(path): HTTP \(status)" + (message.isEmpty ? "" : ": \(message)")
        case let .transport(message, method, path):
            "\(method) \(path): \(message)"
        case let .rateLimited(wait, message, method, path):
            "\(method) \(path): rate limited; the forge asks to wait \(Int(wait.rounded(.up))) s, more than the budget allows"
                + (message.isEmpty ? "" : ": \(message)")
        case let .unexpectedAnswer(message, method, path):
            "\(method) \(path): unexpected answer: \(message)"
        case let .configuration(message): message
        case let .unsupported(message): message
        }
    }

    /// The HTTP status, when the forge answered.
    public var status: Int? {
        if case let .http(status, _, _, _) = self { return status }
        return nil
    }
}
