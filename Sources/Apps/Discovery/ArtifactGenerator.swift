import Validation

/// A Flux ArtifactGenerator (`source.extensions.fluxcd.io`, Flux 2.7): it assembles
/// ExternalArtifacts from sources, and Kustomizations with `sourceRef.kind:
/// ExternalArtifact` build a path inside one. Only its copy rules that read this
/// repository matter here; a generator that discovers folders (`pathPattern`) is noted,
/// not expanded.
struct ArtifactGenerator {
    let name: String
    let namespace: String?
    let file: String
    /// Artifact name → its copy rules from this repository.
    let artifacts: [String: ArtifactCopies]
    let pathPattern: String?

    /// Reads the generator; `readsThisRepository(kind, name, namespace)` says which of its sources are this repository.
    init?(_ found: ReconcilerObjects.Found, readsThisRepository: (String, String, String?) -> Bool) {
        let resource = found.resource
        guard let name = resource.name else { return nil }
        self.name = name
        namespace = resource.namespace
        file = found.file
        pathPattern = resource.value("spec.pathPattern")?.string
        var local = Set<String>()
        for source in resource.value("spec.sources")?.items.map(\.resolved) ?? [] {
            guard let alias = source["alias"]?.resolved.string, let kind = source["kind"]?.resolved.string,
                  let sourceName = source["name"]?.resolved.string else { continue }
            if readsThisRepository(kind, sourceName, source["namespace"]?.resolved.string ?? resource.namespace) { local.insert(alias) }
        }
        var artifacts: [String: ArtifactCopies] = [:]
        for artifact in resource.value("spec.artifacts")?.items.map(\.resolved) ?? [] {
            guard let artifactName = artifact["name"]?.resolved.string else { continue }
            var rules: [ArtifactCopies.Rule] = []
            for copy in artifact["copy"]?.resolved.items.map(\.resolved) ?? [] {
                guard let from = copy["from"]?.resolved.string, let to = copy["to"]?.resolved.string,
                      let (alias, pattern) = Self.split(from), local.contains(alias),
                      let (target, destination) = Self.split(to), target == "artifact" else { continue }
                let excludes = copy["exclude"]?.resolved.items.compactMap { $0.resolved.string } ?? []
                rules.append(ArtifactCopies.Rule(from: pattern, to: destination, excludes: excludes))
            }
            artifacts[artifactName] = ArtifactCopies(rules: rules)
        }
        self.artifacts = artifacts
    }

    /// `@alias/rest` → (alias, rest); nil without the `@alias/` form.
    private static func split(_ text: String) -> (String, String)? {
        guard text.hasPrefix("@"), let slash = text.firstIndex(of: "/") else { return nil }
        var rest = String(text[text.index(after: slash)...])
        while rest.hasPrefix("./") { rest.removeFirst(2) }
        return (String(text[text.index(after: text.startIndex)..<slash]), rest)
    }
}
