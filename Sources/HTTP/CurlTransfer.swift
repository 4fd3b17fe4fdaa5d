import CCurl
import Foundation

/// One libcurl easy handle and the one exchange it makes. The handle, its header list and
/// its error buffer live exactly as long as this object; nothing else sees them.
final class CurlTransfer {
    private static let initialised: CURLcode = capstan_curl_global_init()

    private let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// libcurl writes its own words for a failure here; owned like the handle.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    let sink: TransferSink
    private let request: HTTPRequest

    init(_ request: HTTPRequest, policy: HTTPPolicy, timeoutMilliseconds: Int) throws(HTTPError) {
        guard Self.initialised == CURLE_OK, let handle = curl_easy_init() else {
            throw HTTPError(.invalidRequest, method: request.method, url: request.shownURL, detail: "libcurl could not be initialised")
        }
        self.handle = handle
        self.request = request
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        sink = TransferSink(maxBodyBytes: max(0, policy.maxResponseBytes))
        try configure(policy: policy, timeoutMilliseconds: timeoutMilliseconds)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func fail(_ detail: String) -> HTTPError {
        HTTPError(.invalidRequest, method: request.method, url: request.shownURL, detail: detail)
    }

    private func check(_ code: CURLcode, _ what: String) throws(HTTPError) {
        guard code == CURLE_OK else { throw fail("\(what): \(String(cString: curl_easy_strerror(code)))") }
    }

    private func configure(policy: HTTPPolicy, timeoutMilliseconds: Int) throws(HTTPError) {
        try check(capstan_curl_set_string(handle, CURLOPT_URL, request.url.absoluteString), "URL")
        try check(capstan_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols")
        try check(capstan_curl_set_long(handle, CURLOPT_NOSIGNAL, 1), "nosignal")
        try check(capstan_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0), "redirects")
        try check(capstan_curl_set_long(handle, CURLOPT_TIMEOUT_MS, timeoutMilliseconds), "timeout")
        let connectMilliseconds = Int(min(max(0.001, policy.connectTimeout) * 1000, Double(timeoutMilliseconds)))
        try check(capstan_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectMilliseconds), "connect timeout")
        try check(capstan_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, max(0, policy.lowSpeedBytesPerSecond)), "low speed")
        try check(capstan_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, max(0, policy.lowSpeedSeconds)), "low speed time")
        try check(capstan_curl_set_long(handle, CURLOPT_HTTP_VERSION, capstan_curl_http_version_2tls), "HTTP version")
        try check(capstan_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 1), "verify peer")
        try check(capstan_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 2), "verify host")
        try check(capstan_curl_set_string(handle, CURLOPT_ACCEPT_ENCODING, ""), "encodings")
        if policy.maxResponseBytes >= 0 {
            try check(capstan_curl_set_offset(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(policy.maxResponseBytes)), "size limit")
        }
        try check(capstan_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "error buffer")
        try configureTLS(policy)
        try configureMethodAndBody()
        try configureHeaders()
        try configureCallbacks()
    }

    private func configureTLS(_ policy: HTTPPolicy) throws(HTTPError) {
        try set(policy.caCertificates, file: CURLOPT_CAINFO, blob: CURLOPT_CAINFO_BLOB, "CA certificates")
        try set(policy.clientCertificate, file: CURLOPT_SSLCERT, blob: CURLOPT_SSLCERT_BLOB, "client certificate")
        try set(policy.clientKey, file: CURLOPT_SSLKEY, blob: CURLOPT_SSLKEY_BLOB, "client key")
        if policy.clientCertificate != nil {
            try check(capstan_curl_set_string(handle, CURLOPT_SSLCERTTYPE, "PEM"), "client certificate type")
        }
    }

    private func set(_ source: PEMSource?, file: CURLoption, blob: CURLoption, _ what: String) throws(HTTPError) {
        switch source {
        case nil: return
        case let .file(path): try check(capstan_curl_set_string(handle, file, path), what)
        case let .pem(data):
            let code = data.withUnsafeBytes { capstan_curl_set_blob(handle, blob, $0.baseAddress, $0.count) }
            try check(code, what)
        }
    }

    private func configureMethodAndBody() throws(HTTPError) {
        let method = request.method.uppercased()
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter }) else { throw fail("bad method") }
        if method == "HEAD" {
            try check(capstan_curl_set_long(handle, CURLOPT_NOBODY, 1), "HEAD")
            return
        }
        if let body = request.body ?? (["POST", "PUT", "PATCH"].contains(method) ? Data() : nil) {
            try check(capstan_curl_set_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "body size")
            let code = body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies POSTFIELDSIZE bytes; an empty body still needs a valid pointer.
                bytes.baseAddress.map { capstan_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0)) }
                    ?? capstan_curl_set_string(handle, CURLOPT_COPYPOSTFIELDS, "")
            }
            try check(code, "body")
        }
        if method != "GET" && method != "POST" {
            try check(capstan_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, method), "method")
        } else if method == "GET" && request.body != nil {
            try check(capstan_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, method), "method")
        }
    }

    private func configureHeaders() throws(HTTPError) {
        // An empty `Expect:` stops libcurl waiting for 100 Continue before sending a body.
        let lines = request.headers.map { "\($0.name): \($0.value)" } + ["Expect:"]
        for line in lines {
            guard !line.contains("\r"), !line.contains("\n") else { throw fail("a header holds a line break") }
            guard let appended = curl_slist_append(headerList, line) else { throw fail("out of memory for headers") }
            headerList = appended
        }
        try check(capstan_curl_set_list(handle, CURLOPT_HTTPHEADER, headerList), "headers")
    }

    private func configureCallbacks() throws(HTTPError) {
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let onBody: capstan_curl_data_callback = { data, size, count, context in
            guard let data, let context else { return 0 }
            let (length, overflow) = size.multipliedReportingOverflow(by: count)
            guard !overflow else { return 0 }
            let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
            return sink.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
        }
        let onHeader: capstan_curl_data_callback = { data, size, count, context in
            guard let data, let context else { return 0 }
            let (length, overflow) = size.multipliedReportingOverflow(by: count)
            guard !overflow else { return 0 }
            let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
            return sink.receiveHeader(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
        }
        let onProgress: capstan_curl_progress_callback = { context, _, _, _, _ in
            guard let context else { return 1 }
            return Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
        }
        try check(capstan_curl_set_data_callback(handle, CURLOPT_WRITEFUNCTION, onBody), "body callback")
        try check(capstan_curl_set_pointer(handle, CURLOPT_WRITEDATA, context), "body context")
        try check(capstan_curl_set_data_callback(handle, CURLOPT_HEADERFUNCTION, onHeader), "header callback")
        try check(capstan_curl_set_pointer(handle, CURLOPT_HEADERDATA, context), "header context")
        try check(capstan_curl_set_progress_callback(handle, onProgress), "progress callback")
        try check(capstan_curl_set_pointer(handle, CURLOPT_XFERINFODATA, context), "progress context")
        try check(capstan_curl_set_long(handle, CURLOPT_NOPROGRESS, 0), "progress")
    }

    /// Runs the exchange on the calling thread (blocking: call it off the cooperative pool).
    func perform() -> Result<HTTPResponse, HTTPError> {
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else { return .failure(error(for: code)) }
        var status = 0
        _ = capstan_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: sink.headers, body: sink.body, url: request.url))
    }

    private func error(for code: CURLcode) -> HTTPError {
        let curlText = String(cString: errorBuffer)
        let detail = curlText.isEmpty ? String(cString: curl_easy_strerror(code)) : curlText
        let kind: HTTPError.Kind
        if let overflow = sink.overflow {
            return HTTPError(.tooLarge, method: request.method, url: request.shownURL, detail: overflow)
        }
        switch code {
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_FILESIZE_EXCEEDED: kind = .tooLarge
        case CURLE_ABORTED_BY_CALLBACK: kind = sink.isCancelled ? .cancelled : .transfer
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT: kind = .connect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_SHUTDOWN_FAILED:
            kind = .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: kind = .invalidRequest
        default: kind = .transfer
        }
        let message = kind == .tooLarge ? "the answer is larger than \(sink.maxBodyBytes) bytes; refused" : detail
        return HTTPError(kind, method: request.method, url: request.shownURL, detail: message)
    }
}
