import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The HTTP client every forge client shares: one per token, requests in series, with
/// timeouts, retries on 5xx and connection errors (jittered exponential backoff), and
/// rate-limit waits bounded by a budget. Credentials live in `authorization` headers
/// only; errors carry method and path, never headers.
///
/// Proxies: libcurl (under FoundationNetworking) reads `http_proxy`, `https_proxy` and
/// `no_proxy` itself when the session sets none, so the usual variables just work.
/// TLS is always verified. A private CA: FoundationNetworking hands libcurl a CA file only
/// on Android (`URLSessionCertificateAuthorityInfoFile`); on Linux it uses the system
/// store, so `ForgeClients.make` refuses `--ca-bundle` there with what to do instead.
public actor HTTPClient {
    public let baseURL: URL
    private let authorization: [String: String]
    private let options: HTTPOptions
    private let session: URLSession
    private let gate = RequestGate()
    private let clock = ContinuousClock()
    /// Requests sent, retries included.
    public private(set) var count = 0

    public init(baseURL: URL, authorization: [String: String], options: HTTPOptions = HTTPOptions()) {
        self.baseURL = baseURL
        self.authorization = authorization
        self.options = options
        if let bundle = options.caBundle { HTTPClient.useCABundle(bundle) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = options.timeout
        configuration.timeoutIntervalForResource = options.timeout * 2
        configuration.httpAdditionalHeaders = ["User-Agent": "capstan", "Accept": "application/json"]
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    /// Tells FoundationNetworking's libcurl to trust the CAs in `path` (honoured on Android).
    static func useCABundle(_ path: String) {
        setenv("URLSessionCertificateAuthorityInfoFile", path, 1)
    }

    /// Sends one request and returns the answer when its status is 2xx, or `accepting`;
    /// other statuses become `ForgeError.http` with the forge's message.
    public func send(_ method: String, _ path: String, query: [String: String] = [:], json: [String: Any]? = nil,
                     accepting: Set<Int> = []) async throws(ForgeError) -> HTTPAnswer {
        let body = json.map(JSONBody.encode)
        return try await send(method, path, query: query, body: body, accepting: accepting)
    }

    func send(_ method: String, _ path: String, query: [String: String], body: Data?,
              accepting: Set<Int>) async throws(ForgeError) -> HTTPAnswer {
        await gate.enter()
        do {
            let answer = try await perform(method, path, query: query, body: body, accepting: accepting)
            await gate.leave()
            return answer
        } catch {
            await gate.leave()
            throw error
        }
    }

    private func perform(_ method: String, _ path: String, query: [String: String], body: Data?,
                         accepting: Set<Int>) async throws(ForgeError) -> HTTPAnswer {
        let request = makeRequest(method, path, query: query, body: body)
        var failures = 0
        var waited = 0.0
        let shownPath = Self.redacted(path, query: query)
        while true {
            count += 1
            let answer: HTTPAnswer
            let started = ContinuousClock.now
            do {
                let (data, response) = try await session.data(for: request)
                let http = response as? HTTPURLResponse
                var headers: [String: String] = [:]
                for (key, value) in http?.allHeaderFields ?? [:] { headers["\(key)"] = "\(value)" }
                answer = HTTPAnswer(status: http?.statusCode ?? 0, headers: headers, body: data)
                options.log?("\(method) \(shownPath) → \(answer.status) in \(Self.milliseconds(since: started)) ms")
            } catch {
                options.log?("\(method) \(shownPath) → no answer after \(Self.milliseconds(since: started)) ms")
                failures += 1
                let message = (error as? URLError).map { "connection failed (\($0.code.rawValue)): \($0.localizedDescription)" }
                    ?? String(describing: error)
                guard failures < options.maxAttempts else { throw .transport(message: message, method: method, path: path) }
                await pause(backoff(failures))
                continue
            }
            if (200..<300).contains(answer.status) || accepting.contains(answer.status) { return answer }
            if let wait = RateLimitWait.seconds(for: answer) {
                guard waited + wait <= options.rateLimitBudget else {
                    throw .rateLimited(waitSeconds: wait, message: Self.message(in: answer), method: method, path: path)
                }
                waited += wait
                await pause(wait + Double.random(in: 0...0.05))
                continue
            }
            if [500, 502, 503, 504].contains(answer.status) {
                failures += 1
                if failures < options.maxAttempts {
                    await pause(backoff(failures))
                    continue
                }
            }
            throw .http(status: answer.status, message: Self.message(in: answer), method: method, path: path)
        }
    }

    private func makeRequest(_ method: String, _ path: String, query: [String: String], body: Data?) -> URLRequest {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)!
        let basePath = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.percentEncodedPath = basePath + path
        if !query.isEmpty {
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        }
        var request = URLRequest(url: components.url!)
        request.httpMethod = method
        request.timeoutInterval = options.timeout
        for (name, value) in authorization { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        return request
    }

    /// The path and query as logged: values of query parameters that could carry a secret
    /// (`token`, `key`, `password`, `secret`, `signature`) are replaced with `***`.
    static func redacted(_ path: String, query: [String: String]) -> String {
        guard !query.isEmpty else { return path }
        let secretWords = ["token", "key", "password", "secret", "signature", "sig"]
        let items = query.sorted { $0.key < $1.key }.map { name, value in
            secretWords.contains(where: name.lowercased().contains) ? "\(name)=***" : "\(name)=\(value)"
        }
        return path + "?" + items.joined(separator: "&")
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    private func backoff(_ failures: Int) -> Double {
        let ceiling = min(30, options.backoff * pow(2, Double(failures - 1)))
        return Double.random(in: ceiling / 2...ceiling)
    }

    private func pause(_ seconds: Double) async {
        try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
    }

    /// The forge's own words from an error answer, in whichever field it uses.
    static func message(in answer: HTTPAnswer) -> String {
        let json = answer.json
        let candidates = [json["message"].string, json["error"]["message"].string, json["error"].string,
                          json["errors"].array.first?["message"].string, json["errors"].array.first?["context"].string,
                          json["message"].array.first?.string]
        if let message = candidates.compactMap({ $0 }).first(where: { !$0.isEmpty }) { return message }
        let text = String(decoding: answer.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text
    }
}
