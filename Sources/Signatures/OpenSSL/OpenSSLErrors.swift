internal import COpenSSL

/// OpenSSL's most recent error message, draining its thread-local queue so a failure does
/// not leak into the next operation.
func takeOpenSSLMessage() -> String {
    var last: UInt = 0
    while true {
        let code = ERR_get_error()
        if code == 0 { break }
        last = code
    }
    guard last != 0 else { return "unknown OpenSSL error" }
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(last, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Runs an OpenSSL call that returns 1 on success; anything else becomes a
/// `SignatureError.crypto` carrying OpenSSL's own message.
func checkOpenSSL(_ operation: @autoclosure () -> String, _ result: Int32) throws(SignatureError) {
    guard result == 1 else { throw .crypto(operation: operation(), message: takeOpenSSLMessage()) }
}
