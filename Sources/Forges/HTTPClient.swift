import Foundation
import HTTP
import Words

/// The HTTP client every forge client shares: one per token, requests in series, over the
/// product's one transport (`HTTP`, libcurl: deadlines, size limit, same-origin redirects,
/// `--ca-bundle`, proxies from the environment). Retries 5xx answers and broken
/// connections with jittered exponential backoff; waits out rate limits with a floor on
/// every wait and a cap on their count and total. Credentials live in headers only; the
/// forge's words are shown with every credential masked, and errors carry method and path.
public actor HTTPClient {
    public let baseURL: URL
    private let authorization: [String: String]
    private let options: HTTPOptions
    private let transport: HTTPTransport
    private let secrets: SecretMask
    private let gate = RequestGate()
    /// Requests sent, retries included.
    public private(set) var count = 0

    public init(baseURL: URL, authorization: [String: String], options: HTTPOptions = HTTPOptions()) {
        self.baseURL = baseURL
        self.authorization = authorization
        self.options = options
        transport = HTTPTransport(policy: HTTPPolicy(timeout: options.timeout, maxResponseBytes: options.maxResponseBytes,
                                                     caCertificates: options.caBundle.map(PEMSource.file)))
        secrets = SecretMask(headerValues: Array(authorization.values))
    }

    /// Sends one request and returns the answer when its status is 2xx, or `accepting`;
    /// other statuses become `ForgeError.http` with the forge's message.
    public func send(_ method: String, _ path: String, query: [String: String] = [:], json: [String: Any]? = nil,
                     accepting: Set<Int> = []) async throws(ForgeError) -> HTTPAnswer {
        let body = json.map(JSONBody.encode)
        return try await send(method, path, query: query, body: body, accepting: accepting)
    }

    func send(_ method: String, _ path: String, query: [String: String], body: Data?,
              accepting: Set<Int>, besideRoot: String? = nil) async throws(ForgeError) -> HTTPAnswer {
        await gate.enter()
        do {
            let answer = try await perform(method, path, query: query, body: body, accepting: accepting, besideRoot: besideRoot)
            await gate.leave()
            return answer
        } catch {
            await gate.leave()
            throw error
        }
    }

    /// Sends a GET to a whole URL the forge handed out (a `next` link, a task's `Location`),
    /// only when it lies under the API root this client was made for: the root itself or a
    /// path below it (`/api/v3-admin` only starts with `/api/v3`'s text), with no `.` or `..`
    /// segment, plain or percent-encoded, which libcurl or the server would resolve to a
    /// path outside it.
    func follow(_ url: String, accepting: Set<Int> = []) async throws(ForgeError) -> HTTPAnswer {
        guard let target = URL(string: url, relativeTo: baseURL)?.absoluteURL,
              let components = URLComponents(url: target, resolvingAgainstBaseURL: false),
              target.scheme == baseURL.scheme, target.host == baseURL.host, target.port == baseURL.port,
              Self.lies(components.percentEncodedPath, under: basePath) else {
            let shown = ForeignWords.line(url, masking: secrets.masked)
            throw .unexpectedAnswer("the forge pointed to \(shown), outside the API root \(baseURL.absoluteString)", method: "GET", path: shown)
        }
        let path = String(components.percentEncodedPath.dropFirst(basePath.count))
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        return try await send("GET", path, query: query, body: nil, accepting: accepting)
    }

    /// Whether `path` (percent-encoded) is `root` or below it, with no dot segment.
    static func lies(_ path: String, under root: String) -> Bool {
        guard path == root || path.hasPrefix(root + "/") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { segment in
            let decoded = String(segment).removingPercentEncoding ?? String(segment)
            return decoded == "." || decoded == ".."
        }
    }

    /// A GET of `path` under a sibling of the API root on the same origin: the root with
    /// its trailing `apiSuffix` replaced by `sibling` (Bitbucket Data Center keeps its
    /// build-status API at /rest/build-status beside /rest/api/latest). Same credentials,
    /// same gate; a root without that suffix is refused.
    func get(_ path: String, replacing apiSuffix: String, with sibling: String,
             query: [String: String] = [:]) async throws(ForgeError) -> HTTPAnswer {
        guard basePath.hasSuffix(apiSuffix) else {
            throw .configuration("\(baseURL.absoluteString) does not end in \(apiSuffix): no \(sibling) API beside it")
        }
        return try await send("GET", path, query: query, body: nil, accepting: [],
                              besideRoot: String(basePath.dropLast(apiSuffix.count)) + sibling)
    }

    /// `scheme://host[:port]` of a URL, for showing a request beside the API root.
    private static func origin(of components: URLComponents) -> String {
        var origin = components
        origin.percentEncodedPath = ""
        origin.query = nil
        origin.fragment = nil
        origin.user = nil
        origin.password = nil
        return origin.string ?? ""
    }

    private var basePath: String {
        let path = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
        return path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    private func perform(_ method: String, _ path: String, query: [String: String], body: Data?,
                         accepting: Set<Int>, besideRoot: String?) async throws(ForgeError) -> HTTPAnswer {
        let request = try makeRequest(method, path, query: query, body: body, root: besideRoot ?? basePath)
        var failures = 0
        var rateLimitWaits = 0
        var waited = 0.0
        // Beside the API root, the path is shown from the origin: "/commits/…" would name another resource.
        let shownPath = Self.redacted((besideRoot ?? "") + path, query: query)
        // Attempts of one request together end within three timeouts, rate-limit waits aside:
        // the time spent waiting as the forge asked moves the deadline on (charged to it, a
        // wait longer than three timeouts left the request refused unsent after it).
        var transport = transport
        let begun = ContinuousClock.now
        let attempts = Duration.milliseconds(Int(min(options.timeout * 3, 86_400) * 1000))
        var rateLimitPauses = Duration.zero
        while true {
            transport.policy.deadline = begun + attempts + rateLimitPauses
            count += 1
            let answer: HTTPAnswer
            let started = ContinuousClock.now
            do {
                let response = try await transport.send(request)
                answer = HTTPAnswer(status: response.status, headers: response.headers, body: response.body, method: method,
                                    path: (besideRoot ?? "") + path)
                options.log?("\(method) \(shownPath) → \(answer.status) in \(Self.milliseconds(since: started)) ms")
            } catch {
                options.log?("\(method) \(shownPath) → no answer after \(Self.milliseconds(since: started)) ms")
                failures += 1
                // An oversized answer, a refused redirect or a TLS failure would only repeat; a
                // timed-out GET may be sent again (a timed-out write may have happened).
                let retried = [.connect, .transfer].contains(error.kind) || (error.kind == .timeout && method == "GET")
                guard retried, failures < options.maxAttempts else {
                    throw .transport(message: secrets.masked(error.detail), method: method, path: shownPath)
                }
                await pause(backoff(failures))
                continue
            }
            if (200..<300).contains(answer.status) || accepting.contains(answer.status) { return answer }
            if let asked = RateLimitWait.seconds(for: answer) {
                let wait = max(options.rateLimitFloor, asked)
                guard rateLimitWaits < options.maxRateLimitWaits, waited + wait <= options.rateLimitBudget else {
                    throw .rateLimited(waitSeconds: wait, waits: rateLimitWaits, waited: waited, message: message(in: answer),
                                      method: method, path: shownPath)
                }
                rateLimitWaits += 1
                waited += wait
                let paused = ContinuousClock.now
                await pause(wait + Double.random(in: 0...0.05))
                rateLimitPauses += ContinuousClock.now - paused
                continue
            }
            if [500, 502, 503, 504].contains(answer.status) {
                failures += 1
                if failures < options.maxAttempts {
                    await pause(backoff(failures))
                    continue
                }
            }
            throw .http(status: answer.status, message: message(in: answer), method: method, path: shownPath)
        }
    }

    private func makeRequest(_ method: String, _ path: String, query: [String: String], body: Data?,
                             root: String) throws(ForgeError) -> HTTPRequest {
        guard var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) else {
            throw .configuration("--forge-url \(baseURL.absoluteString) is not a URL")
        }
        components.percentEncodedPath = Self.pathEncoded(root + path)
        if !query.isEmpty {
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        }
        guard let url = components.url else { throw .configuration("\(method) \(path): not a URL under \(baseURL.absoluteString)") }
        var headers: [(name: String, value: String)] = [("User-Agent", "capstan"), ("Accept", "application/json")]
        headers += authorization.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return HTTPRequest(method: method, url: url, headers: headers, body: body, credentialHeaders: Set(authorization.keys),
                           shownURL: (root == basePath ? baseURL.absoluteString : Self.origin(of: components) + root)
                               + Self.redacted(path, query: query))
    }

    /// `path` as a URL path may hold it: each byte outside RFC 3986's path characters
    /// (unreserved, sub-delims, `:`, `@`, `/`) percent-encoded, and `%` kept only where it
    /// starts an escape a caller made (`%2F`). Paths hold values Capstan did not choose (a
    /// PR's head branch, which git lets hold `#`, `%`, `|`, `{`, non-ASCII; a head SHA from
    /// the forge), and Foundation traps on a raw one rather than refuse it.
    static func pathEncoded(_ path: String) -> String {
        let bytes = Array(path.utf8)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/".utf8)
        let hex = Set("0123456789abcdefABCDEF".utf8)
        var encoded = ""
        for (index, byte) in bytes.enumerated() {
            let escape = byte == UInt8(ascii: "%") && index + 2 < bytes.count && hex.contains(bytes[index + 1]) && hex.contains(bytes[index + 2])
            if allowed.contains(byte) || escape {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }

    /// A branch name (or another value someone else chose) as the segments of a path: every
    /// byte but ASCII letters, digits, `-._~` and `/` percent-encoded, `%` included. Git lets
    /// a branch be named `capstan/%6Dain`; left raw, `pathEncoded` keeps `%6D` as an escape a
    /// caller made and the forge reads `capstan/main`, another branch.
    static func branchPath(_ name: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
        return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
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
        return Double.random(in: ceiling / 2...max(ceiling / 2, ceiling))
    }

    private func pause(_ seconds: Double) async {
        guard seconds > 0 else { return }  // also NaN
        try? await Task.sleep(for: .milliseconds(Int(min(seconds, 3600) * 1000)))
    }

    /// The error an answer a caller accepted to look into stands for, as `send` would have
    /// thrown it.
    func refusal(_ answer: HTTPAnswer) -> ForgeError {
        .http(status: answer.status, message: message(in: answer), method: answer.method, path: answer.path)
    }

    /// Words the forge put in some other field (GitLab's `merge_error`), as `message(in:)`
    /// shows its messages: every credential masked, one printable line.
    func shown(_ words: String) -> String {
        ForeignWords.line(words, limit: 1000, masking: secrets.masked)
    }

    /// The forge's own words from an error answer, with every credential masked.
    func message(in answer: HTTPAnswer) -> String {
        Self.message(in: answer, masking: secrets.masked)
    }

    /// The forge's own words from an error answer, in whichever field it uses; GitHub's
    /// validation errors add each `errors[].message` (the reason) to the summary. `mask`
    /// hides credentials before anything is cut, and the words are made one printable line of
    /// at most 300 characters, as a plain-text answer is: a JSON `message` is no shorter by nature.
    static func message(in answer: HTTPAnswer, masking mask: (String) -> String = { $0 }) -> String {
        let json = (try? answer.json) ?? JSONValue(nil)
        let details = json["errors"].array.compactMap { $0["message"].string ?? $0.string }.filter { !$0.isEmpty }
        let candidates = [json["message"].string, json["error"]["message"].string, json["error"].string,
                          json["errors"].array.first?["context"].string, json["message"].array.first?.string]
        if let message = candidates.compactMap({ $0 }).first(where: { !$0.isEmpty }) {
            let extra = details.filter { $0 != message }
            return ForeignWords.line(extra.isEmpty ? message : message + ": " + extra.joined(separator: "; "), masking: mask)
        }
        if !details.isEmpty { return ForeignWords.line(details.joined(separator: "; "), masking: mask) }
        return ForeignWords.plainText(answer.body, masking: mask)
    }
}

/// Masks credentials in text a forge sent back (some echo the token in an error body):
/// each header value, the secret after its scheme (`Bearer`, `token`, `Basic`), and a Basic
/// credential's decoded password.
struct SecretMask: Sendable {
    private let mask: @Sendable (String) -> String

    init(headerValues: [String]) {
        var found: Set<String> = []
        for value in headerValues where !value.isEmpty {
            found.insert(value)
            let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                found.insert(parts[1])
                if parts[0].lowercased() == "basic", let decoded = Data(base64Encoded: parts[1]) {
                    let text = String(decoding: decoded, as: UTF8.self)
                    if let colon = text.firstIndex(of: ":") { found.insert(String(text[text.index(after: colon)...])) }
                }
            }
        }
        mask = ForeignWords.masking(Array(found))
    }

    /// Every secret masked, by the one rule (`ForeignWords.masking`).
    func masked(_ text: String) -> String { mask(text) }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
