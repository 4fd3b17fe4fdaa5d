import Foundation

/// How Capstan talks to a forge over HTTP: timeouts, retry and rate-limit budgets.
public struct HTTPOptions: Sendable {
    /// Seconds before one attempt gives up; all attempts of one request end within three
    /// times this (waits for rate limits aside). Only a GET is sent again after a timeout.
    public var timeout: Double
    /// Attempts per request for 5xx answers and broken connections.
    public var maxAttempts: Int
    /// The first backoff (seconds); each retry doubles it, with full jitter.
    public var backoff: Double
    /// Total seconds one request may spend waiting out rate limits before failing.
    public var rateLimitBudget: Double
    /// The shortest wait after a rate-limited answer, whatever it says: a reset time in the
    /// past (a runner clock running ahead) must not turn into a burst of requests.
    public var rateLimitFloor: Double
    /// Rate-limited answers one request waits out before failing.
    public var maxRateLimitWaits: Int
    /// Bytes of one answer past which it is refused.
    public var maxResponseBytes: Int
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
        rateLimitFloor = 1
        maxRateLimitWaits = 4
        maxResponseBytes = 32 << 20
        self.caBundle = caBundle
    }
}

/// One HTTP answer, with the request it answers (for errors that name the field).
public struct HTTPAnswer: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let body: Data
    let method: String
    let path: String

    public init(status: Int, headers: [String: String], body: Data, method: String = "", path: String = "") {
        self.status = status
        self.headers = headers
        self.body = body
        self.method = method
        self.path = path
    }

    /// The body as JSON; a body that is not JSON is an error, never an empty value.
    public var json: JSONValue {
        get throws(ForgeError) {
            guard let value = JSONValue.parse(body, method: method, path: path) else {
                let shown = body.isEmpty ? "an empty body" : "a body that is not JSON (\(body.count) bytes)"
                throw .unexpectedAnswer("HTTP \(status) with \(shown)", method: method, path: path)
            }
            return value
        }
    }

    /// A header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
