import YAML

/// The rules that look at one resource on its own.
enum ResourceRules {
    static func check(_ resource: Resource, kubernetesMinor: Int) -> [Finding] {
        var findings: [Finding] = []
        plaintextSecret(resource, &findings)
        apiVersion(resource, kubernetesMinor: kubernetesMinor, &findings)
        images(resource, &findings)
        return findings
    }

    /// A Secret with data or stringData is plaintext (base64 is not encryption) unless SOPS
    /// encrypted it (a top-level `sops` block and ENC[...] values).
    private static func plaintextSecret(_ resource: Resource, _ findings: inout [Finding]) {
        guard resource.kind == "Secret", resource.apiVersion == "v1", resource.node["sops"] == nil else { return }
        for field in ["data", "stringData"] {
            guard let values = resource.node[field]?.resolved, values.isMapping, !values.entries.isEmpty else { continue }
            let plain = values.entries.contains { !($0.value.resolved.string ?? "").hasPrefix("ENC[") }
            guard plain, let key = resource.node.keyNode(field) else { continue }
            findings.append(Finding(at: key.location, rule: .plaintextSecret,
                                    message: "Secret \(resource.name ?? "") holds unencrypted \(field) in the repository",
                                    resource: resource.label))
            return
        }
    }

    private static func apiVersion(_ resource: Resource, kubernetesMinor: Int, _ findings: inout [Finding]) {
        guard let entry = APIVersionTable.entry(apiVersion: resource.apiVersion, kind: resource.kind),
              let node = resource.node["apiVersion"] else { return }
        if let removed = entry.removedIn, kubernetesMinor >= removed {
            findings.append(Finding(at: node.location, rule: .removedAPI,
                                    message: "\(resource.apiVersion) \(resource.kind) was removed in Kubernetes 1.\(removed); use \(entry.replacement)",
                                    resource: resource.label))
        } else if kubernetesMinor >= entry.deprecatedIn {
            let removal = entry.removedIn.map { ", removed in 1.\($0)" } ?? ""
            findings.append(Finding(at: node.location, rule: .deprecatedAPI,
                                    message: "\(resource.apiVersion) \(resource.kind) is deprecated since Kubernetes 1.\(entry.deprecatedIn)\(removal); use \(entry.replacement)",
                                    resource: resource.label))
        }
    }

    /// Container images anywhere in the resource: every `containers`, `initContainers` and
    /// `ephemeralContainers` list (Pods, workloads, CronJobs, Rollouts and other CRDs alike).
    private static func images(_ resource: Resource, _ findings: inout [Finding]) {
        var stack: [(Node, Int)] = [(resource.node, 0)]
        while let (node, depth) = stack.popLast() {
            guard depth < 24 else { continue }
            if node.isMapping {
                // Aliases are not followed: what they point to is checked where it is written.
                for (key, value) in node.entries where value.kind != .alias {
                    if let name = key.string, ["containers", "initContainers", "ephemeralContainers"].contains(name), value.isSequence {
                        for container in value.items {
                            if let image = container.resolved["image"], image.resolved.isScalar { check(image: image, resource, &findings) }
                        }
                    }
                    if !value.isScalar { stack.append((value, depth + 1)) }
                }
            } else if node.isSequence {
                for item in node.items where item.kind != .alias && !item.isScalar { stack.append((item, depth + 1)) }
            }
        }
    }

    private static func check(image node: Node, _ resource: Resource, _ findings: inout [Finding]) {
        let text = node.resolved.string ?? ""
        // Helm or envsubst placeholders are filled in later; nothing to judge yet.
        if text.contains("${") || text.contains("{{") { return }
        switch ImageName.parse(text) {
        case let .failure(reason):
            findings.append(Finding(at: node.location, rule: .imageInvalid, message: "image \"\(text)\" \(reason)", resource: resource.label))
        case let .success(image):
            if image.digest == nil && image.tag == "latest" {
                findings.append(Finding(at: node.location, rule: .imageLatest, message: "image \"\(text)\" uses the moving tag latest",
                                        resource: resource.label))
            } else if image.digest == nil && image.tag == nil {
                findings.append(Finding(at: node.location, rule: .imageUntagged,
                                        message: "image \"\(text)\" has no tag or digest, so it means latest", resource: resource.label))
            }
        }
    }
}
