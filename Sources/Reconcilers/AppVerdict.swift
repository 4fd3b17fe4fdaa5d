import HTTP

/// What one look at an app's reconciler object says about the rollout of the merge commit.
public struct AppVerdict: Sendable, Encodable, Equatable {
    public enum Phase: String, Sendable, Encodable {
        /// Not there yet: the merge not seen, syncing, progressing, or a transient error.
        case waiting
        /// The merge (or a descendant) is applied and healthy.
        case rolledOut = "rolled-out"
        /// It will not get there by waiting: degraded, a failed operation, a terminal reason.
        case failed
    }

    public var phase: Phase
    /// The revision(s) the reconciler reports, as it prints them.
    public var revision: String?
    public var relation: CommitRelation?
    /// Argo CD sync status (Synced, OutOfSync), operation phase, health status.
    public var sync: String?
    public var operation: String?
    public var health: String?
    /// Flux Ready condition: "True (ReconciliationSucceeded)", "False (HealthCheckFailed)".
    public var ready: String?
    /// The reconciler's own words: conditions, operation message, unhealthy resources. Each
    /// is kept as one printable line (`ServerWords.printable`), however it is set: a chart's
    /// `fail "…"` or a manifest's error reaches them through Flux or Argo CD, and they are
    /// printed to the terminal and the CI log.
    public var messages: [String] {
        didSet {
            if messages.contains(where: Self.needsCleaning) { messages = messages.map(ServerWords.printable) }
        }
    }

    public init(phase: Phase, revision: String? = nil, relation: CommitRelation? = nil, sync: String? = nil, operation: String? = nil,
                health: String? = nil, ready: String? = nil, messages: [String] = []) {
        self.phase = phase
        self.revision = revision
        self.relation = relation
        self.sync = sync
        self.operation = operation
        self.health = health
        self.ready = ready
        self.messages = messages.map(ServerWords.printable)
    }

    private static func needsCleaning(_ message: String) -> Bool {
        ServerWords.printable(message) != message
    }

    /// One line for the progress log; it changes exactly when the state worth telling changes.
    public var summary: String {
        var parts: [String] = [phase.rawValue]
        if let revision { parts.append("revision \(Self.short(revision))" + (relation.map { " (\($0.rawValue))" } ?? "")) }
        if let sync { parts.append("sync \(sync)") }
        if let operation { parts.append("operation \(operation)") }
        if let health { parts.append("health \(health)") }
        if let ready { parts.append("ready \(ready)") }
        return ServerWords.printable(parts.joined(separator: ", "))
    }

    /// `main@sha1:1a2b…` and bare SHAs shortened to 7 digits for the log.
    static func short(_ revision: String) -> String {
        revision.split(separator: ",").map { part -> String in
            let text = String(part)
            if let colon = text.lastIndex(of: ":"), CommitSHA.full(text[text.index(after: colon)...]) != nil {
                return String(text[...colon]) + text[text.index(after: colon)...].prefix(7)
            }
            return CommitSHA.full(text) != nil ? String(text.prefix(7)) : text
        }.joined(separator: ",")
    }
}
