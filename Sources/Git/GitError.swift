internal import CGit2

/// A libgit2 failure, with libgit2's own message and the operation that failed.
public struct GitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What Capstan was doing, e.g. "open repository /tmp/x".
    public let operation: String
    /// libgit2's return code (GIT_ENOTFOUND, GIT_EAUTH, ...).
    public let code: Int32
    /// libgit2's message, with any credentials removed.
    public let message: String

    public init(operation: String, code: Int32, message: String) {
        self.operation = operation
        self.code = code
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }

    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }
    public var isAuthenticationFailure: Bool { code == GIT_EAUTH.rawValue }
    public var isNonFastForward: Bool { code == GIT_ENONFASTFORWARD.rawValue }
}

/// Runs a libgit2 call; a negative result becomes a `GitError` carrying `git_error_last`.
@discardableResult
func check(_ operation: @autoclosure () -> String, _ result: Int32) throws(GitError) -> Int32 {
    guard result < 0 else { return result }
    let message = git_error_last().map { String(cString: $0.pointee.message) } ?? "error \(result)"
    throw GitError(operation: operation(), code: result, message: message)
}
