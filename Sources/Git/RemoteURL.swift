/// A remote's URL with any credentials taken out. Only `redacted` form is ever stored
/// (in .git/config) or printed; the user name and secret travel through the credential
/// callback instead.
public struct RemoteURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL without user information (`https://host/org/repo.git`, `ssh://git@host/x`
    /// keeps its user name, which is not a secret, but never a password).
    public let url: String
    /// A user name found in the URL, if any.
    public let username: String?
    /// A password or token found in the URL (`https://user:token@host/...`), if any.
    public let embeddedSecret: String?

    public enum Scheme: Sendable { case https, http, ssh, file }
    public let scheme: Scheme
    /// The host (and port) for http(s) and ssh; empty for local paths.
    public let host: String

    public init(_ text: String) {
        var rest = Substring(text)
        if text.hasPrefix("/") || text.hasPrefix(".") || !text.contains(":") {
            url = text
            username = nil
            embeddedSecret = nil
            scheme = .file
            host = ""
            return
        }
        if let schemeEnd = rest.firstRange(of: "://") {
            let schemeText = rest[..<schemeEnd.lowerBound].lowercased()
            rest = rest[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            var hostPart = authority
            var user: String?
            var secret: String?
            if let at = authority.lastIndex(of: "@") {
                let info = authority[..<at]
                hostPart = authority[authority.index(after: at)...]
                if let colon = info.firstIndex(of: ":") {
                    user = String(info[..<colon])
                    secret = String(info[info.index(after: colon)...])
                } else {
                    user = String(info)
                }
            }
            let path = rest[authorityEnd...]
            switch schemeText {
            case "https": scheme = .https
            case "http": scheme = .http
            case "ssh", "git+ssh", "ssh+git": scheme = .ssh
            default: scheme = .file
            }
            host = String(hostPart)
            username = user.map { $0.removingPercentEncoding }
            embeddedSecret = secret.map { $0.removingPercentEncoding }
            let keepUser = scheme == .ssh ? username.map { $0 + "@" } ?? "" : ""
            url = schemeText + "://" + keepUser + hostPart + path
            return
        }
        // scp-like: git@host:org/repo.git
        scheme = .ssh
        embeddedSecret = nil
        if let at = rest.firstIndex(of: "@"), let colon = rest.firstIndex(of: ":"), at < colon {
            username = String(rest[..<at])
            host = String(rest[rest.index(after: at)..<colon])
        } else {
            username = nil
            host = String(rest[..<(rest.firstIndex(of: ":") ?? rest.endIndex)])
        }
        url = text
    }

    public var description: String { url }
}

extension String {
    /// Decodes `%XX` escapes (user information in URLs).
    var removingPercentEncoding: String {
        var bytes: [UInt8] = []
        var iterator = Array(utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
               let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
