import Words

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
    public var revision: String? { didSet { revision = revision.map(Self.words) } }
    public var relation: CommitRelation?
    /// Argo CD sync status (Synced, OutOfSync), operation phase, health status.
    public var sync: String? { didSet { sync = sync.map(Self.words) } }
    public var operation: String? { didSet { operation = operation.map(Self.words) } }
    public var health: String? { didSet { health = health.map(Self.words) } }
    /// Flux Ready condition: "True (ReconciliationSucceeded)", "False (HealthCheckFailed)".
    public var ready: String? { didSet { ready = ready.map(Self.words) } }
    /// The reconciler's own words: conditions, operation message, unhealthy resources.
    public var messages: [String] { didSet { messages = messages.map(Self.words) } }

    public init(phase: Phase, revision: String? = nil, relation: CommitRelation? = nil, sync: String? = nil, operation: String? = nil,
                health: String? = nil, ready: String? = nil, messages: [String] = []) {
        self.phase = phase
        self.revision = revision.map(Self.words)
        self.relation = relation
        self.sync = sync.map(Self.words)
        self.operation = operation.map(Self.words)
        self.health = health.map(Self.words)
        self.ready = ready.map(Self.words)
        self.messages = messages.map(Self.words)
    }

    /// Every word in a verdict is the reconciler's (an Argo CD condition or health message,
    /// a Flux Ready message, a commit status's description, anyone's who can break an app):
    /// each is one printable line, cut, whoever sets it, so the progress log, `wait`'s text
    /// and `--output json` cannot be rewritten or given a forged line by it. Making words
    /// so is idempotent, so a judge appending a message costs the others nothing but time.
    static func words(_ text: String) -> String {
        ForeignWords.line(text, limit: 1000)
    }

    /// One line for the progress log; it changes exactly when the state worth telling changes.
    public var summary: String {
        var parts: [String] = [phase.rawValue]
        if let revision { parts.append("revision \(Self.short(revision))" + (relation.map { " (\($0.rawValue))" } ?? "")) }
        if let sync { parts.append("sync \(sync)") }
        if let operation { parts.append("operation \(operation)") }
        if let health { parts.append("health \(health)") }
        if let ready { parts.append("ready \(ready)") }
        return parts.joined(separator: ", ")
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
