import Foundation
import HTTP

/// The product's transport: the `HTTP` module (libcurl), with the request's CA and client
/// certificate as PEM bytes, a per-request timeout and a bound on the answer's size.
public struct CurlReconcilerTransport: ReconcilerTransport {
    public init() {}

    public func send(_ request: ReconcilerRequest) async throws(ReconcilerError) -> ReconcilerResponse {
        let policy = HTTPPolicy(timeout: ReconcilerTransportLimits.requestTimeout, maxResponseBytes: ReconcilerTransportLimits.maxBody,
                                caCertificates: request.tls.caPEM.map { .pem($0) },
                                clientCertificate: request.tls.clientCertificatePEM.map { .pem($0) },
                                clientKey: request.tls.clientKeyPEM.map { .pem($0) })
        let http = HTTPRequest(method: request.method, url: request.url,
                               headers: request.headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) })
        do {
            let response = try await HTTPTransport(policy: policy).send(http)
            return ReconcilerResponse(status: response.status, headers: response.headers, body: response.body)
        } catch {
            throw .transport(url: error.url, message: "\(error.kind.rawValue): \(error.detail)")
        }
    }
}
