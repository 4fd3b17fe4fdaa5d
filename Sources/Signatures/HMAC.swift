internal import COpenSSL

/// Keyed message authentication (RFC 2104) through OpenSSL: the signatures webhook
/// receivers check (GitHub's `X-Hub-Signature-256`, Flux's `X-Signature`).
public enum HMAC {
    /// The HMAC of `message` under `key` with `algorithm`.
    public static func authenticationCode(_ message: [UInt8], key: [UInt8], _ algorithm: Digest.Algorithm = .sha256) -> [UInt8] {
        let md: OpaquePointer? = switch algorithm {
        case .sha1: EVP_sha1()
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        // OpenSSL wants a non-null key pointer even for an empty key.
        let keyBytes = key.isEmpty ? [0] : key
        let result = keyBytes.withUnsafeBytes { keyBuffer in
            message.withUnsafeBytes { input in
                output.withUnsafeMutableBufferPointer { out in
                    COpenSSL.HMAC(md, keyBuffer.baseAddress, Int32(key.count), input.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                  input.count, out.baseAddress, &length)
                }
            }
        }
        precondition(result != nil, "OpenSSL HMAC failed for a built-in digest")
        return Array(output.prefix(Int(length)))
    }

    /// Lower-case hex of the HMAC-SHA256 of `message` under `key`.
    public static func sha256Hex(_ message: [UInt8], key: [UInt8]) -> String {
        authenticationCode(message, key: key, .sha256).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
