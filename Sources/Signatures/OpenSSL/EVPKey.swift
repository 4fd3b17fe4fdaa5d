internal import COpenSSL

/// The owner of one OpenSSL `EVP_PKEY`: a public or private key of any algorithm Capstan
/// handles. Built once per key and reused for every signature it checks.
final class EVPKey: @unchecked Sendable {
    private let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { EVP_PKEY_free(pointer) }

    /// The key size in bits (modulus for RSA, field for EC).
    var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    // MARK: Building keys from raw components

    static func rsa(n: [UInt8], e: [UInt8], d: [UInt8]? = nil) throws(SignatureError) -> EVPKey {
        let builder = try ParamBuilder()
        try builder.integer("n", n)
        try builder.integer("e", e)
        if let d { try builder.integer("d", d) }
        return try builder.makeKey(type: "RSA", includesPrivate: d != nil)
    }

    static func dsa(p: [UInt8], q: [UInt8], g: [UInt8], y: [UInt8]) throws(SignatureError) -> EVPKey {
        let builder = try ParamBuilder()
        try builder.integer("p", p)
        try builder.integer("q", q)
        try builder.integer("g", g)
        try builder.integer("pub", y)
        return try builder.makeKey(type: "DSA", includesPrivate: false)
    }

    /// An EC key on `curve` (an OpenSSL group name such as "prime256v1") from its
    /// uncompressed public point and, for signing, its private scalar.
    static func ec(curve: String, point: [UInt8], scalar: [UInt8]? = nil) throws(SignatureError) -> EVPKey {
        let builder = try ParamBuilder()
        try builder.text("group", curve)
        try builder.octets("pub", point)
        if let scalar { try builder.integer("priv", scalar) }
        return try builder.makeKey(type: "EC", includesPrivate: scalar != nil)
    }

    static func ed25519(publicKey: [UInt8]) throws(SignatureError) -> EVPKey {
        guard publicKey.count == 32 else { throw .malformed(what: "Ed25519 public key", reason: "\(publicKey.count) bytes, expected 32") }
        let key = publicKey.withUnsafeBufferPointer { EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, $0.baseAddress, 32) }
        guard let key else { throw .crypto(operation: "build Ed25519 key", message: takeOpenSSLMessage()) }
        return EVPKey(key)
    }

    static func ed25519(seed: [UInt8]) throws(SignatureError) -> EVPKey {
        guard seed.count == 32 else { throw .malformed(what: "Ed25519 secret key", reason: "\(seed.count) bytes, expected 32") }
        let key = seed.withUnsafeBufferPointer { EVP_PKEY_new_raw_private_key_ex(nil, "ED25519", nil, $0.baseAddress, 32) }
        guard let key else { throw .crypto(operation: "build Ed25519 key", message: takeOpenSSLMessage()) }
        return EVPKey(key)
    }

    /// The raw 32-byte public key of an Ed25519 key.
    func ed25519PublicKey() throws(SignatureError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length = 32
        try checkOpenSSL("read Ed25519 public key", EVP_PKEY_get_raw_public_key(pointer, &output, &length))
        return Array(output.prefix(length))
    }

    // MARK: Signatures over a precomputed digest (OpenPGP)

    /// Checks `signature` over `digest`. RSA uses PKCS#1 v1.5 with the DigestInfo of `hash`;
    /// DSA and ECDSA take a DER (r, s). Any failure is simply "does not verify".
    func verify(signature: [UInt8], digest: [UInt8], hash: HashAlgorithm, rsa: Bool) -> Bool {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else { ERR_clear_error(); return false }
        defer { EVP_PKEY_CTX_free(context) }
        var ok = EVP_PKEY_verify_init(context) == 1
        if ok, rsa { ok = EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1 }
        if ok { ok = EVP_PKEY_CTX_set_signature_md(context, hash.md) == 1 }
        if ok {
            ok = signature.withUnsafeBufferPointer { sig in
                digest.withUnsafeBufferPointer { tbs in
                    EVP_PKEY_verify(context, sig.baseAddress, sig.count, tbs.baseAddress, tbs.count) == 1
                }
            }
        }
        if !ok { ERR_clear_error() }
        return ok
    }

    /// Signs `digest`: PKCS#1 v1.5 for RSA, DER (r, s) for ECDSA.
    func sign(digest: [UInt8], hash: HashAlgorithm, rsa: Bool) throws(SignatureError) -> [UInt8] {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else {
            throw .crypto(operation: "create signing context", message: takeOpenSSLMessage())
        }
        defer { EVP_PKEY_CTX_free(context) }
        try checkOpenSSL("start signing", EVP_PKEY_sign_init(context))
        if rsa { try checkOpenSSL("set PKCS#1 padding", EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING)) }
        try checkOpenSSL("set signature digest", EVP_PKEY_CTX_set_signature_md(context, hash.md))
        var length = 0
        try checkOpenSSL("size signature", digest.withUnsafeBufferPointer { EVP_PKEY_sign(context, nil, &length, $0.baseAddress, $0.count) })
        var output = [UInt8](repeating: 0, count: length)
        try checkOpenSSL("sign", digest.withUnsafeBufferPointer { tbs in
            output.withUnsafeMutableBufferPointer { EVP_PKEY_sign(context, $0.baseAddress, &length, tbs.baseAddress, tbs.count) }
        })
        return Array(output.prefix(length))
    }

    // MARK: Signatures over a whole message (Ed25519; SSH's RSA and ECDSA)

    /// Checks `signature` over `message`, hashing with `hash` (nil for Ed25519, which hashes itself).
    func verify(signature: [UInt8], message: [UInt8], hash: HashAlgorithm?) -> Bool {
        guard let context = EVP_MD_CTX_new() else { ERR_clear_error(); return false }
        defer { EVP_MD_CTX_free(context) }
        var ok = EVP_DigestVerifyInit(context, nil, hash?.md, nil, pointer) == 1
        if ok {
            ok = signature.withUnsafeBufferPointer { sig in
                message.withUnsafeBufferPointer { tbs in
                    EVP_DigestVerify(context, sig.baseAddress, sig.count, tbs.baseAddress, tbs.count) == 1
                }
            }
        }
        if !ok { ERR_clear_error() }
        return ok
    }

    func sign(message: [UInt8], hash: HashAlgorithm?) throws(SignatureError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else {
            throw .crypto(operation: "create signing context", message: takeOpenSSLMessage())
        }
        defer { EVP_MD_CTX_free(context) }
        try checkOpenSSL("start signing", EVP_DigestSignInit(context, nil, hash?.md, nil, pointer))
        var length = 0
        try checkOpenSSL("size signature", message.withUnsafeBufferPointer { EVP_DigestSign(context, nil, &length, $0.baseAddress, $0.count) })
        var output = [UInt8](repeating: 0, count: length)
        try checkOpenSSL("sign", message.withUnsafeBufferPointer { tbs in
            output.withUnsafeMutableBufferPointer { EVP_DigestSign(context, $0.baseAddress, &length, tbs.baseAddress, tbs.count) }
        })
        return Array(output.prefix(length))
    }
}
