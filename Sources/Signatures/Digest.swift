internal import COpenSSL

/// Message digests through OpenSSL's EVP interface.
public enum Digest {
    public enum Algorithm: Sendable {
        case sha1, sha256, sha384, sha512
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8], _ algorithm: Algorithm) -> [UInt8] {
        let md: OpaquePointer? = switch algorithm {
        case .sha1: EVP_sha1()
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBufferPointer { out in
                EVP_Digest(input.baseAddress, input.count, out.baseAddress, &length, md, nil)
            }
        }
        precondition(ok == 1, "OpenSSL EVP_Digest failed for a built-in algorithm")
        return Array(output.prefix(Int(length)))
    }

    /// Lower-case hex of the SHA-256 digest of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        hash(bytes, .sha256).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// The linked OpenSSL's version text, e.g. "OpenSSL 3.0.17 1 Jul 2025".
    public static var openSSLVersion: String {
        String(cString: OpenSSL_version(Int32(OPENSSL_VERSION)))
    }
}
