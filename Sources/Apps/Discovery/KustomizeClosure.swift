import Validation
import YAML

/// Everything a directory contributes when kustomize (or Flux's generated kustomization)
/// builds it: the files, transitively through resources/bases/components, and the
/// generators and patches found on the way (HelmReleases need both).
struct KustomizeClosure {
    struct Generator {
        let kind: String
        let name: String
        let files: [String]
    }

    struct Patch {
        let file: String
        let targetKind: String?
        let targetName: String?
    }

    var ties: [Tie] = []
    var generators: [Generator] = []
    var patches: [Patch] = []
    /// Manifest files (not patches) the build reads; where HelmReleases are looked for.
    var manifests: [String] = []

    /// Builds the closure of `directory` as kustomize would; without a kustomization
    /// file, as Flux does: every manifest below it, nested kustomizations built in turn.
    static func of(directory: String, in tree: ReleaseTree) throws(AppsError) -> KustomizeClosure {
        var closure = KustomizeClosure()
        var visited = Set<String>()
        try closure.add(directory: directory, in: tree, visited: &visited, generated: true)
        return closure
    }

    /// Adds another build's files (a Flux Kustomization's components).
    mutating func merge(_ other: KustomizeClosure) {
        ties += other.ties
        generators += other.generators
        patches += other.patches
        manifests += other.manifests
    }

    /// Whether any tie rule covers `path`.
    func contains(_ path: String) -> Bool { ties.contains { $0.matches(path) } }

    private mutating func add(directory: String, in tree: ReleaseTree, visited: inout Set<String>, generated: Bool) throws(AppsError) {
        guard visited.insert(directory).inserted else { return }
        guard let file = tree.kustomizationFile(in: directory) else {
            guard generated else { return }
            ties.append(Tie(rule: .directory(directory, recursive: true, manifestsOnly: true), reason: .manifest))
            for path in tree.files(under: directory) where ManifestNames.isManifest(path) {
                manifests.append(path)
            }
            return
        }
        ties.append(Tie(rule: .file(file), reason: .kustomization))
        guard let parsed = try tree.parse(file) else { return }
        for document in parsed.documents {
            let root = document.root.resolved
            for reference in KustomizationReferences.references(in: root) where !reference.path.isEmpty && !KustomizationReferences.isRemote(reference.path) {
                let path = tree.join(directory, reference.path)
                if tree.isDirectory(path) {
                    try add(directory: path, in: tree, visited: &visited, generated: false)
                } else if reference.isPatch {
                    ties.append(Tie(rule: .file(path), reason: .patch))
                    patches.append(Self.patch(file: path, entry: reference.node, in: tree))
                } else {
                    ties.append(Tie(rule: .file(path), reason: .manifest))
                    manifests.append(path)
                }
            }
            for key in ["configMapGenerator", "secretGenerator"] {
                for item in root[key]?.resolved.items ?? [] {
                    let entry = item.resolved
                    var inputs: [String] = []
                    for source in entry["files"]?.resolved.items ?? [] {
                        guard let text = source.resolved.string else { continue }
                        let file = text.split(separator: "=", maxSplits: 1).last.map(String.init) ?? text
                        inputs.append(tree.join(directory, file))
                    }
                    for source in entry["envs"]?.resolved.items ?? [] {
                        if let text = source.resolved.string { inputs.append(tree.join(directory, text)) }
                    }
                    if let env = entry["env"]?.resolved.string { inputs.append(tree.join(directory, env)) }
                    for input in inputs { ties.append(Tie(rule: .file(input), reason: .generatorInput)) }
                    generators.append(Generator(kind: key == "configMapGenerator" ? "ConfigMap" : "Secret",
                                                name: entry["name"]?.resolved.string ?? "", files: inputs))
                }
            }
            for item in root["helmCharts"]?.resolved.items ?? [] {
                if let values = item.resolved["valuesFile"]?.resolved.string {
                    ties.append(Tie(rule: .file(tree.join(directory, values)), reason: .helmValues))
                }
            }
            for item in root["replacements"]?.resolved.items ?? [] {
                if let path = item.resolved["path"]?.resolved.string {
                    ties.append(Tie(rule: .file(tree.join(directory, path)), reason: .patch))
                }
            }
        }
    }

    /// A patch's target: the `target:` beside its path, else the kind and name in the file.
    private static func patch(file: String, entry: Node, in tree: ReleaseTree) -> Patch {
        if let target = entry.parent?.resolved["target"]?.resolved, target.isMapping {
            return Patch(file: file, targetKind: target["kind"]?.resolved.string, targetName: target["name"]?.resolved.string)
        }
        if let parsed = try? tree.parse(file), let root = parsed.documents.first?.root.resolved {
            return Patch(file: file, targetKind: root["kind"]?.resolved.string,
                         targetName: root["metadata"]?.resolved["name"]?.resolved.string)
        }
        return Patch(file: file, targetKind: nil, targetName: nil)
    }
}
