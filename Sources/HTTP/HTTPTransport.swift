import CCurl
import Foundation

/// The one way Capstan speaks HTTP: libcurl, driven directly, within an `HTTPPolicy`.
///
/// Redirects are followed by Capstan, not libcurl, and only within the request's origin
/// (scheme, host and port), with the request's headers, credentials included (a renamed
/// repository on GitHub Enterprise Server moves to /repositories/<id> on the same host): a
/// redirect to another origin or from HTTPS to HTTP is refused
/// (`HTTPError.Kind.redirectRefused`), so a credential header is never carried elsewhere.
/// A read follows any redirect; a write follows only 307 and 308, re-sent with its method
/// and body, and is refused after 301, 302 or 303 rather than turned into a GET.
/// Each call runs on a thread of its own, never blocking the cooperative pool, and stops
/// when the calling task is cancelled.
public struct HTTPTransport: Sendable {
    public var policy: HTTPPolicy

    public init(policy: HTTPPolicy = HTTPPolicy()) {
        self.policy = policy
    }

    /// The answer to `request`, whatever its status; errors only when no whole answer came.
    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        var current = request
        var hops = 0
        while true {
            let response = try await exchange(current)
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("location") else {
                return response
            }
            hops += 1
            guard hops <= policy.maxRedirects else {
                throw HTTPError(.redirectRefused, method: request.method, url: request.shownURL,
                                detail: "more than \(policy.maxRedirects) redirects")
            }
            current = try Self.follow(current, to: location, status: response.status)
        }
    }

    /// The request to send after a redirect to `location`, refused unless it stays on the origin.
    static func follow(_ request: HTTPRequest, to location: String, status: Int) throws(HTTPError) -> HTTPRequest {
        // Only plain printable ASCII without backslashes: where URL parsers differ (Foundation
        // here, libcurl for the request), a crafted location could name one host to the origin
        // check and another to the connection.
        guard location.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" }) else {
            throw HTTPError(.redirectRefused, method: request.method, url: request.shownURL,
                            detail: "HTTP \(status) redirects to a location with characters URLs must not hold; not followed")
        }
        guard let target = URL(string: location, relativeTo: request.url)?.absoluteURL else {
            throw HTTPError(.redirectRefused, method: request.method, url: request.shownURL, detail: "redirected to an unparsable location")
        }
        let from = Origin(request.url)
        let to = Origin(target)
        guard let from, let to, from == to else {
            let reason = from?.scheme == "https" && to?.scheme == "http" ? "from HTTPS to plain HTTP" : "to another origin"
            throw HTTPError(.redirectRefused, method: request.method, url: request.shownURL,
                            detail: "HTTP \(status) redirects \(reason) (\(to?.description ?? "unknown")); not followed, so no credential goes there")
        }
        // 307 and 308 say "send this same request there"; after 301, 302 or 303 clients may
        // send a GET instead (curl and browsers do for POST), which would turn a write into a
        // read that succeeds while the write never happened. So a write is re-sent only
        // after 307 or 308, with its method and body; otherwise it is refused.
        let method = request.method.uppercased()
        guard ["GET", "HEAD"].contains(method) || status == 307 || status == 308 else {
            throw HTTPError(.redirectRefused, method: request.method, url: request.shownURL,
                            detail: "HTTP \(status) redirects a \(method) (to \(HTTPRequest.redacted(target))); a write is re-sent only "
                                + "after 307 or 308, so it was not sent again and may not have happened")
        }
        var next = request
        next.url = target
        next.shownURL = request.shownURL == HTTPRequest.redacted(request.url) ? HTTPRequest.redacted(target) : request.shownURL
        return next
    }

    private func exchange(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        guard let milliseconds = policy.millisecondsForNextHop() else {
            throw HTTPError(.timeout, method: request.method, url: request.shownURL, detail: "timed out: the overall deadline passed before this request was sent")
        }
        let transfer = try CurlTransfer(request, policy: policy, timeoutMilliseconds: milliseconds)
        let box = TransferBox(transfer)
        let result: Result<HTTPResponse, HTTPError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    continuation.resume(returning: box.transfer.perform())
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            box.transfer.sink.cancel()
        }
        return try result.get()
    }
}

/// Hands the transfer to the thread that runs it; only that thread touches it until it ends.
private final class TransferBox: @unchecked Sendable {
    let transfer: CurlTransfer
    init(_ transfer: CurlTransfer) { self.transfer = transfer }
}

/// Scheme, host and port: what a credential is bound to.
struct Origin: Equatable, CustomStringConvertible {
    let scheme: String
    let host: String
    let port: Int

    init?(_ url: URL) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host?.lowercased(), !host.isEmpty else { return nil }
        self.scheme = scheme
        self.host = host
        port = url.port ?? (scheme == "https" ? 443 : 80)
    }

    var description: String { "\(scheme)://\(host):\(port)" }
}

extension HTTPTransport {
    /// libcurl's version line (with its TLS library), for `capstan version`.
    public static var libcurlVersion: String {
        curl_version().map { String(cString: $0) } ?? "unknown"
    }
}
