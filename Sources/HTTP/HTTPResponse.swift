import Foundation

/// An answer read whole (within `HTTPPolicy.maxResponseBytes`).
public struct HTTPResponse: Sendable {
    public let status: Int
    /// Header names lowercased; a header sent more than once is joined with ", " (as
    /// RFC 9110 allows for list headers such as `Link`).
    public let headers: [String: String]
    public let body: Data
    /// The URL that answered, after same-origin redirects.
    public let url: URL

    public init(status: Int, headers: [String: String], body: Data, url: URL) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }

    /// A header by name, in any case.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}
