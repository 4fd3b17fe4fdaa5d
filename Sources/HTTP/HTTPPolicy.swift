import Foundation

/// PEM data for TLS: a file, or the bytes themselves (a kubeconfig's `*-data` fields).
public enum PEMSource: Sendable, Equatable {
    case file(String)
    case pem(Data)
}

/// The bounds and trust settings of one call. Every field has a bound by default: a call
/// always ends, and an answer never grows without limit.
///
/// Proxies come from the environment as libcurl reads it (`http_proxy`, `https_proxy`,
/// `HTTPS_PROXY`, `ALL_PROXY`, `no_proxy`). HTTP/2 is used over TLS when the server offers it.
public struct HTTPPolicy: Sendable {
    /// Seconds one request (one hop of a redirect chain) may take, headers and body included.
    public var timeout: Double
    /// An instant by which the whole call, redirects included, must be over; nil for none
    /// beyond `timeout` per hop.
    public var deadline: ContinuousClock.Instant?
    /// Seconds to set up the connection (DNS, TCP, TLS).
    public var connectTimeout: Double
    /// Bytes of body past which the transfer is cut off (`HTTPError.Kind.tooLarge`).
    public var maxResponseBytes: Int
    /// A transfer slower than `lowSpeedBytesPerSecond` for `lowSpeedSeconds` is cut off, so
    /// a server trickling bytes cannot hold a call for its whole timeout unnoticed.
    public var lowSpeedBytesPerSecond: Int
    public var lowSpeedSeconds: Int
    /// Same-origin redirects followed before giving up.
    public var maxRedirects: Int
    /// Certificate authorities to trust instead of the system's (`--ca-bundle`).
    public var caCertificates: PEMSource?
    /// A client certificate and its key, for servers that authenticate clients by TLS
    /// (the Kubernetes API).
    public var clientCertificate: PEMSource?
    public var clientKey: PEMSource?

    public init(timeout: Double = 30, deadline: ContinuousClock.Instant? = nil, connectTimeout: Double = 10,
                maxResponseBytes: Int = 32 << 20, lowSpeedBytesPerSecond: Int = 16, lowSpeedSeconds: Int = 20,
                maxRedirects: Int = 5, caCertificates: PEMSource? = nil, clientCertificate: PEMSource? = nil,
                clientKey: PEMSource? = nil) {
        self.timeout = timeout
        self.deadline = deadline
        self.connectTimeout = connectTimeout
        self.maxResponseBytes = maxResponseBytes
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedSeconds = lowSpeedSeconds
        self.maxRedirects = maxRedirects
        self.caCertificates = caCertificates
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }

    /// Milliseconds left for the next hop: `timeout`, or less when the deadline is nearer;
    /// nil when the deadline has passed.
    func millisecondsForNextHop(now: ContinuousClock.Instant = .now) -> Int? {
        var seconds = max(0.001, timeout)
        if let deadline {
            let left = now.duration(to: deadline)
            let leftSeconds = Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
            guard leftSeconds > 0 else { return nil }
            seconds = min(seconds, leftSeconds)
        }
        return Int(min(seconds * 1000, Double(Int32.max)).rounded(.up))
    }
}
