internal import COpenSSL

/// The message digests OpenPGP and SSH signatures name, with their OpenPGP ids.
public enum HashAlgorithm: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case md5 = 1
    case sha1 = 2
    case ripemd160 = 3
    case sha256 = 8
    case sha384 = 9
    case sha512 = 10
    case sha224 = 11
    case sha3_256 = 12
    case sha3_512 = 14

    /// MD5, SHA-1 and RIPEMD-160 are collision-prone: refused unless weak algorithms are allowed.
    public var isWeak: Bool { self == .md5 || self == .sha1 || self == .ripemd160 }

    public var description: String {
        switch self {
        case .md5: "MD5"
        case .sha1: "SHA1"
        case .ripemd160: "RIPEMD160"
        case .sha256: "SHA256"
        case .sha384: "SHA384"
        case .sha512: "SHA512"
        case .sha224: "SHA224"
        case .sha3_256: "SHA3-256"
        case .sha3_512: "SHA3-512"
        }
    }

    /// OpenSSL's method for this digest (built-in, never freed).
    var md: OpaquePointer? {
        switch self {
        case .md5: EVP_md5()
        case .sha1: EVP_sha1()
        case .ripemd160: EVP_ripemd160()
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        case .sha224: EVP_sha224()
        case .sha3_256: EVP_sha3_256()
        case .sha3_512: EVP_sha3_512()
        }
    }

    /// The digest of `bytes` in one go.
    func digest(_ bytes: [UInt8]) throws(SignatureError) -> [UInt8] {
        let context = try HashContext(self)
        context.update(bytes)
        return try context.finish()
    }
}

/// One running digest: the owner of an `EVP_MD_CTX`, fed in pieces so large payloads are
/// hashed without copying them together.
final class HashContext {
    private let context: OpaquePointer
    let algorithm: HashAlgorithm

    init(_ algorithm: HashAlgorithm) throws(SignatureError) {
        guard let context = EVP_MD_CTX_new() else {
            throw .crypto(operation: "create \(algorithm) context", message: takeOpenSSLMessage())
        }
        self.context = context
        self.algorithm = algorithm
        guard EVP_DigestInit_ex(context, algorithm.md, nil) == 1 else {
            throw .crypto(operation: "start \(algorithm) digest", message: takeOpenSSLMessage())
        }
    }

    deinit { EVP_MD_CTX_free(context) }

    func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            _ = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
        }
    }

    func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { buffer in
            _ = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
        }
    }

    func finish() throws(SignatureError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = EVP_DigestFinal_ex(context, &output, &length)
        try checkOpenSSL("finish \(algorithm) digest", result)
        return Array(output.prefix(Int(length)))
    }
}
