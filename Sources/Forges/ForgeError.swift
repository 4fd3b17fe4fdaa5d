import Words

/// Why a forge request failed. Carries the HTTP status, the forge's own words and the
/// request (method and path) — never the token, which is only ever in a header.
public enum ForgeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The forge answered with an error status.
    case http(status: Int, message: String, method: String, path: String)
    /// A create refused because the PR already exists, the refusal naming that PR (Bitbucket
    /// Data Center's 409 DuplicatePullRequestException): it is adopted without another look-up.
    /// Indirect, so every ForgeError stays small: with the PR held inline, a typed error thrown
    /// across async calls crashed the Swift runtime ("freed pointer was not the last allocation").
    indirect case alreadyExists(PullRequest, status: Int, message: String, method: String, path: String)
    /// A write the forge refused (403) where a read of the project said why: `archived`, the
    /// project is archived (read-only) and nothing can be written to it whatever the token;
    /// not archived, the token lacks a permission or a rule forbids the write (GitLab, whose
    /// bare "403 Forbidden" says neither).
    case writeRefused(status: Int, message: String, method: String, path: String, archived: Bool)
    /// No answer: connection refused, reset, timed out.
    case transport(message: String, method: String, path: String)
    /// Rate limited (429 or a secondary limit) for longer than the wait budget allows:
    /// `waits` waits of `waited` seconds in all already made, `waitSeconds` more asked.
    case rateLimited(waitSeconds: Double, waits: Int, waited: Double, message: String, method: String, path: String)
    /// The answer was not what the forge documents.
    case unexpectedAnswer(String, method: String, path: String)
    /// The forge or project could not be worked out, or the options contradict each other.
    case configuration(String)
    /// The forge has no API for this operation.
    case unsupported(String)

    /// One printable line: every message in it holds the forge's words (already made so) or
    /// words built around what an answer said.
    public var description: String {
        ForeignWords.printable(unprinted)
    }

    private var unprinted: String {
        switch self {
        case let .http(status, message, method, path):
            "\(method) \(path): HTTP \(status)" + (message.isEmpty ? "" : ": \(message)")
                + (Self.nextStep(status: status, method: method, path: path).map { " — \($0)" } ?? "")
        case let .alreadyExists(existing, status, message, method, path):
            "\(method) \(path): HTTP \(status): \(message) (PR #\(existing.number))"
        case let .writeRefused(status, message, method, path, archived):
            "\(method) \(path): HTTP \(status)" + (message.isEmpty ? "" : ": \(message)") + " — "
                + (archived ? "the project is archived (read-only): nothing can be written to it until a maintainer unarchives it"
                            : "the project is not archived, so the token lacks a permission this needs (the Developer role or "
                                + "higher and the api scope) or a protected branch or push rule forbids it")
        case let .transport(message, method, path):
            "\(method) \(path): \(message) — check --forge-url and that this runner can reach the forge"
        case let .rateLimited(wait, waits, waited, message, method, path):
            "\(method) \(path): "
                + (waits == 0 ? "rate limited; the forge asks to wait \(Self.wholeSeconds(wait)) s, more than the budget allows"
                              : "still rate limited after \(waits) waits (\(Self.wholeSeconds(waited)) s in all); giving up")
                + (message.isEmpty ? "" : ": \(message)")
        case let .unexpectedAnswer(message, method, path):
            "\(method) \(path): unexpected answer: \(message)"
        case let .configuration(message): message
        case let .unsupported(message): message
        }
    }

    /// `seconds` rounded up, as a number: no Int conversion of an infinite or huge value.
    static func wholeSeconds(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e15 else { return seconds.isNaN ? "an unknown number of" : "more than 10^15" }
        return String(Int(seconds.rounded(.up)))
    }

    /// What a person can do about an error status, where the status says enough; a refused
    /// read asks for what reading needs, not for the write permissions of a PR step.
    static func nextStep(status: Int, method: String, path: String) -> String? {
        switch status {
        case 401: "the forge refused the token or got none: check the variable --token-env names is set and the token is valid for this forge"
        case 403 where method == "GET": ReadPermission.hint(forGET: path)
        // A write refused to a token that may write: an archived project answers so (gitlab.com
        // gave its owner a bare "403 Forbidden"), and the forge's words need not say it.
        case 403: "the token lacks a permission this needs (pull requests and contents: write), a branch or repository rule forbids it, "
            + "or the repository is archived (read-only)"
        case 404: "check --repo / --project, and that the token can see the repository (forges answer 404 to tokens that cannot)"
        default: nil
        }
    }

    /// The HTTP status, when the forge answered.
    public var status: Int? {
        switch self {
        case let .http(status, _, _, _), let .alreadyExists(_, status, _, _, _), let .writeRefused(status, _, _, _, _): status
        default: nil
        }
    }
}
