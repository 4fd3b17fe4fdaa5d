import Foundation

/// Where and how to nudge the reconcilers after a change. Secrets are values here; the
/// command reads them from environment variables so they never appear on a command line.
public struct NotifyConfiguration: Sendable {
    /// Argo CD API server (`https://argocd.example.com`): one `refresh=normal` GET per affected Application.
    public var argoServer: URL?
    public var argoToken: String?
    /// Argo CD's `/api/webhook` endpoint: one GitHub-style push event.
    public var argoWebhook: URL?
    /// The `webhook.github.secret` Argo CD checks (`X-Hub-Signature-256`).
    public var argoWebhookSecret: String?
    /// Flux notification-controller Receivers (their `status.webhookPath` on the receiver's address).
    public var fluxReceivers: [FluxReceiver]
    /// What was pushed, for the push payloads.
    public var push: PushDescription

    public init(argoServer: URL? = nil, argoToken: String? = nil, argoWebhook: URL? = nil, argoWebhookSecret: String? = nil,
                fluxReceivers: [FluxReceiver] = [], push: PushDescription) {
        self.argoServer = argoServer
        self.argoToken = argoToken
        self.argoWebhook = argoWebhook
        self.argoWebhookSecret = argoWebhookSecret
        self.fluxReceivers = fluxReceivers
        self.push = push
    }

    public var isEmpty: Bool { argoServer == nil && argoWebhook == nil && fluxReceivers.isEmpty }
}

/// A Flux notification-controller Receiver and the signature its type checks.
public struct FluxReceiver: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// No signature; the secret URL path is the credential.
        case generic
        /// `X-Signature: sha256=<hex HMAC of the body>` keyed with the Receiver's token.
        case genericHMAC = "generic-hmac"
        /// `X-Hub-Signature-256` and `X-GitHub-Event: push`, as GitHub sends.
        case github
    }

    public var url: URL
    public var kind: Kind
    /// The Receiver secret's `token` (needed by generic-hmac and github).
    public var token: String?

    public init(url: URL, kind: Kind, token: String?) {
        self.url = url
        self.kind = kind
        self.token = token
    }
}

/// The push the payloads describe.
public struct PushDescription: Sendable {
    /// The repository's URL as the reconcilers know it.
    public var repositoryURL: String
    public var branch: String
    public var before: String
    public var after: String
    public var changedPaths: [String]

    public init(repositoryURL: String, branch: String, before: String?, after: String?, changedPaths: [String]) {
        self.repositoryURL = repositoryURL
        self.branch = branch
        self.before = before ?? String(repeating: "0", count: 40)
        self.after = after ?? String(repeating: "0", count: 40)
        self.changedPaths = changedPaths
    }
}

/// Why notifications could not be sent at all (individual failed calls are results, not errors).
public enum NotifyError: Error, Sendable, CustomStringConvertible {
    case missingSecret(String)
    case missingRepositoryURL

    public var description: String {
        switch self {
        case let .missingSecret(what): "--notify: \(what)"
        case .missingRepositoryURL: "--notify: the push payload needs the repository URL: give --repo-url or add a Git remote"
        }
    }
}

/// One call made to a reconciler.
public struct NotifyResult: Sendable, Encodable {
    /// "argocd-refresh", "argocd-webhook", "flux-receiver".
    public let kind: String
    /// The URL called (no credentials are ever part of it).
    public let url: String
    /// The app refreshed, for Argo CD API calls.
    public let app: String?
    public let status: Int?
    public let ok: Bool
    public let message: String?

    public var summary: String {
        let what = app.map { "\(kind) \($0)" } ?? kind
        if ok { return "notified: \(what) → \(url) (HTTP \(status ?? 0))" }
        return "notify failed: \(what) → \(url): " + (status.map { "HTTP \($0) " } ?? "") + (message ?? "")
    }
}
