/// An app a reconciler deploys from the release repository: what it is, where it lands,
/// and (internally) the rules that tie repository files to its desired state.
public struct LinkedApp: Sendable, Encodable {
    public let kind: ReconcilerKind
    public let name: String
    /// The namespace the reconciler object lives in (Argo CD's app namespace, Flux's object namespace).
    public let namespace: String?
    /// Argo CD project.
    public let project: String?
    /// Where the app's resources go: Argo CD destination namespace, Flux targetNamespace.
    public let targetNamespace: String?
    /// Target cluster where known: Argo CD destination server or name; Flux, the cluster
    /// directory the object is bootstrapped from.
    public let cluster: String?
    /// The file holding the reconciler object (relative to the repository root).
    public let definedIn: String
    /// What the app renders: repository paths, or an external chart or repository.
    public let sources: [String]
    /// The ApplicationSet that generates it.
    public let generatedBy: String?
    /// Flux dependsOn names.
    public let dependsOn: [String]
    /// Something a reader must know, e.g. "depends on cluster list".
    public let note: String?

    let ties: [Tie]

    enum CodingKeys: String, CodingKey {
        case kind, name, namespace, project, targetNamespace, cluster, definedIn, sources, generatedBy, dependsOn, note
    }

    init(kind: ReconcilerKind, name: String, namespace: String?, project: String? = nil, targetNamespace: String? = nil,
         cluster: String?, definedIn: String, sources: [String], generatedBy: String? = nil, dependsOn: [String] = [],
         note: String? = nil, ties: [Tie]) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.project = project
        self.targetNamespace = targetNamespace
        self.cluster = cluster
        self.definedIn = definedIn
        self.sources = sources
        self.generatedBy = generatedBy
        self.dependsOn = dependsOn
        self.note = note
        self.ties = ties
    }

    /// The reasons `path` belongs to this app's desired state (empty when it does not).
    func reasons(for path: String) -> [TieReason] {
        var found: [TieReason] = []
        for tie in ties where tie.matches(path) && !found.contains(tie.reason) { found.append(tie.reason) }
        return found
    }

    /// A stable order for output: name, then cluster, then kind.
    static func precedes(_ lhs: LinkedApp, _ rhs: LinkedApp) -> Bool {
        (lhs.name, lhs.cluster ?? "", lhs.kind.rawValue, lhs.definedIn) < (rhs.name, rhs.cluster ?? "", rhs.kind.rawValue, rhs.definedIn)
    }
}
