import ArgumentParser
import Foundation
import Signatures
import Steps

extension VerifyOptions.Mode: ExpressibleByArgument {}

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check commit and tag signatures (OpenPGP and SSH) against trusted keys; fail closed.",
        discussion: """
        Reads commits through libgit2 and checks signatures with OpenSSL; no git, gpg
        or ssh-keygen process is started.

        Trust (keys, allowed signers, merge keys, mode) never comes from the revision
        under test, whose .capstan.yaml is data like the rest of its tree. It comes,
        first found first, from: the flags; the environment (CAPSTAN_VERIFY_KEYS,
        CAPSTAN_VERIFY_ALLOWED_SIGNERS, CAPSTAN_VERIFY_MERGE_KEYS: paths separated by
        ':'; CAPSTAN_VERIFY_MODE); --config FILE; or .capstan.yaml read from the tree of
        a trusted revision: --trust-from REV, by default the base of BASE..HEAD. Key
        paths on disk must lie outside the checkout; with --trust-from, relative key
        paths are read from REV's tree. A run that would take trust from the tested
        tree (no trusted source, a path inside the checkout, --trust-from naming a
        commit being verified) is an error.

        Keys: armored or binary OpenPGP public keys and revocation certificates
        (files, or directories of *.asc/*.gpg/*.rev: every revocation counts, in any
        file), SSH public keys (*.sshpub, *.pub) and git's allowed_signers format (read
        as ssh-keygen reads it: principals, namespaces=, valid-after, valid-before,
        cert-authority; a line ssh-keygen would skip is not trusted).

        Modes: head (the one commit REV, default HEAD); tag (an annotated tag's
        signature and its target commit); range (every commit in BASE..HEAD, the
        default when REV has ..); strict (every commit back to one carrying a
        `Capstan-Seal:` trailer, or to BASE when REV is BASE..HEAD).

        Verdicts: good, bad, unsigned, unknown key, expired, revoked, weak. Key expiry
        and revocation are judged now, as git and GnuPG judge them; --key-validity
        signature-time audits old history at each signature's own time (refusing a
        signature dated after its commit). A hard revocation voids every signature.
        The signed bytes are exactly what git signs; an object git and Capstan could
        read differently is bad. SHA-1 and MD5 hashes and DSA keys are refused unless
        --allow-weak. Exit 0 only when every covered commit is good.

        Examples:
          capstan verify origin/main..HEAD
          capstan verify origin/main..HEAD --trust-from origin/main --keys .signing/keys
          capstan verify v1.4.3 --mode tag --keys /etc/capstan/release-signers.asc
          capstan verify --mode strict --allowed-signers ~/trust/allowed_signers
          capstan verify main..HEAD --keys ~/trust/team.asc --merge-keys ~/trust/web-flow.asc
        """
    )

    @Argument(help: ArgumentHelp("The commit, tag, or BASE..HEAD range.", valueName: "REV | BASE..HEAD"))
    var revision: String?

    @Option(name: .customLong("keys"), parsing: .upToNextOption, help: "Trusted key files or directories (OpenPGP or SSH).")
    var keys: [String] = []

    @Option(help: "head, tag, range or strict (default: the trusted .capstan.yaml's verify.mode, else range for BASE..HEAD, else head).")
    var mode: VerifyOptions.Mode?

    @Option(name: .customLong("allowed-signers"), help: "A git allowed_signers file (repeatable).")
    var allowedSigners: [String] = []

    @Option(name: .customLong("merge-keys"), parsing: .upToNextOption, help: "Keys trusted only for merge commits (e.g. GitHub's web-flow key).")
    var mergeKeys: [String] = []

    @Option(name: .customLong("trust-from"), help: ArgumentHelp("A revision the pipeline trusts (the target branch): its .capstan.yaml and key files supply what flags leave unset (default: BASE of BASE..HEAD).", valueName: "REV"))
    var trustFrom: String?

    @Option(name: .customLong("config"), help: ArgumentHelp("A .capstan.yaml outside the checkout that supplies what flags leave unset.", valueName: "FILE"))
    var configFile: String?

    @Option(name: .customLong("key-validity"), help: "now (default: expiry and revocation as of now, as git judges them) or signature-time (audits of old history).")
    var keyValidity: KeyValidity = .now

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

    /// Trust from the flags, else from the environment (paths separated by `:`).
    private var trust: (keys: [String], allowedSigners: [String], mergeKeys: [String], mode: VerifyOptions.Mode?) {
        let environment = ProcessInfo.processInfo.environment
        func paths(_ name: String) -> [String] { (environment[name] ?? "").split(separator: ":").map(String.init) }
        let mode = mode ?? environment["CAPSTAN_VERIFY_MODE"].flatMap(VerifyOptions.Mode.init(rawValue:))
        if !keys.isEmpty || !allowedSigners.isEmpty || !mergeKeys.isEmpty { return (keys, allowedSigners, mergeKeys, mode) }
        return (paths("CAPSTAN_VERIFY_KEYS"), paths("CAPSTAN_VERIFY_ALLOWED_SIGNERS"), paths("CAPSTAN_VERIFY_MERGE_KEYS"), mode)
    }

    func validate() throws {
        if let value = ProcessInfo.processInfo.environment["CAPSTAN_VERIFY_MODE"], mode == nil, VerifyOptions.Mode(rawValue: value) == nil {
            throw ValidationError("CAPSTAN_VERIFY_MODE is \(value); expected head, tag, range or strict")
        }
        if mode == .range, revision?.contains("..") != true {
            throw ValidationError("--mode range needs BASE..HEAD")
        }
        if mode == .tag, revision == nil {
            throw ValidationError("--mode tag needs the tag's name")
        }
    }

    func run() throws {
        let trust = trust
        let options = VerifyOptions(repository: repository, revision: revision, mode: trust.mode, keyPaths: trust.keys,
                                    allowedSigners: trust.allowedSigners, mergeKeyPaths: trust.mergeKeys, trustFrom: trustFrom,
                                    configFile: configFile, keyValidity: keyValidity, allowWeak: allowWeak,
                                    requireCommitterMatch: requireCommitterMatch, sealTrailer: sealTrailer)
        let outcome: VerifyOutcome
        do {
            outcome = try VerifyStep(options: options).run()
        } catch {
            // A run that cannot say where trust comes from is a usage error, like a missing flag.
            if case .usage = error { throw CapstanFailure(message: error.description, code: 2) }
            throw CapstanFailure(message: error.description)
        }
        emit(outcome, as: output)
        if !outcome.verified { throw ExitCode(1) }
    }
}

extension KeyValidity: ExpressibleByArgument {}
