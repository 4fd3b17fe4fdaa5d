import Forges
import Git

/// Where Capstan looks for a remote's credentials: flags name files and environment
/// variables, never secrets themselves, so no secret ends up in a process listing.
public struct CredentialOptions: Sendable, Hashable {
    /// Name of the environment variable holding an HTTPS token (`--token-env`).
    public var tokenVariable: String?
    /// User name to send with the token (`--username`); by default chosen by forge.
    public var username: String?
    /// OpenSSH private key file for SSH remotes (`--ssh-key`).
    public var sshKeyPath: String?
    /// Environment variable holding the key's passphrase (`--ssh-passphrase-env`).
    public var sshPassphraseVariable: String?
    /// known_hosts file for SSH remotes (`--known-hosts`, default ~/.ssh/known_hosts).
    public var knownHostsPath: String?
    /// PEM file of certificate authorities to trust for HTTPS instead of the system's (`--ca-bundle`).
    public var caBundlePath: String?

    public init(tokenVariable: String? = nil, username: String? = nil, sshKeyPath: String? = nil,
                sshPassphraseVariable: String? = nil, knownHostsPath: String? = nil, caBundlePath: String? = nil) {
        self.tokenVariable = tokenVariable
        self.username = username
        self.sshKeyPath = sshKeyPath
        self.sshPassphraseVariable = sshPassphraseVariable
        self.knownHostsPath = knownHostsPath
        self.caBundlePath = caBundlePath
    }
}

/// Turns credential options and the environment into `Credentials` for one remote.
public enum CredentialResolver {
    /// The user name each forge expects alongside a token from these variables. Which of
    /// them is tried for a remote without `--token-env` is `ForgeLocation.implicitTokenVariables`.
    public static let wellKnownTokens: [(variable: String, username: String)] = [
        ("GITHUB_TOKEN", "x-access-token"),
        ("GH_TOKEN", "x-access-token"),
        ("GH_ENTERPRISE_TOKEN", "x-access-token"),
        ("GITHUB_ENTERPRISE_TOKEN", "x-access-token"),
        ("GITLAB_TOKEN", "oauth2"),
        ("CI_JOB_TOKEN", "gitlab-ci-token"),
        ("GITEA_TOKEN", "oauth2"),
        ("FORGEJO_TOKEN", "oauth2"),
        ("BITBUCKET_TOKEN", "x-token-auth"),
        ("AZURE_DEVOPS_TOKEN", "capstan"),
        ("SYSTEM_ACCESSTOKEN", "capstan"),
    ]

    /// The user name a forge expects with a token over HTTPS, for a token whose variable
    /// does not say (CAPSTAN_TOKEN).
    static func gitUsername(for kind: ForgeKind?) -> String {
        switch kind {
        case .gitlab: "oauth2"
        case .bitbucketCloud: "x-token-auth"
        default: "x-access-token"
        }
    }

    public static func resolve(_ options: CredentialOptions, for url: RemoteURL,
                               environment: [String: String]) throws(UpdateError) -> Credentials {
        switch url.scheme {
        case .file:
            return .none
        case .ssh:
            guard let key = options.sshKeyPath else {
                throw .usage("\(url) is an SSH remote: give --ssh-key FILE (and --known-hosts FILE)")
            }
            let passphrase = try options.sshPassphraseVariable.map { name throws(UpdateError) in
                guard let value = environment[name] else { throw .usage("--ssh-passphrase-env \(name): the variable is not set") }
                return value
            }
            let knownHosts = options.knownHostsPath ?? (environment["HOME"].map { $0 + "/.ssh/known_hosts" } ?? "/root/.ssh/known_hosts")
            return .sshKey(username: options.username ?? url.username, privateKeyPath: key, passphrase: passphrase,
                           knownHostsPath: knownHosts)
        case .http, .https:
            if let name = options.tokenVariable {
                guard let token = environment[name], !token.isEmpty else {
                    throw .usage("--token-env \(name): the variable is not set or empty")
                }
                let known = wellKnownTokens.first { $0.variable == name }?.username
                return .token(username: options.username ?? url.username ?? known ?? "x-access-token", token: token)
            }
            if let secret = url.embeddedSecret {
                return .token(username: options.username ?? url.username ?? "x-access-token", token: secret)
            }
            for variable in ForgeLocation.implicitTokenVariables(remote: url.url, environment: environment) {
                if let token = environment[variable], !token.isEmpty {
                    let known = wellKnownTokens.first { $0.variable == variable }?.username
                        ?? gitUsername(for: ForgeLocation.forgeKind(remote: url.url, environment: environment))
                    return .token(username: options.username ?? url.username ?? known, token: token)
                }
            }
            return .none
        }
    }
}
