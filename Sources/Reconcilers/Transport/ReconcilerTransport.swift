import Foundation

/// One HTTP request to a reconciler's API. Credentials travel in `headers` (a bearer
/// token) or `tls` (a client certificate); neither is ever printed.
public struct ReconcilerRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var tls: TLSSettings

    public init(method: String = "GET", url: URL, headers: [String: String] = [:], tls: TLSSettings = TLSSettings()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.tls = tls
    }
}

/// How to trust the server and, for the Kubernetes API, who the client is. PEM bytes, not
/// paths: a kubeconfig gives either (`certificate-authority` or `certificate-authority-data`).
public struct TLSSettings: Sendable, Equatable {
    /// The CAs to trust instead of the system's.
    public var caPEM: Data?
    /// The client certificate and its private key.
    public var clientCertificatePEM: Data?
    public var clientKeyPEM: Data?

    public init(caPEM: Data? = nil, clientCertificatePEM: Data? = nil, clientKeyPEM: Data? = nil) {
        self.caPEM = caPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
    }
}

/// What came back: status, headers (names lower-cased) and at most `ReconcilerTransportLimits.maxBody` bytes.
public struct ReconcilerResponse: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// The seam between the reconciler clients and the wire: the product's transport, or a
/// test's. Switching transports touches only the conforming type.
public protocol ReconcilerTransport: Sendable {
    func send(_ request: ReconcilerRequest) async throws(ReconcilerError) -> ReconcilerResponse
}

public enum ReconcilerTransportLimits {
    /// An Application with thousands of resources is a few MB; anything far larger is not an answer.
    public static let maxBody = 32 << 20
    /// One request's deadline, in seconds.
    public static let requestTimeout: Double = 30
}
