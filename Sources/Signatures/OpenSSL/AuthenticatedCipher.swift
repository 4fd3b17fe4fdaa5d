internal import COpenSSL

/// The authenticated ciphers OpenSSH may protect a private key file with, through OpenSSL:
/// AES-GCM (`aes128-gcm@openssh.com`, `aes256-gcm@openssh.com`) and OpenSSH's own
/// ChaCha20-Poly1305 (`chacha20-poly1305@openssh.com`: the original 64-bit-nonce ChaCha20,
/// its Poly1305 key taken from block 0 of the key stream, the payload from block 1 on).
/// Decryption returns nil when the tag does not match: a wrong key, i.e. a wrong passphrase.
enum AuthenticatedCipher {
    static let tagLength = 16

    /// AES-GCM with a 12-byte nonce, no associated data and a 16-byte tag.
    static func decryptAESGCM(_ data: [UInt8], tag: [UInt8], key: [UInt8], nonce: [UInt8]) throws(SignatureError) -> [UInt8]? {
        let cipher: OpaquePointer? = switch key.count {
        case 16: EVP_aes_128_gcm()
        case 32: EVP_aes_256_gcm()
        default: nil
        }
        guard let cipher, nonce.count == 12, tag.count == tagLength else {
            throw .unsupported("AES-GCM with a \(key.count)-byte key and \(nonce.count)-byte nonce")
        }
        let context = try CipherContext()
        try checkOpenSSL("start AES-GCM", EVP_DecryptInit_ex(context.handle, cipher, nil, key, nonce))
        var output = [UInt8](repeating: 0, count: data.count + 16)
        var written: Int32 = 0
        try checkOpenSSL("run AES-GCM", data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { EVP_DecryptUpdate(context.handle, $0.baseAddress, &written, input.baseAddress, Int32(input.count)) }
        })
        var expected = tag
        try checkOpenSSL("set AES-GCM tag", expected.withUnsafeMutableBytes {
            EVP_CIPHER_CTX_ctrl(context.handle, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), $0.baseAddress)
        })
        var final: Int32 = 0
        let verified = output.withUnsafeMutableBufferPointer { EVP_DecryptFinal_ex(context.handle, $0.baseAddress! + Int(written), &final) }
        guard verified == 1 else {
            _ = takeOpenSSLMessage()
            return nil
        }
        return Array(output.prefix(Int(written + final)))
    }

    /// OpenSSH's ChaCha20-Poly1305 with sequence number 0 and no length field: `key` is the
    /// 64-byte pair of which key files use only the first half (the payload key).
    static func decryptChaCha20Poly1305(_ data: [UInt8], tag: [UInt8], key: [UInt8]) throws(SignatureError) -> [UInt8]? {
        guard key.count == 64, tag.count == tagLength else { throw .unsupported("ChaCha20-Poly1305 with a \(key.count)-byte key") }
        let payloadKey = Array(key.prefix(32))
        // OpenSSL's 16-byte ChaCha20 IV is the block counter (little-endian) then the nonce;
        // OpenSSH's 64-bit counter and 64-bit nonce (the big-endian sequence number, 0) fit it.
        let sequence = [UInt8](repeating: 0, count: 8)
        let polyKey = try chaCha20(Array(repeating: 0, count: 32), key: payloadKey, iv: [0, 0, 0, 0, 0, 0, 0, 0] + sequence)
        let expected = try poly1305(data, key: polyKey)
        let matches = expected.withUnsafeBytes { computed in
            tag.withUnsafeBytes { CRYPTO_memcmp(computed.baseAddress, $0.baseAddress, tagLength) == 0 }
        }
        guard matches else { return nil }
        return try chaCha20(data, key: payloadKey, iv: [1, 0, 0, 0, 0, 0, 0, 0] + sequence)
    }

    private static func chaCha20(_ data: [UInt8], key: [UInt8], iv: [UInt8]) throws(SignatureError) -> [UInt8] {
        guard !data.isEmpty else { return [] }
        let context = try CipherContext()
        try checkOpenSSL("start ChaCha20", EVP_EncryptInit_ex(context.handle, EVP_chacha20(), nil, key, iv))
        var output = [UInt8](repeating: 0, count: data.count)
        var written: Int32 = 0
        try checkOpenSSL("run ChaCha20", data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { EVP_EncryptUpdate(context.handle, $0.baseAddress, &written, input.baseAddress, Int32(input.count)) }
        })
        return Array(output.prefix(Int(written)))
    }

    private static func poly1305(_ data: [UInt8], key: [UInt8]) throws(SignatureError) -> [UInt8] {
        let context = try Poly1305Context()
        try checkOpenSSL("start Poly1305", EVP_MAC_init(context.handle, key, key.count, nil))
        try checkOpenSSL("run Poly1305", data.withUnsafeBufferPointer { EVP_MAC_update(context.handle, $0.baseAddress, $0.count) })
        var output = [UInt8](repeating: 0, count: tagLength)
        var length = 0
        try checkOpenSSL("finish Poly1305", output.withUnsafeMutableBufferPointer {
            EVP_MAC_final(context.handle, $0.baseAddress, &length, tagLength)
        })
        return Array(output.prefix(length))
    }
}

/// Owns one `EVP_CIPHER_CTX`; `deinit` frees it.
private final class CipherContext {
    let handle: OpaquePointer

    init() throws(SignatureError) {
        guard let handle = EVP_CIPHER_CTX_new() else {
            throw .crypto(operation: "create cipher context", message: takeOpenSSLMessage())
        }
        self.handle = handle
    }

    deinit { EVP_CIPHER_CTX_free(handle) }
}

/// Owns OpenSSL's Poly1305 MAC and one context for it; `deinit` frees both.
private final class Poly1305Context {
    private let mac: OpaquePointer
    let handle: OpaquePointer

    init() throws(SignatureError) {
        guard let mac = EVP_MAC_fetch(nil, "POLY1305", nil) else {
            throw .crypto(operation: "fetch Poly1305", message: takeOpenSSLMessage())
        }
        guard let handle = EVP_MAC_CTX_new(mac) else {
            EVP_MAC_free(mac)
            throw .crypto(operation: "create Poly1305 context", message: takeOpenSSLMessage())
        }
        self.mac = mac
        self.handle = handle
    }

    deinit {
        EVP_MAC_CTX_free(handle)
        EVP_MAC_free(mac)
    }
}
