/// Text that was meant to name a commit's author or committer but is not `Name <email>`.
public struct CommitPersonError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with it.
    public enum Problem: Sendable, Equatable {
        /// No `<email>` part.
        case noEmail
        /// Nothing before the `<email>`.
        case noName
        /// The part in angle brackets has no `@` or has a space.
        case badEmail(String)
    }

    /// The text as given.
    public let text: String
    public let problem: Problem

    public init(text: String, problem: Problem) {
        self.text = text
        self.problem = problem
    }

    public var description: String {
        let reason = switch problem {
        case .noEmail: "no <email>"
        case .noName: "no name before <email>"
        case let .badEmail(email): "\"\(email)\" is not an email address"
        }
        return "\"\(text)\" must look like \"Name <email>\": \(reason)"
    }
}
