/// How Capstan authenticates to a remote. Secrets live only in this value and in the
/// credential callback; they are never written to disk or printed.
public enum Credentials: Sendable {
    /// No credentials (public repositories, file:// and local paths).
    case none
    /// HTTP Basic with a token as the password and a forge-specific user name
    /// (`x-access-token` on GitHub, `oauth2` on GitLab, `x-token-auth` on Bitbucket, …).
    case token(username: String, token: String)
    /// An SSH private key (OpenSSH format), an optional passphrase, and the known_hosts
    /// file the server's host key must be in (mismatch or absence fails closed).
    case sshKey(username: String?, privateKeyPath: String, passphrase: String?, knownHostsPath: String)
}

extension Credentials: CustomStringConvertible {
    /// A description safe to print: it never contains the secret.
    public var description: String {
        switch self {
        case .none: "no credentials"
        case let .token(username, _): "token for \(username)"
        case let .sshKey(username, path, _, _): "ssh key \(path)" + (username.map { " as \($0)" } ?? "")
        }
    }

    /// Every secret this value holds, so messages can be scrubbed of them.
    public var secrets: [String] {
        switch self {
        case .none: []
        case let .token(_, token): [token]
        case let .sshKey(_, _, passphrase, _): passphrase.map { [$0] } ?? []
        }
    }
}
