import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Stand-in transport until the product's libcurl `HTTP` module lands: URLSession, which on
/// Linux can neither load a CA file nor present a client certificate, so it refuses both
/// rather than silently trusting something else.
public struct URLSessionReconcilerTransport: ReconcilerTransport {
    public init() {}

    public func send(_ request: ReconcilerRequest) async throws(ReconcilerError) -> ReconcilerResponse {
        if request.tls != TLSSettings() {
            throw .unsupported("\(request.url.host ?? "server"): CA files, client certificates and skipping verification need the libcurl transport")
        }
        var urlRequest = URLRequest(url: request.url, timeoutInterval: ReconcilerTransportLimits.requestTimeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        do {
            let (data, response) = try await URLSession.shared.data(for: urlRequest)
            guard data.count <= ReconcilerTransportLimits.maxBody else {
                throw ReconcilerError.transport(url: request.url.absoluteString, message: "answer larger than \(ReconcilerTransportLimits.maxBody) bytes")
            }
            let http = response as? HTTPURLResponse
            var headers: [String: String] = [:]
            for (name, value) in http?.allHeaderFields ?? [:] {
                if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
            }
            return ReconcilerResponse(status: http?.statusCode ?? 0, headers: headers, body: data)
        } catch let error as ReconcilerError {
            throw error
        } catch {
            throw .transport(url: request.url.absoluteString, message: error.localizedDescription)
        }
    }
}
