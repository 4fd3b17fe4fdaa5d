import Forges
import Foundation

/// Which forge to talk to and how: the flags `--forge`, `--forge-url`, `--project`,
/// `--token-env`, `--ca-bundle`, `--timeout`, `--poll-interval`, as plain values.
public struct ForgeOptions: Sendable {
    public var forge: ForgeKind?
    public var forgeURL: String?
    public var project: String?
    /// Environment variable holding the API token (default: the forge's CI variables).
    public var tokenVariable: String?
    public var caBundle: String?
    public var timeout: Double
    /// The shortest wait between two polls of a PR's state.
    public var pollInterval: Double
    /// Seconds of backoff before the first retry of a 5xx answer.
    public var retryBackoff: Double
    /// One line per API request and answer (`--verbose`); never headers, so never a token.
    public var requestLog: (@Sendable (String) -> Void)?

    public init(forge: ForgeKind? = nil, forgeURL: String? = nil, project: String? = nil, tokenVariable: String? = nil,
                caBundle: String? = nil, timeout: Double = 30, pollInterval: Double = 10, retryBackoff: Double = 0.5) {
        self.forge = forge
        self.forgeURL = forgeURL
        self.project = project
        self.tokenVariable = tokenVariable
        self.caBundle = caBundle
        self.timeout = timeout
        self.pollInterval = pollInterval
        self.retryBackoff = retryBackoff
    }
}

/// Turns forge options, a remote and the environment into a forge client.
public enum ForgeConnector {
    public static func connect(remote: String, options: ForgeOptions,
                               environment: [String: String]) throws(PullRequestError) -> any Forge {
        do {
            let location = try ForgeLocation.detect(remote: remote, forge: options.forge, forgeURL: options.forgeURL,
                                                    project: options.project, environment: environment)
            let variable: String?
            if let name = options.tokenVariable {
                guard let value = environment[name], !value.isEmpty else {
                    throw PullRequestError.usage("--token-env \(name): the variable is not set or empty")
                }
                variable = name
            } else {
                variable = ForgeLocation.implicitTokenVariables(remote: remote, kind: location.kind, environment: environment)
                    .first { environment[$0].map { !$0.isEmpty } ?? false }
            }
            var http = HTTPOptions(timeout: options.timeout, backoff: options.retryBackoff, caBundle: options.caBundle)
            http.log = options.requestLog
            return try ForgeClients.make(location, token: variable.flatMap { environment[$0] }, jobToken: variable == "CI_JOB_TOKEN",
                                         options: http)
        } catch let error as ForgeError {
            throw .forge(error)
        } catch let error as PullRequestError {
            throw error
        } catch {
            throw .usage(String(describing: error))
        }
    }
}
