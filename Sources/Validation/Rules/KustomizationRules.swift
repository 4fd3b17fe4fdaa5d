import Foundation
import YAML

/// A kustomization file's references to other files: `resources`, `components`, `bases`,
/// `patches[].path`, `patchesStrategicMerge`, `patchesJson6902[].path`, and the plugin
/// configurations under `transformers`, `generators`, `validators`, `configurations`.
public struct KustomizationReferences {
    public struct Reference {
        public let node: Node
        public let path: String
        /// A patch or a plugin configuration: a partial resource or kustomize's own input,
        /// never validated as a Kubernetes resource.
        public let isPatch: Bool
    }

    public static func isKustomizationFile(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name == "kustomization.yaml" || name == "kustomization.yml" || name == "Kustomization"
    }

    public static func references(in root: Node) -> [Reference] {
        var found: [Reference] = []
        for key in ["resources", "components", "bases"] {
            for item in root[key]?.resolved.items ?? [] where item.resolved.isScalar {
                found.append(Reference(node: item, path: item.resolved.string ?? "", isPatch: false))
            }
        }
        for key in ["patchesStrategicMerge", "transformers", "generators", "validators", "configurations"] {
            for item in root[key]?.resolved.items ?? [] where item.resolved.isScalar {
                let text = item.resolved.string ?? ""
                if !text.contains("\n") { found.append(Reference(node: item, path: text, isPatch: true)) }
            }
        }
        for key in ["patches", "patchesJson6902"] {
            for item in root[key]?.resolved.items ?? [] {
                if let path = item.resolved["path"], path.resolved.isScalar {
                    found.append(Reference(node: path, path: path.resolved.string ?? "", isPatch: true))
                }
            }
        }
        return found
    }

    /// Remote bases (URLs, `github.com/...?ref=`) are not checked.
    public static func isRemote(_ path: String) -> Bool {
        path.contains("://") || path.hasPrefix("github.com/") || path.hasPrefix("git@") || path.contains("?ref=")
    }

    /// Findings for references to files or directories that do not exist.
    static func check(_ root: Node, file: String) -> [Finding] {
        let directory = PathNormaliser.parent(of: file)
        var findings: [Finding] = []
        for reference in references(in: root) where !isRemote(reference.path) && !reference.path.isEmpty {
            let full = directory.isEmpty ? reference.path : "\(directory)/\(reference.path)"
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) {
                findings.append(Finding(at: reference.node.location, rule: .kustomizationMissingFile,
                                        message: "\(reference.path) does not exist (looked for \(full))"))
            } else if isDirectory.boolValue, !["kustomization.yaml", "kustomization.yml", "Kustomization"].contains(where: {
                FileManager.default.fileExists(atPath: "\(full)/\($0)")
            }) {
                findings.append(Finding(at: reference.node.location, rule: .kustomizationMissingFile,
                                        message: "directory \(reference.path) holds no kustomization.yaml"))
            }
        }
        return findings
    }

    /// Normalised paths of every patch file the kustomizations in `files` name; these hold
    /// partial resources and are not validated as resources.
    static func patchFiles(among files: [String]) -> Set<String> {
        var patches = Set<String>()
        for file in files where isKustomizationFile(file) {
            guard let data = FileManager.default.contents(atPath: file),
                  let parsed = try? YAMLFile.parse([UInt8](data), path: file) else { continue }
            let directory = PathNormaliser.parent(of: file)
            for document in parsed.documents {
                for reference in references(in: document.root.resolved) where reference.isPatch && !isRemote(reference.path) {
                    let full = directory.isEmpty ? reference.path : "\(directory)/\(reference.path)"
                    patches.insert(PathNormaliser.normalise(full))
                }
            }
        }
        return patches
    }
}
