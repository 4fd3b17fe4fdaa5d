/// Recognises kustomize's configuration files by name or by kind.
enum KustomizationFile {
    static let names: Set<String> = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    static func isKustomization(basename: String, kind: String?, apiVersion: String) -> Bool {
        if names.contains(basename) { return true }
        return kind == "Kustomization" && apiVersion.hasPrefix("kustomize.config.k8s.io")
    }
}
