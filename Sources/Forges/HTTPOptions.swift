import Foundation

/// How Capstan talks to a forge over HTTP: timeouts, retry and rate-limit budgets.
public struct HTTPOptions: Sendable {
    /// Seconds before one request gives up.
    public var timeout: Double
    /// Attempts per request for 5xx answers and connection errors.
    public var maxAttempts: Int
    /// The first backoff (seconds); each retry doubles it, with full jitter.
    public var backoff: Double
    /// Total seconds one request may spend waiting out rate limits before failing.
    public var rateLimitBudget: Double
    /// A PEM file of CA certificates for self-hosted forges with a private CA.
    public var caBundle: String?
    /// Receives one line per request and answer (method, path, status, time; never headers,
    /// so never a token), for `--verbose`.
    public var log: (@Sendable (String) -> Void)?

    public init(timeout: Double = 30, maxAttempts: Int = 5, backoff: Double = 0.5, rateLimitBudget: Double = 120,
                caBundle: String? = nil) {
        self.timeout = timeout
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.rateLimitBudget = rateLimitBudget
        self.caBundle = caBundle
    }
}

/// One HTTP answer.
public struct HTTPAnswer: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let body: Data
    public var json: JSONValue { JSONValue.parse(body) ?? JSONValue(nil) }

    /// A header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
