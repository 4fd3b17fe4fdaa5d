import Validation

/// Why a file belongs to an app's desired state.
public enum TieReason: String, Sendable, Encodable, Hashable {
    /// The file holds the reconciler object itself.
    case definition
    /// A manifest the app applies (directly or through kustomize resources/bases/components).
    case manifest
    /// A kustomization file on the way to the app's manifests.
    case kustomization
    /// A kustomize patch or transformer configuration.
    case patch
    /// A file a kustomize configMapGenerator/secretGenerator reads.
    case generatorInput = "generator-input"
    /// A file of a Helm chart the app renders.
    case helmChart = "helm-chart"
    /// A Helm values file (Argo CD valueFiles, `$values` refs, Flux valuesFrom/valuesFiles).
    case helmValues = "helm-values"
    /// A file an ApplicationSet git generator reads or matches.
    case generatorFile = "generator-file"
    /// An Argo CD parameter override file (`.argocd-source*.yaml`).
    case parameterOverride = "parameter-override"
    /// The Flux ArtifactGenerator whose copy rules assemble the app's ExternalArtifact.
    case artifactGenerator = "artifact-generator"
}

/// A rule tying repository paths to an app, with the reason.
struct Tie: Sendable {
    enum Rule: Sendable {
        /// Exactly this path.
        case file(String)
        /// Files under a directory: directly in it or at any depth; only manifests (.yaml,
        /// .yml, .json) or any file (a Helm chart).
        case directory(String, recursive: Bool, manifestsOnly: Bool)
        /// An Argo CD directory source with `include`/`exclude` globs, matched against the
        /// path relative to the directory (an empty include list takes every manifest).
        case filteredDirectory(String, recursive: Bool, include: [Glob], exclude: [Glob])
        /// A Helm chart directory: every file in it, except root-level values files the app
        /// does not name (Helm reads only `values.yaml` unless told) and Argo CD parameter
        /// files for other apps (`.argocd-source-<other>.yaml`).
        case chart(String, valueFiles: Set<String>, appName: String?)
        /// Paths an ApplicationSet git generator watches but that produced no app: a
        /// removed generator file (files) or a removed directory (directories). Paths that
        /// did produce an app tie to that app instead.
        case generatorPath(Glob, pattern: String, excludes: [Glob], directories: Bool, produced: Set<String>)
        /// Manifests a Flux ArtifactGenerator copies under `folder` of its artifact ("" for
        /// all of it): a Kustomization path without a kustomization file, which Flux builds whole.
        case artifactFolder(ArtifactCopies, folder: String)
        /// What `Rule` covers, as far as the ArtifactGenerator copies it into the artifact
        /// (a kustomize build inside an ExternalArtifact reads nothing else).
        indirect case copied(Rule, ArtifactCopies)
    }

    let rule: Rule
    let reason: TieReason

    /// Whether `path` (relative to the repository root, normalised) falls under the rule.
    func matches(_ path: String) -> Bool {
        switch rule {
        case let .file(file):
            return path == file
        case let .directory(directory, recursive, manifestsOnly):
            let inside: Substring
            if directory == "." {
                inside = Substring(path)
            } else {
                guard path.hasPrefix(directory + "/") else { return false }
                inside = path.dropFirst(directory.count + 1)
            }
            if !recursive, inside.contains("/") { return false }
            return !manifestsOnly || ManifestNames.isManifest(path)
        case let .filteredDirectory(directory, recursive, include, exclude):
            guard Tie(rule: .directory(directory, recursive: recursive, manifestsOnly: true), reason: reason).matches(path) else { return false }
            let inside = directory == "." ? path : String(path.dropFirst(directory.count + 1))
            let name = inside.split(separator: "/").last.map(String.init) ?? inside
            let hit = { (glob: Glob) in glob.matches(inside) || glob.matches(name) }
            return (include.isEmpty || include.contains(where: hit)) && !exclude.contains(where: hit)
        case let .chart(directory, valueFiles, appName):
            guard path.hasPrefix(directory + "/") else { return false }
            let inside = path.dropFirst(directory.count + 1)
            guard !inside.contains("/") else { return true }
            let name = String(inside)
            if name.hasPrefix(".argocd-source") {
                return name == ".argocd-source.yaml" || appName.map { name == ".argocd-source-\($0).yaml" } == true
            }
            if name.hasPrefix("values"), ManifestNames.isManifest(name), name != "values.yaml", name != "values.yml" {
                return valueFiles.contains(path)
            }
            return true
        case let .generatorPath(glob, _, excludes, directories, produced):
            let candidates = directories ? Self.ancestors(of: path) : [path]
            return candidates.contains { candidate in
                glob.matches(candidate) && !excludes.contains { $0.matches(candidate) } && !produced.contains(candidate)
            }
        case let .artifactFolder(copies, folder):
            return ManifestNames.isManifest(path) && copies.copies(path, under: folder)
        case let .copied(inner, copies):
            return Tie(rule: inner, reason: reason).matches(path) && !copies.artifactPaths(of: path).isEmpty
        }
    }
}

extension Tie {
    /// `a/b/c.yaml` → `a/b`, `a`.
    static func ancestors(of path: String) -> [String] {
        var found: [String] = []
        var current = path
        while let slash = current.lastIndex(of: "/") {
            current = String(current[..<slash])
            found.append(current)
        }
        return found
    }
}

/// File names the reconcilers read as manifests.
enum ManifestNames {
    static func isManifest(_ path: String) -> Bool {
        path.hasSuffix(".yaml") || path.hasSuffix(".yml") || path.hasSuffix(".json")
    }
}
