/// What `capstan wait` waits for, and how patiently.
public struct WaitOptions: Sendable {
    public enum Selection: Sendable {
        /// The apps `BASE..MERGE` affects (the linking of `capstan apps`); MERGE is the commit to pin.
        case changed(String)
        /// Named apps (catalog names, or `argocd/NAME`, `kustomization/NS/NAME`, `helmrelease/NS/NAME`)
        /// with the merge commit given apart.
        case apps([String], merge: String)
    }

    /// The release repository's work tree; its history places the revisions reconcilers report.
    public var repository: String
    public var selection: Selection
    /// The URL the reconcilers clone from (default: the work tree's remotes).
    public var repositoryURL: String?
    /// Only apps of this cluster (the catalog's cluster directory or Argo CD destination).
    public var cluster: String?
    /// Seconds until a rollout not finished counts as timed out.
    public var timeout: Double
    /// Seconds between polls (at least `WaitOptions.minimumPollInterval`).
    public var pollInterval: Double
    /// Seconds between summary lines while waiting.
    public var summaryInterval: Double
    /// Namespace of Flux objects whose manifests name none.
    public var fluxNamespace: String
    /// Polls an app may report the same unrelated revision before that counts as a failure.
    public var unrelatedPolls: Int
    /// Where to fetch commits a reconciler reports that the checkout lacks (default: its
    /// `origin` remote), and with which credentials.
    public var fetchRemote: String?
    public var fetchCredentials: CredentialOptions
    public var environment: [String: String] = [:]

    /// No reconciler needs to be asked more often than this (seconds).
    public static let minimumPollInterval = 1.0

    public init(repository: String = ".", selection: Selection, repositoryURL: String? = nil, cluster: String? = nil,
                timeout: Double = 600, pollInterval: Double = 10, summaryInterval: Double = 60,
                fluxNamespace: String = "flux-system", unrelatedPolls: Int = 3, fetchRemote: String? = nil,
                fetchCredentials: CredentialOptions = CredentialOptions()) {
        self.repository = repository
        self.selection = selection
        self.repositoryURL = repositoryURL
        self.cluster = cluster
        self.timeout = timeout
        self.pollInterval = max(pollInterval, Self.minimumPollInterval)
        self.summaryInterval = summaryInterval
        self.fluxNamespace = fluxNamespace
        self.unrelatedPolls = unrelatedPolls
        self.fetchRemote = fetchRemote
        self.fetchCredentials = fetchCredentials
    }
}
