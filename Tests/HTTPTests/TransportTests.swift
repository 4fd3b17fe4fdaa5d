import CapstanTestSupport
import Foundation
import HTTP
import Testing

/// The one HTTP transport against loopback servers that misbehave the ways security.md lists.
@Suite struct TransportTests {
    let directory: URL
    init() throws { directory = try temporaryDirectory() }

    private func request(_ url: URL, method: String = "GET", token: Bool = true) -> HTTPRequest {
        HTTPRequest(method: method, url: url, headers: token ? [("Authorization", "Bearer s3cret-token"), ("PRIVATE-TOKEN", "s3cret-token")] : [],
                    credentialHeaders: ["PRIVATE-TOKEN"])
    }

    private func error(_ body: () async throws(HTTPError) -> HTTPResponse) async -> HTTPError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error
        }
    }

    @Test func sendsHeadersAndBodyAndReadsTheAnswer() async throws {
        let server = try HostileServer(in: directory, name: "a")
        var sent = request(server.url("/echo"), method: "PATCH")
        sent.body = Data(#"{"title":"x"}"#.utf8)
        let response = try await HTTPTransport().send(sent)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let echoed = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        #expect(echoed["method"] as? String == "PATCH")
        #expect(echoed["body_length"] as? Int == 13)
        #expect((echoed["headers"] as? [String: String])?["authorization"] == "Bearer s3cret-token")
    }

    @Test func followsARedirectWithinTheOrigin() async throws {
        let server = try HostileServer(in: directory, name: "a")
        let response = try await HTTPTransport().send(request(server.url("/redirect?to=/echo&status=307")))
        #expect(response.status == 200)
        #expect(response.url.path == "/echo")
        #expect(server.requests.last?["headers"].flatMap { $0 as? [String: String] }?["authorization"] == "Bearer s3cret-token")
    }

    /// A renamed repository on GitHub Enterprise Server answers a read with 301 to
    /// /repositories/<id> on the same host: followed, as a GET, with the credential (the
    /// origin it was made for).
    @Test(arguments: [301, 302, 303, 307, 308])
    func followsARedirectOfAReadWithinTheOriginWithItsCredential(status: Int) async throws {
        let server = try HostileServer(in: directory, name: "a")
        let response = try await HTTPTransport().send(request(server.url("/redirect?to=/echo&status=\(status)")))
        #expect(response.status == 200)
        let followed = try #require(server.requests.last)
        #expect(followed["path"] as? String == "/echo" && followed["method"] as? String == "GET")
        #expect((followed["headers"] as? [String: String])?["authorization"] == "Bearer s3cret-token")
        #expect((followed["headers"] as? [String: String])?["private-token"] == "s3cret-token")
    }

    /// 307 and 308 mean "send the same request there": a write is re-sent with its method
    /// and body (within the origin).
    @Test(arguments: [307, 308], ["POST", "PUT", "PATCH", "DELETE"])
    func reSendsAWriteWithItsMethodAndBodyOn307And308(status: Int, method: String) async throws {
        let server = try HostileServer(in: directory, name: "a")
        var sent = request(server.url("/redirect?to=/echo&status=\(status)"), method: method)
        sent.body = Data(#"{"state":"success"}"#.utf8)
        let response = try await HTTPTransport().send(sent)
        #expect(response.status == 200)
        let followed = try #require(server.requests.last)
        #expect(followed["path"] as? String == "/echo")
        #expect(followed["method"] as? String == method)
        #expect(followed["body_length"] as? Int == 19)
    }

    /// After 301, 302 or 303 a client may turn a write into a GET (curl and browsers turn
    /// POST into GET): the write would then not happen while the read after it succeeds.
    /// Capstan refuses instead, and sends nothing more.
    @Test(arguments: [301, 302, 303], ["POST", "PUT", "PATCH", "DELETE"])
    func refusesToFollowAWriteRedirectedBy301To303(status: Int, method: String) async throws {
        let server = try HostileServer(in: directory, name: "a")
        var sent = request(server.url("/redirect?to=/echo&status=\(status)"), method: method)
        sent.body = Data(#"{"state":"success"}"#.utf8)
        let failure = await error { () async throws(HTTPError) -> HTTPResponse in try await HTTPTransport().send(sent) }
        #expect(failure?.kind == .redirectRefused)
        #expect(failure.map { "\($0)".contains("HTTP \(status)") && "\($0)".contains(method) } == true, "\(String(describing: failure))")
        #expect(server.requests.count == 1, "only the redirected request reached the server")
    }

    @Test(arguments: [301, 302, 303, 307, 308])
    func refusesARedirectToAnotherPortAndSendsItNothing(status: Int) async throws {
        let origin = try HostileServer(in: directory, name: "a")
        let elsewhere = try HostileServer(in: directory, name: "b")
        let target = elsewhere.url("/echo").absoluteString
        let failure = await error { () async throws(HTTPError) -> HTTPResponse in
            try await HTTPTransport().send(request(origin.url("/redirect?status=\(status)&to=\(target)")))
        }
        #expect(failure?.kind == .redirectRefused)
        #expect(elsewhere.requests.isEmpty, "nothing, let alone a token, reaches the other origin")
        #expect(failure.map { !"\($0)".contains("s3cret") } == true)
    }

    @Test func refusesALocationThatParsersCouldReadTwoWays() async throws {
        let origin = try HostileServer(in: directory, name: "a")
        let elsewhere = try HostileServer(in: directory, name: "b")
        // "http://127.0.0.1:A\\@127.0.0.1:B/echo": a backslash before the @.
        let location = "http://127.0.0.1:\(origin.port)%5C@127.0.0.1:\(elsewhere.port)/echo"
        let failure = await error { () async throws(HTTPError) -> HTTPResponse in
            try await HTTPTransport().send(request(origin.url("/redirect?to=\(location)")))
        }
        #expect(failure?.kind == .redirectRefused)
        #expect(failure?.detail.contains("characters URLs must not hold") == true, "\(String(describing: failure))")
        #expect(elsewhere.requests.isEmpty)
    }

    @Test func refusesARedirectFromHTTPSToHTTP() async throws {
        let ca = try PrivateCA(in: directory)
        let origin = try HostileServer(in: directory, name: "tls", tls: ca.server)
        let plain = try HostileServer(in: directory, name: "plain")
        let target = plain.url("/echo").absoluteString
        let transport = HTTPTransport(policy: HTTPPolicy(caCertificates: .file(ca.server.caCertificate.path)))
        let failure = await error { () async throws(HTTPError) -> HTTPResponse in
            try await transport.send(request(origin.url("/redirect?to=\(target)")))
        }
        #expect(failure?.kind == .redirectRefused)
        #expect(failure?.detail.contains("HTTPS to plain HTTP") == true)
        #expect(plain.requests.isEmpty)
    }

    @Test func boundsTheNumberOfRedirects() async throws {
        let server = try HostileServer(in: directory, name: "a")
        let failure = await error { () async throws(HTTPError) -> HTTPResponse in
            try await HTTPTransport(policy: HTTPPolicy(maxRedirects: 3)).send(request(server.url("/loop")))
        }
        #expect(failure?.kind == .redirectRefused)
        #expect(server.requests.count == 4)
    }

    @Test func cutsOffAServerThatTricklesHeaders() async throws {
        let server = try HostileServer(in: directory, name: "a")
        let failure = await error { () async throws(HTTPError) -> HTTPResponse in
            try await HTTPTransport(policy: HTTPPolicy(timeout: 2)).send(request(server.url("/trickle-headers")))
        }
        #expect(failure?.kind == .timeout)
        // libcurl's own measure ("Operation timed out after 2001 milliseconds …"): the wall clock
        // of a test task also counts the time a loaded machine takes to resume it.
        let words = failure?.detail.split(separator: " ") ?? []
        let milliseconds = zip(words, words.dropFirst()).first { $0.0 == "after" }.flatMap { Int($0.1) }
        #expect(milliseconds.map { $0 < 10_000 } == true, "\(String(describing: failure))")
    }

    @Test func cutsOffAServerThatStalls() async throws {
        let server = try HostileServer(in: directory, name: "a")
        let failure = await error { () async throws(HTTPError) -> HTTPResponse in
            try await HTTPTransport(policy: HTTPPolicy(timeout: 30, lowSpeedBytesPerSecond: 1, lowSpeedSeconds: 1)).send(request(server.url("/stall")))
        }
        #expect(failure?.kind == .timeout, "the low-speed limit ends it long before the timeout")
    }

    @Test func anOverallDeadlineInThePastSendsNothing() async throws {
        let server = try HostileServer(in: directory, name: "a")
        let failure = await error { () async throws(HTTPError) -> HTTPResponse in
            try await HTTPTransport(policy: HTTPPolicy(deadline: .now - .seconds(1))).send(request(server.url("/echo")))
        }
        #expect(failure?.kind == .timeout)
        #expect(server.requests.isEmpty)
    }

    @Test(arguments: ["/huge", "/huge-chunked"])
    func refusesAGibibyteBody(path: String) async throws {
        let server = try HostileServer(in: directory, name: "a")
        let failure = await error { () async throws(HTTPError) -> HTTPResponse in
            try await HTTPTransport(policy: HTTPPolicy(maxResponseBytes: 1 << 20)).send(request(server.url(path)))
        }
        #expect(failure?.kind == .tooLarge)
    }

    /// libcurl decodes a gzip body (Capstan accepts every encoding libcurl knows): the bound
    /// is on the bytes decoded, so 64 KiB on the wire that inflate to 64 MiB are refused.
    @Test func refusesABodyThatInflatesPastTheBound() async throws {
        let server = try HostileServer(in: directory, name: "a")
        let failure = await error { () async throws(HTTPError) -> HTTPResponse in
            try await HTTPTransport(policy: HTTPPolicy(maxResponseBytes: 1 << 20)).send(request(server.url("/gzip-bomb")))
        }
        #expect(failure?.kind == .tooLarge)
    }

    @Test func trustsAPrivateCAGivenAsFileOrPEM() async throws {
        let ca = try PrivateCA(in: directory)
        let server = try HostileServer(in: directory, name: "tls", tls: ca.server)
        let untrusted = await error { () async throws(HTTPError) -> HTTPResponse in
            try await HTTPTransport().send(request(server.url("/echo")))
        }
        #expect(untrusted?.kind == .tls)
        let byFile = try await HTTPTransport(policy: HTTPPolicy(caCertificates: .file(ca.server.caCertificate.path))).send(request(server.url("/echo")))
        #expect(byFile.status == 200)
        let pem = try Data(contentsOf: ca.server.caCertificate)
        let byPEM = try await HTTPTransport(policy: HTTPPolicy(caCertificates: .pem(pem))).send(request(server.url("/echo")))
        #expect(byPEM.status == 200)
    }

    @Test func presentsAClientCertificate() async throws {
        let ca = try PrivateCA(in: directory)
        let server = try HostileServer(in: directory, name: "mtls", tls: ca.server, requireClientCertificate: true)
        let trust = PEMSource.file(ca.server.caCertificate.path)
        let refused = await error { () async throws(HTTPError) -> HTTPResponse in
            try await HTTPTransport(policy: HTTPPolicy(caCertificates: trust)).send(request(server.url("/echo")))
        }
        #expect(refused != nil)
        let policy = HTTPPolicy(caCertificates: trust, clientCertificate: .pem(try Data(contentsOf: ca.clientCertificate)),
                                clientKey: .pem(try Data(contentsOf: ca.clientKey)))
        #expect(try await HTTPTransport(policy: policy).send(request(server.url("/echo"))).status == 200)
    }

    @Test func errorsShowNoQuerySecretsOrUserInfo() async throws {
        let url = URL(string: "http://user:pw@127.0.0.1:1/x?private_token=abc&page=2")!
        let failure = await error { () async throws(HTTPError) -> HTTPResponse in
            try await HTTPTransport(policy: HTTPPolicy(timeout: 5)).send(HTTPRequest(method: "GET", url: url))
        }
        #expect(failure?.kind == .connect)
        let text = failure.map { "\($0)" } ?? ""
        #expect(!text.contains("abc") && !text.contains("pw"), "\(text)")
        #expect(text.contains("page=2"))
    }
}
