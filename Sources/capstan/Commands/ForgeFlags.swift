import ArgumentParser
import Foundation
import Forges
import Steps

extension ForgeKind: ExpressibleByArgument {}
extension MergeMethod: ExpressibleByArgument {}

/// Where the forge is and how to talk to it; every flag overrides detection from the
/// remote URL and the CI variables.
struct ForgeFlags: ParsableArguments {
    @Option(help: "The forge: github, gitlab, gitea, forgejo, bitbucket-cloud, bitbucket-datacenter, azure-devops (default: detected).")
    var forge: ForgeKind?

    @Option(help: "The forge's web or API address, for self-hosted forges (GHES, GitLab, Gitea, Bitbucket DC).")
    var forgeURL: String?

    @Option(help: "The repository on the forge: owner/repo, group/project, PROJECT/repo, org/project/repo (default: detected).")
    var project: String?

    @Option(help: "A PEM file of CA certificates to trust: Git over HTTPS uses it; the forge API on Linux refuses it (add the CA to the system store).")
    var caBundle: String?

    @Option(help: "Seconds before an API request times out (default 30). For `update`: the whole run's limit, Git included (default 300).")
    var timeout: Double?

    @Option(help: "Shortest seconds between two polls of a pull request.")
    var pollInterval: Double = 10

    @Option(help: .hidden)
    var retryBackoff: Double = 0.5

    @Flag(help: "Print one line per forge API request and answer (method, path, status, time; never a token).")
    var verbose = false

    /// Times are numbers of seconds a clock can hold: `nan`, `inf` or 1e300 trapped where
    /// they became milliseconds.
    func validate() throws {
        for (flag, value) in [("--timeout", timeout), ("--poll-interval", pollInterval), ("--retry-backoff", retryBackoff)] {
            if let value, !(value >= 0 && value <= Duration.longestSeconds) {
                throw ValidationError("\(flag) must be a number of seconds from 0 to \(Int(Duration.longestSeconds))")
            }
        }
    }

    func options(tokenVariable: String?) -> ForgeOptions {
        var options = ForgeOptions(forge: forge, forgeURL: forgeURL, project: project, tokenVariable: tokenVariable, caBundle: caBundle,
                                   timeout: timeout ?? 30, pollInterval: pollInterval, retryBackoff: retryBackoff)
        if verbose { options.requestLog = { line in FileHandle.standardError.write(Data(("http: " + line + "\n").utf8)) } }
        return options
    }
}

/// Runs async work with a typed error, turning it into a `CapstanFailure` with the right exit code.
func failingPR<T>(_ work: () async throws(PullRequestError) -> T) async throws -> T {
    do {
        return try await work()
    } catch {
        throw CapstanFailure(message: error.description, code: error.exitCode)
    }
}

/// Writes a line to standard error.
func note(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
