import YAML

/// What the cross-file rules need from each file, collected while files are validated
/// in parallel and merged afterwards; the parsed files themselves are not kept.
struct TreeFacts: Sendable {
    struct Identity: Sendable {
        let group: String
        let kind: String
        let namespace: String
        let name: String
        /// The kustomization the file belongs to: resources of different kustomizations
        /// are never applied together.
        let kustomization: String?
        let location: SourceLocation
        let label: String
    }

    struct SourceRef: Sendable {
        let kind: String
        let name: String
        let namespace: String?
        let location: SourceLocation
        let label: String
        let ownNamespace: String?
    }

    struct PathRef: Sendable {
        let path: String
        let location: SourceLocation
        let label: String
        /// Flux: the source it reads from; Argo CD: the repoURL.
        let source: SourceRef?
        let repoURL: String?
        /// Whether what lies in subfolders of the path is applied too: always for Flux (it
        /// builds the whole tree), for Argo CD only with `directory.recurse`.
        let recursive: Bool
    }

    struct GitSource: Sendable {
        let name: String
        let namespace: String?
        let url: String
    }

    var identities: [Identity] = []
    var definedSources: [(kind: String, name: String, namespace: String?)] = []
    var gitRepositories: [GitSource] = []
    var helmReleaseSources: [SourceRef] = []
    var fluxPaths: [PathRef] = []
    var argoPaths: [PathRef] = []

    mutating func merge(_ other: TreeFacts) {
        identities += other.identities
        definedSources += other.definedSources
        gitRepositories += other.gitRepositories
        helmReleaseSources += other.helmReleaseSources
        fluxPaths += other.fluxPaths
        argoPaths += other.argoPaths
    }

    /// Records what the rules need from one resource.
    mutating func record(_ resource: Resource, kustomization: String?) {
        let gvk = resource.gvk
        if let name = resource.name {
            identities.append(Identity(group: gvk.group, kind: gvk.kind, namespace: resource.namespace ?? "", name: name, kustomization: kustomization,
                                       location: resource.anchor.location, label: resource.label))
        }
        let fluxSource = gvk.group.hasPrefix("source.toolkit.fluxcd.io")
        if fluxSource, let name = resource.name {
            definedSources.append((gvk.kind, name, resource.namespace))
            if gvk.kind == "GitRepository", let url = resource.value("spec.url")?.string {
                gitRepositories.append(GitSource(name: name, namespace: resource.namespace, url: url))
            }
        }
        if gvk.group == "helm.toolkit.fluxcd.io", gvk.kind == "HelmRelease" {
            let reference = resource.value("spec.chart.spec.sourceRef") ?? resource.value("spec.chartRef")
            if let reference, let kind = reference["kind"]?.resolved.string, let name = reference["name"]?.resolved.string {
                helmReleaseSources.append(SourceRef(kind: kind, name: name, namespace: reference["namespace"]?.resolved.string,
                                                    location: (reference["name"] ?? reference).location, label: resource.label,
                                                    ownNamespace: resource.namespace))
            }
        }
        if gvk.group == "kustomize.toolkit.fluxcd.io", gvk.kind == "Kustomization", let path = resource.value("spec.path"),
           let text = path.string {
            let reference = resource.value("spec.sourceRef")
            let source = reference.flatMap { ref -> SourceRef? in
                guard let kind = ref["kind"]?.resolved.string, let name = ref["name"]?.resolved.string else { return nil }
                return SourceRef(kind: kind, name: name, namespace: ref["namespace"]?.resolved.string, location: ref.location,
                                 label: resource.label, ownNamespace: resource.namespace)
            }
            fluxPaths.append(PathRef(path: text, location: path.location, label: resource.label, source: source, repoURL: nil, recursive: true))
        }
        if gvk.group == "argoproj.io", gvk.kind == "Application" {
            var sources: [Node] = []
            if let single = resource.value("spec.source") { sources.append(single) }
            sources += resource.value("spec.sources")?.items.map(\.resolved) ?? []
            for source in sources {
                guard let path = source["path"], let text = path.resolved.string, let url = source["repoURL"]?.resolved.string else { continue }
                let recursive = source["directory"]?.resolved["recurse"]?.resolved.string == "true"
                argoPaths.append(PathRef(path: text, location: path.location, label: resource.label, source: nil, repoURL: url,
                                         recursive: recursive))
            }
        }
    }
}
