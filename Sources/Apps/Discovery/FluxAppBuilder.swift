import Validation
import YAML

/// Flux Kustomizations and HelmReleases as linked apps. A Kustomization's desired state
/// is the build of its path (in this repository, or in an ExternalArtifact an
/// ArtifactGenerator assembles from it); a HelmRelease's is its object (as the
/// Kustomizations that apply it patch it), its chart when the chart comes from this
/// repository, and the values files its `valuesFrom` ConfigMaps and Secrets are generated from.
struct FluxAppBuilder {
    let tree: ReleaseTree
    let objects: ReconcilerObjects
    let repositoryURLs: Set<RepositoryURL>

    private struct KustomizationInfo {
        let found: ReconcilerObjects.Found
        let path: String
        var closure: KustomizeClosure?
        let source: String
        var clusters: [String] = []
        /// `sourceRef` of kind ExternalArtifact: its name and namespace.
        var artifact: (name: String, namespace: String?)?
        /// The ArtifactGenerators whose artifact this Kustomization builds.
        var generators: [ArtifactGenerator] = []
    }

    func apps() throws(AppsError) -> [LinkedApp] {
        var kustomizations: [KustomizationInfo] = []
        for found in objects.fluxKustomizations {
            let resource = found.resource
            let path = PathNormaliser.normalise(resource.value("spec.path")?.string ?? ".")
            let kind = resource.value("spec.sourceRef.kind")?.string ?? "GitRepository"
            let name = resource.value("spec.sourceRef.name")?.string ?? ""
            let sourceNamespace = resource.value("spec.sourceRef.namespace")?.string ?? resource.namespace
            let local = kind == "GitRepository" && isThisRepository(gitRepository: name, namespace: sourceNamespace)
            var closure = local && tree.isDirectory(path) ? try KustomizeClosure.of(directory: path, in: tree) : nil
            // spec.components: kustomize components (relative to spec.path) Flux adds to the build.
            for component in resource.value("spec.components")?.items.compactMap({ $0.resolved.string }) ?? [] where closure != nil {
                let directory = tree.join(path, component)
                if tree.isDirectory(directory) { closure?.merge(try KustomizeClosure.of(directory: directory, in: tree)) }
            }
            var info = KustomizationInfo(found: found, path: path, closure: closure, source: "\(kind)/\(name)")
            if kind == "ExternalArtifact" { info.artifact = (name, sourceNamespace) }
            kustomizations.append(info)
        }
        let generators = objects.artifactGenerators.compactMap { found in
            ArtifactGenerator(found) { kind, name, namespace in
                kind == "GitRepository" && isThisRepository(gitRepository: name, namespace: namespace)
            }
        }
        inferClusters(&kustomizations)
        try followArtifacts(&kustomizations, generators: generators)
        propagateClusters(&kustomizations)
        var apps = kustomizations.map(linkedApp)
        for found in objects.helmReleases {
            let deployers = kustomizations.filter { $0.closure?.manifests.contains(found.file) == true }
            let clusters = Array(Set(deployers.flatMap(\.clusters))).sorted()
            for cluster in clusters.isEmpty ? [nil] : clusters.map(Optional.some) {
                let within = deployers.filter { cluster == nil || $0.clusters.contains(cluster!) }
                apps.append(helmRelease(found, cluster: cluster, closures: within.compactMap(\.closure)))
            }
        }
        return apps
    }

    /// Whether a GitRepository named in a sourceRef is this repository: its URL matches,
    /// or it is the bootstrap `flux-system` one.
    private func isThisRepository(gitRepository name: String, namespace: String?) -> Bool {
        if name == "flux-system" { return true }
        let candidates = objects.gitRepositories.filter { $0.name == name && (namespace == nil || $0.namespace == nil || $0.namespace == namespace) }
        return candidates.contains { repositoryURLs.contains(RepositoryURL($0.url)) }
    }

    /// The cluster a Flux object belongs to by where it lives: the `clusters/<name>` tree
    /// holding it (the layout `flux bootstrap --path=clusters/<name>` makes).
    static func clusterOfLocation(_ file: String) -> String? {
        let components = file.split(separator: "/").map(String.init)
        guard let index = components.firstIndex(of: "clusters"), index + 2 < components.count else { return nil }
        return components[index + 1]
    }

    /// Clusters come from the Kustomizations no other one applies: the `clusters/<name>`
    /// tree their file lies in, else (a bootstrap path in this repository elsewhere) their
    /// path's last folder; they flow down to every Kustomization their builds apply.
    private func inferClusters(_ kustomizations: inout [KustomizationInfo]) {
        for index in kustomizations.indices {
            let file = kustomizations[index].found.file
            let appliedByOther = kustomizations.indices.contains { other in
                other != index && kustomizations[other].closure?.contains(file) == true
            }
            guard !appliedByOther else { continue }
            if let cluster = Self.clusterOfLocation(file) {
                kustomizations[index].clusters = [cluster]
            } else if kustomizations[index].closure != nil, kustomizations[index].path != "." {
                let path = kustomizations[index].path
                kustomizations[index].clusters = [path.split(separator: "/").last.map(String.init) ?? path]
            }
        }
        propagateClusters(&kustomizations)
    }

    private func propagateClusters(_ kustomizations: inout [KustomizationInfo]) {
        var changed = true
        while changed {
            changed = false
            for parent in kustomizations.indices where !kustomizations[parent].clusters.isEmpty {
                guard let closure = kustomizations[parent].closure else { continue }
                for child in kustomizations.indices where child != parent && closure.contains(kustomizations[child].found.file) {
                    for cluster in kustomizations[parent].clusters where !kustomizations[child].clusters.contains(cluster) {
                        kustomizations[child].clusters.append(cluster)
                        changed = true
                    }
                }
            }
        }
    }

    /// Kustomizations reading an ExternalArtifact build their path inside what the
    /// ArtifactGenerators of their cluster copy into it from this repository. A generator
    /// belongs to the clusters whose Kustomizations apply its file, else to the
    /// `clusters/<name>` tree it lies in.
    private func followArtifacts(_ kustomizations: inout [KustomizationInfo], generators: [ArtifactGenerator]) throws(AppsError) {
        func clusters(of generator: ArtifactGenerator) -> Set<String> {
            var found = Set(kustomizations.filter { $0.closure?.contains(generator.file) == true }.flatMap(\.clusters))
            if found.isEmpty, let cluster = Self.clusterOfLocation(generator.file) { found.insert(cluster) }
            return found
        }
        let generatorClusters = generators.map(clusters)
        for index in kustomizations.indices {
            guard let artifact = kustomizations[index].artifact else { continue }
            let own = Set(kustomizations[index].clusters)
            let matching = generators.indices.filter { position in
                let generator = generators[position]
                guard generator.artifacts[artifact.name] != nil,
                      artifact.namespace == nil || generator.namespace == nil || generator.namespace == artifact.namespace else { return false }
                return own.isEmpty || generatorClusters[position].isEmpty || !own.isDisjoint(with: generatorClusters[position])
            }.map { generators[$0] }
            guard !matching.isEmpty else { continue }
            var closure = KustomizeClosure()
            for generator in matching {
                guard let copies = generator.artifacts[artifact.name], !copies.rules.isEmpty else { continue }
                closure.merge(try artifactBuild(kustomizations[index].path, copies: copies))
            }
            kustomizations[index].closure = closure
            kustomizations[index].generators = matching
        }
    }

    /// The build of `path` inside an artifact: when one copy rule brings a folder with a
    /// kustomization file there whole, kustomize's closure of that folder (limited to what
    /// the generator copies); otherwise, as Flux does without a kustomization file, every
    /// manifest copied under the path.
    private func artifactBuild(_ path: String, copies: ArtifactCopies) throws(AppsError) -> KustomizeClosure {
        let folder = path == "." ? "" : path
        for rule in copies.rules.reversed() {
            guard let source = rule.repositoryFolder(of: folder), tree.kustomizationFile(in: source.isEmpty ? "." : source) != nil else { continue }
            var closure = try KustomizeClosure.of(directory: source.isEmpty ? "." : source, in: tree)
            closure.ties = closure.ties.map { Tie(rule: .copied($0.rule, copies), reason: $0.reason) }
            closure.manifests = closure.manifests.filter { !copies.artifactPaths(of: $0).isEmpty }
            return closure
        }
        var closure = KustomizeClosure()
        closure.ties = [Tie(rule: .artifactFolder(copies, folder: folder), reason: .manifest)]
        closure.manifests = tree.allFiles.filter { ManifestNames.isManifest($0) && copies.copies($0, under: folder) }
        return closure
    }

    private func linkedApp(_ info: KustomizationInfo) -> LinkedApp {
        let resource = info.found.resource
        var ties = [Tie(rule: .file(info.found.file), reason: .definition)]
        ties += info.closure?.ties ?? []
        ties += info.generators.map { Tie(rule: .file($0.file), reason: .artifactGenerator) }
        let dependsOn = resource.value("spec.dependsOn")?.items.compactMap { $0.resolved["name"]?.resolved.string } ?? []
        var sources = [info.closure == nil ? "\(info.source) \(info.path)" : info.path]
        var note = info.closure == nil ? "source \(info.source) is not this repository" : nil
        if !info.generators.isEmpty {
            let generators = info.generators.map { "ArtifactGenerator \([$0.namespace, $0.name].compactMap { $0 }.joined(separator: "/")) (\($0.file))" }
            sources = ["\(info.source) \(info.path), assembled by " + Array(Set(generators)).sorted().joined(separator: ", ")]
        } else if info.artifact != nil {
            note = "source \(info.source) is assembled by no ArtifactGenerator in this repository"
        }
        if let pattern = info.generators.compactMap(\.pathPattern).first {
            note = "its ArtifactGenerator discovers folders (pathPattern \(pattern)); only its fixed copy rules are followed"
        }
        return LinkedApp(kind: .fluxKustomization, name: resource.name ?? "(unnamed)", namespace: resource.namespace,
                         targetNamespace: resource.value("spec.targetNamespace")?.string,
                         cluster: info.clusters.isEmpty ? nil : info.clusters.sorted().joined(separator: ", "),
                         definedIn: info.found.file, sources: sources, dependsOn: dependsOn, note: note, ties: ties)
    }

    private func helmRelease(_ found: ReconcilerObjects.Found, cluster: String?, closures: [KustomizeClosure]) -> LinkedApp {
        let resource = found.resource
        let name = resource.name ?? "(unnamed)"
        var ties = [Tie(rule: .file(found.file), reason: .definition)]
        var sources: [String] = []
        for closure in closures {
            for patch in closure.patches where patch.targetKind == "HelmRelease" && (patch.targetName == nil || patch.targetName == name) {
                ties.append(Tie(rule: .file(patch.file), reason: .patch))
            }
            for reference in resource.value("spec.valuesFrom")?.items.map(\.resolved) ?? [] {
                let kind = reference["kind"]?.resolved.string ?? "ConfigMap"
                let referenced = reference["name"]?.resolved.string ?? ""
                for generator in closure.generators where generator.kind == kind && generator.name == referenced {
                    ties += generator.files.map { Tie(rule: .file($0), reason: .helmValues) }
                }
            }
        }
        if let chart = resource.value("spec.chart.spec") {
            let chartName = chart["chart"]?.resolved.string ?? "?"
            let sourceKind = chart["sourceRef"]?.resolved["kind"]?.resolved.string ?? "?"
            let sourceName = chart["sourceRef"]?.resolved["name"]?.resolved.string ?? "?"
            if sourceKind == "GitRepository",
               isThisRepository(gitRepository: sourceName, namespace: chart["sourceRef"]?.resolved["namespace"]?.resolved.string ?? resource.namespace) {
                let path = PathNormaliser.normalise(chartName)
                let valueFiles = (chart["valuesFiles"]?.resolved.items.compactMap { $0.resolved.string } ?? []).map(PathNormaliser.normalise)
                ties.append(Tie(rule: .chart(path, valueFiles: Set(valueFiles), appName: nil), reason: .helmChart))
                ties += valueFiles.map { Tie(rule: .file($0), reason: .helmValues) }
                sources.append("\(path) (helm)")
            } else {
                let version = chart["version"]?.resolved.string.map { "@\($0)" } ?? ""
                sources.append("chart \(chartName)\(version) from \(sourceKind)/\(sourceName)")
            }
        } else if let reference = resource.value("spec.chartRef") {
            sources.append("chart from \(reference["kind"]?.resolved.string ?? "?")/\(reference["name"]?.resolved.string ?? "?")")
        }
        let dependsOn = resource.value("spec.dependsOn")?.items.compactMap { $0.resolved["name"]?.resolved.string } ?? []
        return LinkedApp(kind: .fluxHelmRelease, name: name, namespace: resource.namespace,
                         targetNamespace: resource.value("spec.targetNamespace")?.string, cluster: cluster, definedIn: found.file,
                         sources: sources, dependsOn: dependsOn, ties: ties)
    }
}
