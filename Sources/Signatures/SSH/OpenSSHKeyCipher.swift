/// A cipher an OpenSSH private key file names (PROTOCOL.key, `ssh-keygen -Z`): how many key
/// and IV bytes the KDF must produce, the block size the private section is padded to, and
/// the tag that follows the section for authenticated ciphers.
struct OpenSSHKeyCipher: Sendable {
    enum Kind: Sendable {
        case none
        /// Block or stream modes without a tag (AES, and triple DES for `3des-cbc`).
        case unauthenticated(SymmetricCipher.Mode)
        case aesGCM
        case chaCha20Poly1305
    }

    let name: String
    let kind: Kind
    let keyLength: Int
    let ivLength: Int
    let blockSize: Int

    /// Bytes of authentication tag after the encrypted section (0 for unauthenticated ciphers).
    var tagLength: Int {
        switch kind {
        case .aesGCM, .chaCha20Poly1305: AuthenticatedCipher.tagLength
        case .none, .unauthenticated: 0
        }
    }

    /// Every cipher Capstan can open, by OpenSSH's name. `aes256-ctr` is `ssh-keygen`'s default.
    static let supported: [OpenSSHKeyCipher] = [
        OpenSSHKeyCipher(name: "none", kind: .none, keyLength: 0, ivLength: 0, blockSize: 8),
        OpenSSHKeyCipher(name: "aes128-ctr", kind: .unauthenticated(.ctr), keyLength: 16, ivLength: 16, blockSize: 16),
        OpenSSHKeyCipher(name: "aes192-ctr", kind: .unauthenticated(.ctr), keyLength: 24, ivLength: 16, blockSize: 16),
        OpenSSHKeyCipher(name: "aes256-ctr", kind: .unauthenticated(.ctr), keyLength: 32, ivLength: 16, blockSize: 16),
        OpenSSHKeyCipher(name: "aes128-cbc", kind: .unauthenticated(.cbc), keyLength: 16, ivLength: 16, blockSize: 16),
        OpenSSHKeyCipher(name: "aes192-cbc", kind: .unauthenticated(.cbc), keyLength: 24, ivLength: 16, blockSize: 16),
        OpenSSHKeyCipher(name: "aes256-cbc", kind: .unauthenticated(.cbc), keyLength: 32, ivLength: 16, blockSize: 16),
        OpenSSHKeyCipher(name: "3des-cbc", kind: .unauthenticated(.tripleDESCBC), keyLength: 24, ivLength: 8, blockSize: 8),
        OpenSSHKeyCipher(name: "aes128-gcm@openssh.com", kind: .aesGCM, keyLength: 16, ivLength: 12, blockSize: 16),
        OpenSSHKeyCipher(name: "aes256-gcm@openssh.com", kind: .aesGCM, keyLength: 32, ivLength: 12, blockSize: 16),
        OpenSSHKeyCipher(name: "chacha20-poly1305@openssh.com", kind: .chaCha20Poly1305, keyLength: 64, ivLength: 0, blockSize: 8),
    ]

    static func named(_ name: String) throws(SignatureError) -> OpenSSHKeyCipher {
        guard let cipher = supported.first(where: { $0.name == name }) else {
            throw .unsupported("OpenSSH private key cipher \(name) (supported: \(supported.dropFirst().map(\.name).joined(separator: ", ")))")
        }
        return cipher
    }

    /// The plaintext of `section`, given `keyAndIV` from the KDF (key bytes, then IV bytes);
    /// nil when an authenticated cipher's `tag` does not match.
    func decrypt(_ section: [UInt8], tag: [UInt8], keyAndIV: [UInt8]) throws(SignatureError) -> [UInt8]? {
        let key = Array(keyAndIV.prefix(keyLength))
        let iv = Array(keyAndIV.dropFirst(keyLength).prefix(ivLength))
        return switch kind {
        case .none: section
        case let .unauthenticated(mode): try SymmetricCipher.decrypt(section, key: key, iv: iv, mode: mode)
        case .aesGCM: try AuthenticatedCipher.decryptAESGCM(section, tag: tag, key: key, nonce: iv)
        case .chaCha20Poly1305: try AuthenticatedCipher.decryptChaCha20Poly1305(section, tag: tag, key: key)
        }
    }
}
