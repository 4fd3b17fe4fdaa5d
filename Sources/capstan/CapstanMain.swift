import ArgumentParser
import Foundation
import Steps

/// Parses, runs, and turns the outcome into an exit status: 0 done (changed or not),
/// 1 the work failed (bad input, conflict; nothing written), 2 the command line is wrong.
enum CapstanMain {
    static func run() async {
        // libgit2 writes to sockets a server may have closed (a keep-alive timeout between the
        // push connection's advertisement and the push): that must be an error with words, not
        // death by SIGPIPE. Standard output keeps Unix's manners itself (StandardOutput).
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try Capstan.parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as CapstanFailure {
            Terminal.note("error: \(error.message)")
            exit(error.code)
        } catch {
            let code = Capstan.exitCode(for: error)
            if code == .success {
                print(Capstan.fullMessage(for: error))
                exit(0)
            }
            let message = Capstan.fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// A failure of the work itself, already phrased for a person.
struct CapstanFailure: Error {
    let message: String
    /// The exit status: 1 unless the failure has its own (see `capstan pr merge`).
    var code: Int32 = 1
}

struct Capstan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capstan",
        abstract: "Keeps a GitOps release repository honest: edits it byte-exactly, writes back through Git, drives pull requests.",
        discussion: """
        The jobs:
          set       edit image tags, chart versions and values in a working tree
          validate  check manifests offline: schemas, strict fields, GitOps rules
          update    edit a release repository and push the change (UpdateReleaseRepo)
          verify    check commit and tag signatures (OpenPGP, SSH) against trusted keys
          pr        open, merge on green, revert, comment on and close pull requests
          apps      the Argo CD / Flux apps a change affects; comment, nudge them
          wait      wait for the merge to roll out healthy; revert it if not
          config    show the repository configuration (.capstan.yaml) in effect
          version   print the version and the linked libraries

        Examples:
          capstan set image ghcr.io/acme/checkout:1.4.3 --path envs/
          capstan set value envs/prod/config.yaml image.tag=1.4.3
          capstan validate . --strict --output github
          capstan verify --mode range origin/main..HEAD --keys keys/
          capstan apps --changed origin/main..HEAD --output json
        """,
        version: VersionInfo.versionLine,
        subcommands: [SetCommand.self, ValidateCommand.self, UpdateCommand.self, VerifyCommand.self, PullRequestCommand.self,
                      AppsCommand.self, WaitCommand.self, ConfigCommand.self, VersionCommand.self]
    )
}
