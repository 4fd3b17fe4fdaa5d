import Validation

/// Flux 2.7: Kustomizations whose source is an ExternalArtifact that an ArtifactGenerator
/// assembles from this repository.
extension FluxAppBuilder {
    /// Kustomizations reading an ExternalArtifact build their path inside what the
    /// ArtifactGenerators of their cluster copy into it from this repository. A generator
    /// belongs to the clusters whose Kustomizations apply its file, else to the
    /// `clusters/<name>` tree it lies in.
    func followArtifacts(_ kustomizations: inout [KustomizationInfo], generators: [ArtifactGenerator]) throws(AppsError) {
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
            let path = kustomizations[index].path
            // spec.components: kustomize components (relative to spec.path) Flux adds to the build.
            let components = kustomizations[index].found.resource.value("spec.components")?.items.compactMap { $0.resolved.string } ?? []
            var closure = KustomizeClosure()
            for generator in matching {
                guard let copies = generator.artifacts[artifact.name], !copies.rules.isEmpty else { continue }
                closure.merge(try artifactBuild(path, copies: copies))
                for component in components {
                    closure.merge(try artifactBuild(PathNormaliser.normalise(path == "." ? component : "\(path)/\(component)"), copies: copies))
                }
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
}
