import ArgumentParser
import Forges
import Foundation
import Steps

/// The flags every `capstan pr` subcommand shares: which repository, forge and token.
struct PullRequestConnection: ParsableArguments {
    @Option(help: "The repository's remote URL (used to detect the forge and project; required by revert).")
    var repo: String = ""

    @Option(help: "Environment variable holding the API (and push) token.")
    var tokenEnv: String?

    @OptionGroup var forge: ForgeFlags

    @Option(help: "text or json.")
    var output: OutputFormat = .text

    /// `fallbackRemote`: the remote to detect the forge from when --repo is not given
    /// (`capstan apps` knows the work tree's own remotes).
    func connect(fallbackRemote: String? = nil) throws -> any Forge {
        let remote = repo.isEmpty ? fallbackRemote ?? "" : repo
        return try failing { () throws(PullRequestError) in
            try ForgeConnector.connect(remote: remote, options: forge.options(tokenVariable: tokenEnv),
                                       environment: ProcessInfo.processInfo.environment)
        }
    }

    func emit(_ outcome: PullRequestOutcome) {
        capstanEmit(outcome, as: output)
        StepOutputs.writeOutputs(outcome.githubOutputs)
    }
}

/// `emit` under another name, so the connection's own `emit` can call it.
func capstanEmit(_ outcome: some Outcome, as format: OutputFormat) {
    emit(outcome, as: format)
}
