import Foundation

/// Every key a verification trusts: OpenPGP certificates and SSH signers, loaded from
/// files or directories the user names.
public struct TrustedKeys: Sendable {
    public var keyRing = KeyRing()
    public var sshSigners: [AllowedSigner] = []

    public init() {}

    public var isEmpty: Bool { keyRing.isEmpty && sshSigners.isEmpty }

    /// File name endings that always mean OpenPGP keys.
    static let openPGPExtensions: Set<String> = ["asc", "gpg", "pgp"]

    /// File name endings read when a directory is given.
    public static let keyFileExtensions: Set<String> = ["asc", "gpg", "pgp", "key", "pub", "sshpub", "keys"]

    /// Adds keys from `path`: a file, or a directory whose key files (by extension) are read.
    public mutating func load(path: String) throws(SignatureError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .keyFile(path: path, reason: "no such file or directory; give a file or directory of armored OpenPGP or OpenSSH public keys")
        }
        if isDirectory.boolValue {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
            for name in names where Self.keyFileExtensions.contains((name as NSString).pathExtension.lowercased()) {
                try loadFile((path as NSString).appendingPathComponent(name))
            }
        } else {
            try loadFile(path)
        }
    }

    /// Adds the signers of an allowed_signers file (git's `gpg.ssh.allowedSignersFile`).
    public mutating func loadAllowedSigners(path: String) throws(SignatureError) {
        let bytes = try Self.read(path)
        sshSigners += try AllowedSigner.parseFile(String(decoding: bytes, as: UTF8.self), path: path)
    }

    private mutating func loadFile(_ path: String) throws(SignatureError) {
        let bytes = try Self.read(path)
        let looksBinaryOpenPGP = bytes.first.map { $0 & 0x80 != 0 } ?? false
        let openPGPName = Self.openPGPExtensions.contains((path as NSString).pathExtension.lowercased())
        if Armor.isArmored(bytes) || looksBinaryOpenPGP || openPGPName {
            do throws(SignatureError) {
                try keyRing.add(bytes)
            } catch {
                throw .keyFile(path: path, reason: error.description)
            }
            return
        }
        let text = String(decoding: bytes, as: UTF8.self)
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do throws(SignatureError) {
                sshSigners.append(try Self.sshSigner(line))
            } catch {
                throw .keyFile(path: "\(path):\(number + 1)", reason: error.description)
            }
        }
    }

    /// A bare key line, an authorized_keys line (options before the key), or an allowed_signers line.
    private static func sshSigner(_ line: String) throws(SignatureError) -> AllowedSigner {
        let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let isType = { (token: String) in token.hasPrefix("ssh-") || token.hasPrefix("ecdsa-") || token.hasPrefix("sk-") }
        if let first = tokens.first, isType(first) {
            return AllowedSigner(key: try SSHPublicKey(line: line))
        }
        if let signer = try? AllowedSigner.parseLine(line) { return signer }
        guard let start = tokens.firstIndex(where: isType), start + 1 < tokens.count else {
            throw .malformed(what: "SSH key line", reason: "no key type (ssh-ed25519, ecdsa-sha2-…, ssh-rsa) found")
        }
        return AllowedSigner(key: try SSHPublicKey(line: tokens[start...].joined(separator: " ")))
    }

    static func read(_ path: String) throws(SignatureError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .keyFile(path: path, reason: "cannot be read")
        }
        guard data.count <= 16 << 20 else { throw .keyFile(path: path, reason: "larger than 16 MiB") }
        return [UInt8](data)
    }
}

/// Checks any signature git stores — OpenPGP or SSH — against trusted keys.
public struct SignatureVerifier: Sendable {
    public let keys: TrustedKeys
    public let policy: VerificationPolicy
    private let openPGP: OpenPGPVerifier
    private let ssh: SSHVerifier

    public init(keys: TrustedKeys, policy: VerificationPolicy) {
        self.keys = keys
        self.policy = policy
        openPGP = OpenPGPVerifier(keyRing: keys.keyRing, policy: policy)
        ssh = SSHVerifier(signers: keys.sshSigners, policy: policy)
    }

    /// The verdict on `signature` (nil: the object is unsigned) over `data`, made at `time`.
    public func verify(signature: [UInt8]?, over data: [UInt8], at time: Int?) -> Verdict {
        guard let signature, !signature.isEmpty else {
            return Verdict(status: .unsigned, format: nil, reason: "no signature")
        }
        if SSHSignature.isArmored(signature) {
            return ssh.verify(signature: signature, over: data, at: time)
        }
        if Armor.isArmored(signature) {
            return openPGP.verify(signature: signature, over: data)
        }
        return Verdict(status: .bad, format: nil, reason: "signature is neither OpenPGP nor SSH (X.509 signatures are not supported)")
    }
}
