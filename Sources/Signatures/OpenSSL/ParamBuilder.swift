internal import COpenSSL
import Foundation

/// Builds an OpenSSL key from raw components (`EVP_PKEY_fromdata`). OpenSSL's param
/// builder keeps pointers to the names, numbers and buffers it is given until the params
/// are made, so this owner keeps copies of them alive and frees everything in `deinit`.
final class ParamBuilder {
    private let builder: OpaquePointer
    private var bignums: [OpaquePointer] = []
    private var buffers: [UnsafeMutableRawPointer] = []

    init() throws(SignatureError) {
        guard let builder = OSSL_PARAM_BLD_new() else {
            throw .crypto(operation: "create key parameters", message: takeOpenSSLMessage())
        }
        self.builder = builder
    }

    deinit {
        bignums.forEach { BN_free($0) }
        buffers.forEach { free($0) }
        OSSL_PARAM_BLD_free(builder)
    }

    private func keep(_ text: String) -> UnsafeMutablePointer<CChar> {
        let copy = strdup(text)!
        buffers.append(UnsafeMutableRawPointer(copy))
        return copy
    }

    /// An unsigned big-endian integer parameter (`n`, `e`, `d`, `priv`, `p`, `q`, `g`, `pub`).
    func integer(_ name: String, _ bytes: [UInt8]) throws(SignatureError) {
        let value = bytes.isEmpty ? [0] : bytes
        guard let number = value.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32($0.count), nil) }) else {
            throw .crypto(operation: "read integer \(name)", message: takeOpenSSLMessage())
        }
        bignums.append(number)
        try checkOpenSSL("set key parameter \(name)", OSSL_PARAM_BLD_push_BN(builder, keep(name), number))
    }

    func text(_ name: String, _ value: String) throws(SignatureError) {
        try checkOpenSSL("set key parameter \(name)", OSSL_PARAM_BLD_push_utf8_string(builder, keep(name), keep(value), 0))
    }

    func octets(_ name: String, _ value: [UInt8]) throws(SignatureError) {
        let copy = malloc(max(value.count, 1))!
        buffers.append(copy)
        value.withUnsafeBytes { source in
            if let base = source.baseAddress { copy.copyMemory(from: base, byteCount: source.count) }
        }
        try checkOpenSSL("set key parameter \(name)", OSSL_PARAM_BLD_push_octet_string(builder, keep(name), copy, value.count))
    }

    /// The key of OpenSSL type `type` ("RSA", "EC", "DSA") from the parameters given so far.
    func makeKey(type: String, includesPrivate: Bool) throws(SignatureError) -> EVPKey {
        guard let params = OSSL_PARAM_BLD_to_param(builder) else {
            throw .crypto(operation: "build \(type) key parameters", message: takeOpenSSLMessage())
        }
        defer { OSSL_PARAM_free(params) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else {
            throw .crypto(operation: "create \(type) key context", message: takeOpenSSLMessage())
        }
        defer { EVP_PKEY_CTX_free(context) }
        try checkOpenSSL("prepare \(type) key", EVP_PKEY_fromdata_init(context))
        var key: OpaquePointer?
        let selection = includesPrivate ? capstan_select_key_pair : capstan_select_public_key
        try checkOpenSSL("build \(type) key", EVP_PKEY_fromdata(context, &key, selection, params))
        guard let key else { throw .crypto(operation: "build \(type) key", message: "no key returned") }
        return EVPKey(key)
    }
}
