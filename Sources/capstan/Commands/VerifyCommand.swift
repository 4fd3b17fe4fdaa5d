import ArgumentParser
import Steps

extension VerifyOptions.Mode: ExpressibleByArgument {}

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check commit and tag signatures (OpenPGP and SSH) against trusted keys; fail closed.",
        discussion: """
        Reads commits through libgit2 and checks signatures with OpenSSL; no git, gpg
        or ssh-keygen process is started.

        Keys: armored or binary OpenPGP public keys (files, or directories of
        *.asc/*.gpg), SSH public keys (*.sshpub, *.pub, authorized_keys lines), and
        git's allowed_signers format (--allowed-signers: principals, namespaces=,
        valid-after, valid-before).

        Modes: head (the one commit REV, default HEAD); tag (an annotated tag's
        signature and its target commit); range (every commit in BASE..HEAD, the
        default when REV has ..); strict (every commit back to one carrying a
        `Capstan-Seal:` trailer, or to BASE when REV is BASE..HEAD).

        Verdicts: good, bad, unsigned, unknown key, expired, revoked, weak. Expiry
        and revocation are judged at the signature's creation time. SHA-1 and MD5
        hashes and DSA keys are refused unless --allow-weak. Exit 0 only when every
        covered commit is good.

        Examples:
          capstan verify origin/main..HEAD --keys keys/
          capstan verify v1.4.3 --mode tag --keys release-signers.asc
          capstan verify --mode strict --allowed-signers .allowed_signers
          capstan verify main..HEAD --keys team.asc --merge-keys web-flow.asc
        """
    )

    @Argument(help: ArgumentHelp("The commit, tag, or BASE..HEAD range.", valueName: "REV | BASE..HEAD"))
    var revision: String?

    @Option(name: .customLong("keys"), parsing: .upToNextOption, help: "Trusted key files or directories (OpenPGP or SSH).")
    var keys: [String] = []

    @Option(help: "head, tag, range or strict (default: range for BASE..HEAD, else head).")
    var mode: VerifyOptions.Mode?

    /// The mode to run: as given, or inferred from the revision's shape.
    var effectiveMode: VerifyOptions.Mode {
        mode ?? config?.strings["verify.mode"].flatMap { VerifyOptions.Mode(rawValue: $0.value) }
            ?? (revision?.contains("..") == true ? .range : .head)
    }

    /// The repository's .capstan.yaml (its `verify` section fills what flags leave unset).
    private var config: RepositoryConfig? { try? RepositoryConfig.load(near: repository) }

    /// Trusted keys from the flags, or else from .capstan.yaml.
    private var trust: (keys: [String], allowedSigners: [String], mergeKeys: [String]) {
        if !keys.isEmpty || !allowedSigners.isEmpty || !mergeKeys.isEmpty { return (keys, allowedSigners, mergeKeys) }
        guard let config else { return ([], [], []) }
        return (config.lists["verify.keys"]?.value.map(config.resolve) ?? [],
                config.strings["verify.allowedSigners"].map { [config.resolve($0.value)] } ?? [],
                config.lists["verify.mergeKeys"]?.value.map(config.resolve) ?? [])
    }

    @Option(name: .customLong("allowed-signers"), help: "A git allowed_signers file (repeatable).")
    var allowedSigners: [String] = []

    @Option(name: .customLong("merge-keys"), parsing: .upToNextOption, help: "Keys trusted only for merge commits (e.g. GitHub's web-flow key).")
    var mergeKeys: [String] = []

    @Flag(help: "Accept SHA-1/MD5 message hashes, DSA keys and RSA keys under 2048 bits.")
    var allowWeak = false

    @Flag(help: "Require the committer's e-mail to be a user ID or principal of the signing key.")
    var requireCommitterMatch = false

    @Option(help: "The trailer that ends a strict walk.")
    var sealTrailer = "Capstan-Seal"

    @Option(name: .customLong("repository"), help: "The repository to read.")
    var repository = "."

    @Option(help: "text or json.")
    var output: OutputFormat = .text

    func validate() throws {
        do { _ = try RepositoryConfig.load(near: repository) } catch { throw ValidationError(error.description) }
        let trust = trust
        if trust.keys.isEmpty, trust.allowedSigners.isEmpty, trust.mergeKeys.isEmpty {
            throw ValidationError("give trusted keys with --keys PATH or --allowed-signers FILE (or verify.keys in .capstan.yaml)")
        }
        if effectiveMode == .range, revision?.contains("..") != true {
            throw ValidationError("--mode range needs BASE..HEAD")
        }
        if effectiveMode == .tag, revision == nil {
            throw ValidationError("--mode tag needs the tag's name")
        }
    }

    func run() throws {
        let trust = trust
        let options = VerifyOptions(repository: repository, revision: revision, mode: effectiveMode, keyPaths: trust.keys,
                                    allowedSigners: trust.allowedSigners, mergeKeyPaths: trust.mergeKeys, allowWeak: allowWeak,
                                    requireCommitterMatch: requireCommitterMatch, sealTrailer: sealTrailer)
        let outcome = try failing { () throws(VerifyError) in try VerifyStep(options: options).run() }
        emit(outcome, as: output)
        if !outcome.verified { throw ExitCode(1) }
    }
}
