import Validation

/// Turns an Argo CD Application spec into a linked app: which repository files it
/// renders (a Helm chart, a kustomization, a directory of manifests), its values files
/// (also through `$ref/` multi-source references), and where it goes.
struct ArgoAppBuilder {
    let tree: ReleaseTree
    let isThisRepository: (String?) -> Bool

    func app(_ spec: ArgoAppSpec, definedIn: String, generatedBy: String? = nil, extraTies: [Tie] = [],
             note: String? = nil) throws(AppsError) -> LinkedApp {
        var ties = [Tie(rule: .file(definedIn), reason: .definition)] + extraTies
        var described: [String] = []
        var notes: [String] = note.map { [$0] } ?? []
        var references: [String: Bool] = [:]
        for source in spec.sources {
            if let ref = source.ref { references[ref] = isThisRepository(source.repoURL) }
        }
        for source in spec.sources {
            let local = isThisRepository(source.repoURL)
            if let rawPath = source.path, !rawPath.isEmpty {
                guard local else {
                    if let url = source.repoURL, RepositoryURL.isOCI(url) {
                        described.append("OCI \(url)\(rawPath == "." ? "" : " " + rawPath)@\(source.targetRevision ?? "latest")")
                    } else {
                        described.append("\(source.repoURL ?? "?") \(rawPath)@\(source.targetRevision ?? "HEAD")")
                    }
                    continue
                }
                if GeneratorTemplate.isTemplated(rawPath) {
                    notes.append("source path \(rawPath) depends on generator parameters")
                    described.append(rawPath)
                    continue
                }
                let path = PathNormaliser.normalise(rawPath)
                if tree.isFile(tree.join(path, "Chart.yaml")) {
                    described.append("\(path) (helm)")
                    let valueFiles = source.valueFiles.filter { !$0.hasPrefix("$") && !GeneratorTemplate.isTemplated($0) }.map { tree.join(path, $0) }
                    ties.append(Tie(rule: .chart(path, valueFiles: Set(valueFiles), appName: spec.name), reason: .helmChart))
                    ties += valueFiles.map { Tie(rule: .file($0), reason: .helmValues) }
                    ties += parameterFiles(in: path, app: spec.name)
                } else if tree.kustomizationFile(in: path) != nil {
                    described.append("\(path) (kustomize)")
                    ties += try KustomizeClosure.of(directory: path, in: tree).ties
                    ties += parameterFiles(in: path, app: spec.name)
                } else {
                    described.append(path)
                    if source.include == nil, source.exclude == nil {
                        ties.append(Tie(rule: .directory(path, recursive: source.recurse, manifestsOnly: true), reason: .manifest))
                    } else {
                        ties.append(Tie(rule: .filteredDirectory(path, recursive: source.recurse,
                                                                 include: BraceGlob.globs(source.include ?? ""),
                                                                 exclude: BraceGlob.globs(source.exclude ?? "")), reason: .manifest))
                    }
                }
            } else if let chart = source.chart {
                described.append("chart \(chart)@\(source.targetRevision ?? "latest") from \(source.repoURL ?? "?")")
            } else if let ref = source.ref {
                described.append("$\(ref): \(source.repoURL ?? "?")")
            }
            for valueFile in source.valueFiles where valueFile.hasPrefix("$") {
                guard let slash = valueFile.firstIndex(of: "/") else { continue }
                let ref = String(valueFile[valueFile.index(after: valueFile.startIndex)..<slash])
                guard references[ref] == true else { continue }
                let path = PathNormaliser.normalise(String(valueFile[valueFile.index(after: slash)...]))
                ties.append(Tie(rule: .file(path), reason: .helmValues))
                described.append("values \(path)")
            }
        }
        return LinkedApp(kind: .argoApplication, name: spec.name ?? "(unnamed)", namespace: spec.namespace, project: spec.project,
                         targetNamespace: spec.destinationNamespace, cluster: spec.cluster, definedIn: definedIn, sources: described,
                         generatedBy: generatedBy, note: notes.isEmpty ? nil : notes.joined(separator: "; "), ties: ties)
    }

    /// Argo CD's parameter override files, which it reads from the source path.
    private func parameterFiles(in path: String, app: String?) -> [Tie] {
        ([".argocd-source.yaml"] + (app.map { [".argocd-source-\($0).yaml"] } ?? [])).map {
            Tie(rule: .file(tree.join(path, $0)), reason: .parameterOverride)
        }
    }
}
