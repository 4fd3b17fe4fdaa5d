internal import COpenSSL

/// AES in the modes secret-key files use: CFB-128 (OpenPGP secret key protection), CTR and
/// CBC (OpenSSH, whose key files are already padded to the block size, so OpenSSL adds and
/// removes no padding), plus the three-key triple-DES CBC old OpenSSH key files may name.
/// The plaintext is a secret and is never logged.
enum SymmetricCipher {
    enum Mode { case cfb, ctr, cbc, tripleDESCBC }

    static func decrypt(_ data: [UInt8], key: [UInt8], iv: [UInt8], mode: Mode) throws(SignatureError) -> [UInt8] {
        try run(data, key: key, iv: iv, mode: mode, encrypting: false)
    }

    /// Encryption, for protecting secret keys Capstan writes (and tests that build them).
    static func encrypt(_ data: [UInt8], key: [UInt8], iv: [UInt8], mode: Mode) throws(SignatureError) -> [UInt8] {
        try run(data, key: key, iv: iv, mode: mode, encrypting: true)
    }

    private static func run(_ data: [UInt8], key: [UInt8], iv: [UInt8], mode: Mode, encrypting: Bool) throws(SignatureError) -> [UInt8] {
        let cipher: OpaquePointer? = switch (mode, key.count) {
        case (.cfb, 16): EVP_aes_128_cfb128()
        case (.cfb, 24): EVP_aes_192_cfb128()
        case (.cfb, 32): EVP_aes_256_cfb128()
        case (.ctr, 16): EVP_aes_128_ctr()
        case (.ctr, 24): EVP_aes_192_ctr()
        case (.ctr, 32): EVP_aes_256_ctr()
        case (.cbc, 16): EVP_aes_128_cbc()
        case (.cbc, 24): EVP_aes_192_cbc()
        case (.cbc, 32): EVP_aes_256_cbc()
        case (.tripleDESCBC, 24): EVP_des_ede3_cbc()
        default: nil
        }
        guard let cipher else { throw .unsupported("cipher mode \(mode) with a \(key.count)-byte key") }
        guard let context = EVP_CIPHER_CTX_new() else {
            throw .crypto(operation: "create cipher context", message: takeOpenSSLMessage())
        }
        defer { EVP_CIPHER_CTX_free(context) }
        try checkOpenSSL("start cipher", EVP_CipherInit_ex(context, cipher, nil, key, iv, encrypting ? 1 : 0))
        try checkOpenSSL("turn off cipher padding", EVP_CIPHER_CTX_set_padding(context, 0))
        var output = [UInt8](repeating: 0, count: data.count + 32)
        var written: Int32 = 0
        try checkOpenSSL("run cipher", data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { EVP_CipherUpdate(context, $0.baseAddress, &written, input.baseAddress, Int32(input.count)) }
        })
        var total = Int(written)
        var final: Int32 = 0
        try checkOpenSSL("finish cipher", output.withUnsafeMutableBufferPointer { EVP_CipherFinal_ex(context, $0.baseAddress! + total, &final) })
        total += Int(final)
        return Array(output.prefix(total))
    }
}
