import Foundation

/// Every key a verification trusts: OpenPGP certificates and SSH signers, loaded from
/// files or directories the user names, or from the files of a trusted revision.
public struct TrustedKeys: Sendable {
    public var keyRing = KeyRing()
    public var sshSigners: [AllowedSigner] = []
    /// Key lines that cannot be used (`file:line: why`): their keys are not trusted.
    public private(set) var unusable: [String] = []

    public init() {}

    public var isEmpty: Bool { keyRing.isEmpty && sshSigners.isEmpty }

    /// File name endings that always mean OpenPGP keys (`rev`: GnuPG's revocation certificates).
    static let openPGPExtensions: Set<String> = ["asc", "gpg", "pgp", "rev"]

    /// File name endings read when a directory is given.
    public static let keyFileExtensions: Set<String> = ["asc", "gpg", "pgp", "rev", "key", "pub", "sshpub", "keys"]

    /// Whether a directory's file named `name` is read as a key file.
    public static func isKeyFileName(_ name: String) -> Bool {
        keyFileExtensions.contains((name as NSString).pathExtension.lowercased())
    }

    /// Adds keys from `path`: a file, or a directory whose key files (by extension) are read.
    public mutating func load(path: String) throws(SignatureError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .keyFile(path: path, reason: "no such file or directory; give a file or directory of armored OpenPGP or OpenSSH public keys")
        }
        if isDirectory.boolValue {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
            for name in names where Self.isKeyFileName(name) {
                let file = (path as NSString).appendingPathComponent(name)
                try add(file: try Self.read(file), named: file)
            }
        } else {
            try add(file: try Self.read(path), named: path)
        }
    }

    /// Adds the signers of an allowed_signers file (git's `gpg.ssh.allowedSignersFile`).
    public mutating func loadAllowedSigners(path: String) throws(SignatureError) {
        addAllowedSigners(try Self.read(path), named: path)
    }

    /// Adds the signers of allowed_signers text; `name` says where it came from in notes.
    public mutating func addAllowedSigners(_ bytes: [UInt8], named name: String) {
        let parsed = AllowedSigner.parseFile(String(decoding: bytes, as: UTF8.self), path: name)
        sshSigners += parsed.signers
        unusable += parsed.unusable
    }

    /// Adds the keys of one key file's bytes; `name` (a path) gives its kind by extension
    /// and names it in errors.
    public mutating func add(file bytes: [UInt8], named name: String) throws(SignatureError) {
        let bytes = Self.publishingRevocations(bytes)
        let looksBinaryOpenPGP = bytes.first.map { $0 & 0x80 != 0 } ?? false
        let openPGPName = Self.openPGPExtensions.contains((name as NSString).pathExtension.lowercased())
        if Armor.isArmored(bytes) || looksBinaryOpenPGP || openPGPName {
            do throws(SignatureError) {
                try keyRing.add(bytes)
            } catch {
                throw .keyFile(path: name, reason: error.description)
            }
            return
        }
        let text = String(decoding: bytes, as: UTF8.self)
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            do throws(SignatureError) {
                if let signer = try Self.sshSigner(String(line)) { sshSigners.append(signer) }
            } catch {
                // A bare key that does not read is a broken file; an allowed_signers line
                // ssh-keygen would skip is skipped here too, its key not trusted.
                if Self.isBareKeyLine(String(line)) { throw .keyFile(path: "\(name):\(number + 1)", reason: error.description) }
                unusable.append("\(name):\(number + 1): \(error.description); the key on this line is not trusted")
            }
        }
    }

    /// GnuPG guards the revocation certificate it writes (`openpgp-revocs.d/*.rev`) with a
    /// colon before its armor line. A revocation only takes trust away, so a guarded one
    /// counts too: the colon is dropped.
    static func publishingRevocations(_ bytes: [UInt8]) -> [UInt8] {
        let guarded = Array("\n:-----BEGIN PGP ".utf8)
        guard bytes.contains(bytes: guarded, within: bytes.count) || bytes.starts(with: guarded.dropFirst()) else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var atLineStart = true
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if atLineStart, byte == UInt8(ascii: ":"), bytes[index...].dropFirst().starts(with: Array("-----BEGIN PGP ".utf8)) {
                index += 1
                atLineStart = false
                continue
            }
            result.append(byte)
            atLineStart = byte == 0x0a
            index += 1
        }
        return result
    }

    /// A bare key line (`TYPE BASE64 [COMMENT]`), or else an allowed_signers line read as
    /// `--allowed-signers` reads it. Nil for blank and comment lines; throws for a bare key
    /// that does not read; an allowed_signers line that ssh-keygen would skip is unusable.
    static func sshSigner(_ line: String) throws(SignatureError) -> AllowedSigner? {
        let tokens = line.split(whereSeparator: { AllowedSigner.whitespace.contains($0) }).map(String.init)
        guard let first = tokens.first, !first.hasPrefix("#") else { return nil }
        if isBareKeyLine(line) {
            return AllowedSigner(key: try SSHPublicKey(line: tokens.joined(separator: " ")))
        }
        // authorized_keys' `cert-authority` would read as a principal; never trust its key plainly.
        if first.lowercased().hasPrefix("cert-authority") {
            throw .unsupported("an authorized_keys cert-authority line (SSH certificates are not verified)")
        }
        return try AllowedSigner.parseLine(line)
    }

    /// Key type names OpenSSH reads at the start of a key.
    static let keyTypeNames: Set<String> = [
        "ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-xmss@openssh.com",
    ]

    /// A line that starts with a key type (`TYPE BASE64 [COMMENT]`), not with principals.
    static func isBareKeyLine(_ line: String) -> Bool {
        guard let first = line.split(whereSeparator: { AllowedSigner.whitespace.contains($0) }).first.map(String.init) else { return false }
        return keyTypeNames.contains(first) || first.hasSuffix("-cert-v01@openssh.com")
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
            return openPGP.verify(signature: signature, over: data, objectTime: time)
        }
        return Verdict(status: .bad, format: nil, reason: "signature is neither OpenPGP nor SSH (X.509 signatures are not supported)")
    }
}
