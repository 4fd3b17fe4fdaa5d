import YAML

/// The parts of an Argo CD Application (or an ApplicationSet template) that say where it
/// deploys from and to, with every string passed through `render` (identity for a plain
/// Application, template substitution for a generated one).
struct ArgoAppSpec {
    struct Source {
        var repoURL: String?
        var path: String?
        var chart: String?
        var targetRevision: String?
        var ref: String?
        var valueFiles: [String] = []
        var recurse = false
        /// `directory.include` / `directory.exclude` globs (relative to the path; `{a,b}` alternatives).
        var include: String?
        var exclude: String?
    }

    var name: String?
    var namespace: String?
    var project: String?
    var server: String?
    var destinationName: String?
    var destinationNamespace: String?
    var sources: [Source] = []

    /// Reads an object shaped like an Application: `metadata` and `spec`.
    init(object: Node, render: (String) -> String) {
        func text(_ node: Node?) -> String? { node?.resolved.string.map(render) }
        let metadata = object["metadata"]?.resolved
        let spec = object["spec"]?.resolved
        name = text(metadata?["name"])
        namespace = text(metadata?["namespace"])
        project = text(spec?["project"])
        let destination = spec?["destination"]?.resolved
        server = text(destination?["server"])
        destinationName = text(destination?["name"])
        destinationNamespace = text(destination?["namespace"])
        var nodes: [Node] = []
        if let single = spec?["source"]?.resolved, single.isMapping { nodes.append(single) }
        nodes += spec?["sources"]?.resolved.items.map(\.resolved) ?? []
        sources = nodes.map { node in
            var source = Source()
            source.repoURL = text(node["repoURL"])
            source.path = text(node["path"])
            source.chart = text(node["chart"])
            source.targetRevision = text(node["targetRevision"])
            source.ref = text(node["ref"])
            source.valueFiles = node["helm"]?.resolved["valueFiles"]?.resolved.items.compactMap { $0.resolved.string.map(render) } ?? []
            let directory = node["directory"]?.resolved
            source.recurse = directory?["recurse"]?.resolved.string == "true"
            source.include = text(directory?["include"])
            source.exclude = text(directory?["exclude"])
            return source
        }
    }

    /// Destination server, else destination name.
    var cluster: String? { server ?? destinationName }
}
