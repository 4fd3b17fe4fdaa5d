import YAML

/// A Flux image-automation setter marker: `# {"$imagepolicy": "NAMESPACE:POLICY"}` for a
/// whole reference, with `:tag`, `:name` or `:digest` appended for one part of it.
struct ImageMarker: Hashable {
    enum Field: Hashable {
        case full, tag, name, digest
    }

    static let keyword = "$imagepolicy"

    /// `namespace:policy`.
    let policy: String
    let field: Field

    init?(comment: String) {
        guard let keyRange = comment.firstRange(of: "\"\(Self.keyword)\"") else { return nil }
        var rest = comment[keyRange.upperBound...].drop { $0 == " " || $0 == "\t" }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        guard rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") else { return nil }
        let value = rest[rest.index(after: rest.startIndex)..<close]
        let parts = value.split(separator: ":").map(String.init)
        switch parts.count {
        case 2:
            policy = parts.joined(separator: ":")
            field = .full
        case 3:
            policy = parts[0] + ":" + parts[1]
            switch parts[2] {
            case "tag": field = .tag
            case "name": field = .name
            case "digest": field = .digest
            default: return nil
            }
        default:
            return nil
        }
    }
}

/// Which image each Flux ImagePolicy follows, read from the ImagePolicy and
/// ImageRepository objects in the tree, so `:tag` markers can be tied to an image name.
public struct ImagePolicyIndex: Sendable {
    private var images: [String: String] = [:]

    public init() {}

    func image(forPolicy policy: String) -> String? { images[policy] }

    /// Indexes the objects of `files` (already parsed).
    init(files: [YAMLFileRef]) {
        var repositories: [String: String] = [:]
        var policies: [(key: String, repository: String)] = []
        for file in files {
            for document in file.file.documents {
                let root = document.root.resolved
                guard let kind = root["kind"]?.resolved.string,
                      root["apiVersion"]?.resolved.string?.hasPrefix("image.toolkit.fluxcd.io") == true,
                      let name = root["metadata"]?.resolved["name"]?.resolved.string else { continue }
                let namespace = root["metadata"]?.resolved["namespace"]?.resolved.string ?? "flux-system"
                let spec = root["spec"]?.resolved
                if kind == "ImageRepository", let image = spec?["image"]?.resolved.string, let reference = ImageReference(image) {
                    repositories[namespace + ":" + name] = reference.normalizedName
                } else if kind == "ImagePolicy", let ref = spec?["imageRepositoryRef"]?.resolved,
                          let repositoryName = ref["name"]?.resolved.string {
                    let repositoryNamespace = ref["namespace"]?.resolved.string ?? namespace
                    policies.append((namespace + ":" + name, repositoryNamespace + ":" + repositoryName))
                }
            }
        }
        for policy in policies {
            if let image = repositories[policy.repository] { images[policy.key] = image }
        }
    }
}

/// A parsed file with its tree-relative path.
struct YAMLFileRef {
    let path: String
    let file: YAMLFile
}
