/// A container image reference, parsed the way registries and kubelet read it:
/// `[registry[:port]/]path[:tag][@algorithm:hex]`. The name keeps the spelling it was
/// written with; `normalizedName` is what two spellings of one image share
/// (`nginx` = `docker.io/library/nginx` = `index.docker.io/library/nginx`).
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// The name as written, without tag or digest.
    public let name: String
    public let tag: String?
    public let digest: String?
    /// Registry host (and port), `docker.io` when none is written.
    public let domain: String
    /// Repository path inside the registry, `library/` added for official Docker Hub images.
    public let path: String

    public var normalizedName: String { domain + "/" + path }

    /// The last path component (`podinfo` for `ghcr.io/stefanprodan/podinfo`): a cheap
    /// needle every spelling of the reference contains.
    public var shortName: String { String(path.split(separator: "/").last ?? Substring(path)) }

    public var description: String {
        name + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0 } ?? "")
    }

    public init?(_ text: String) {
        guard let parsed = try? Self.parse(text) else { return nil }
        self = parsed
    }

    init(name: String, tag: String?, digest: String?, domain: String, path: String) {
        self.name = name
        self.tag = tag
        self.digest = digest
        self.domain = domain
        self.path = path
    }

    /// Parses `text`, saying what is wrong when it is not a reference.
    public static func parse(_ text: String) throws(EditError) -> ImageReference {
        guard !text.isEmpty, text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
            throw .invalidImage(text, reason: "empty, or contains blanks or non-ASCII characters")
        }
        var rest = Substring(text)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            let candidate = String(rest[rest.index(after: at)...])
            guard isDigest(candidate) else { throw .invalidImage(text, reason: "digest must look like sha256:<64 hex digits>") }
            digest = candidate
            rest = rest[..<at]
        }
        var tag: String?
        let lastSlash = rest.lastIndex(of: "/")
        if let colon = rest.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            let candidate = String(rest[rest.index(after: colon)...])
            guard isTag(candidate) else {
                throw .invalidImage(text, reason: "tag must be 1-128 of [A-Za-z0-9_.-], not starting with . or -")
            }
            tag = candidate
            rest = rest[..<colon]
        }
        let name = String(rest)
        var components = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var domain = "docker.io"
        if components.count > 1, let first = components.first,
           first.contains(".") || first.contains(":") || first == "localhost" || first.contains(where: \.isUppercase) {
            guard isDomain(first) else { throw .invalidImage(text, reason: "registry \"\(first)\" is not a host[:port]") }
            domain = first == "index.docker.io" ? "docker.io" : first
            components.removeFirst()
        }
        guard !components.isEmpty, components.allSatisfy(isPathComponent) else {
            throw .invalidImage(text, reason: "repository path must be lowercase [a-z0-9] parts joined by . _ __ or -")
        }
        if domain == "docker.io", components.count == 1 { components.insert("library", at: 0) }
        return ImageReference(name: name, tag: tag, digest: digest, domain: domain, path: components.joined(separator: "/"))
    }

    /// This reference with another name, tag and digest, spelled like the original.
    public func with(name: String? = nil, tag: String?, digest: String?) -> String {
        (name ?? self.name) + (tag.map { ":" + $0 } ?? "") + (digest.map { "@" + $0 } ?? "")
    }

    static func isTag(_ text: String) -> Bool {
        guard let first = text.utf8.first, text.utf8.count <= 128, first != UInt8(ascii: "."), first != UInt8(ascii: "-") else {
            return false
        }
        return text.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    static func isDigest(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let algorithm = parts.first, let hex = parts.last, !algorithm.isEmpty else { return false }
        guard algorithm.utf8.allSatisfy({ isLowerAlphanumeric($0) || "+._-".utf8.contains($0) }) else { return false }
        if algorithm == "sha256" { return hex.utf8.count == 64 && hex.utf8.allSatisfy(isLowerHex) }
        if algorithm == "sha512" { return hex.utf8.count == 128 && hex.utf8.allSatisfy(isLowerHex) }
        return hex.utf8.count >= 32 && hex.utf8.allSatisfy { isAlphanumeric($0) || "=_-".utf8.contains($0) }
    }

    private static func isDomain(_ text: String) -> Bool {
        let hostAndPort = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(hostAndPort.count), let host = hostAndPort.first, !host.isEmpty else { return false }
        if hostAndPort.count == 2, hostAndPort[1].isEmpty || !hostAndPort[1].allSatisfy(\.isNumber) { return false }
        return host.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    private static func isPathComponent(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last) else { return false }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if isLowerAlphanumeric(byte) {
                index += 1
                continue
            }
            // Separators: ".", "_", "__", or any run of "-".
            var end = index
            while end < bytes.count, !isLowerAlphanumeric(bytes[end]) { end += 1 }
            let separator = bytes[index..<end]
            let ok = separator.elementsEqual([UInt8(ascii: ".")]) || separator.elementsEqual([UInt8(ascii: "_")])
                || separator.elementsEqual([UInt8(ascii: "_"), UInt8(ascii: "_")]) || separator.allSatisfy { $0 == UInt8(ascii: "-") }
            guard ok else { return false }
            index = end
        }
        return true
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (0x41...0x5A).contains(byte)
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }
}
