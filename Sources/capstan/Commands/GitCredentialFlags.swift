import ArgumentParser
import Steps

/// How Capstan authenticates its Git pushes and fetches, for every command that writes Git
/// (`update`, `pr revert`). Flags name files and variables, never secrets.
struct GitCredentialFlags: ParsableArguments {
    @Option(help: "User name sent with an HTTPS token (default: the forge's convention).")
    var username: String?

    @Option(help: "OpenSSH private key for SSH remotes.")
    var sshKey: String?

    @Option(help: "Environment variable holding the SSH key's passphrase.")
    var sshPassphraseEnv: String?

    @Option(help: "known_hosts file for SSH remotes (default ~/.ssh/known_hosts).")
    var knownHosts: String?

    func options(tokenVariable: String?, caBundle: String?) -> CredentialOptions {
        CredentialOptions(tokenVariable: tokenVariable, username: username, sshKeyPath: sshKey,
                          sshPassphraseVariable: sshPassphraseEnv, knownHostsPath: knownHosts, caBundlePath: caBundle)
    }
}
