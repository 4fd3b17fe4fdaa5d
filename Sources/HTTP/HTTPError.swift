/// Why a call got no usable answer. Carries the method and the URL as shown
/// (`HTTPRequest.shownURL`: no user info, secret query values masked), never a header.
public struct HTTPError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// The per-call timeout or the overall deadline passed, or the server sent too slowly.
        case timeout
        /// The body passed `HTTPPolicy.maxResponseBytes` (or the headers passed their bound).
        case tooLarge
        /// A redirect to another origin, to plain HTTP, of a write by 301, 302 or 303, or one too many.
        case redirectRefused
        /// TLS failed: certificate not trusted, bad client certificate, handshake.
        case tls
        /// The host could not be resolved or reached.
        case connect
        /// The connection broke during the exchange.
        case transfer
        /// The URL or an option was not usable.
        case invalidRequest
        /// The calling task was cancelled.
        case cancelled
    }

    public let kind: Kind
    public let method: String
    public let url: String
    /// What went wrong, in libcurl's words or Capstan's.
    public let detail: String

    public init(_ kind: Kind, method: String, url: String, detail: String) {
        self.kind = kind
        self.method = method
        self.url = url
        self.detail = detail
    }

    public var description: String { "\(method) \(url): \(detail)" }
}
