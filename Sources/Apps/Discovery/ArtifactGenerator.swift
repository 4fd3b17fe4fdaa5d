import Foundation
import Validation

/// A Flux ArtifactGenerator (`source.extensions.fluxcd.io`, Flux 2.7): it assembles
/// ExternalArtifacts from sources, and Kustomizations with `sourceRef.kind:
/// ExternalArtifact` build a path inside one. Only its copy rules that read this
/// repository matter here. With `pathPattern` (`@alias/apps/{app}/envs/{env}`) the
/// generator makes artifacts for every folder of this repository the pattern matches,
/// its captures filled into the artifact names (lowercased, as source-watcher does) and
/// into the copy rules.
struct ArtifactGenerator {
    let name: String
    let namespace: String?
    let file: String
    /// Artifact name → its copy rules from this repository.
    let artifacts: [String: ArtifactCopies]
    let pathPattern: String?

    /// Reads the generator; `readsThisRepository(kind, name, namespace)` says which of its
    /// sources are this repository; `directories` lists the repository's folders (for `pathPattern`).
    init?(_ found: ReconcilerObjects.Found, readsThisRepository: (String, String, String?) -> Bool, directories: () -> [String]) {
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
        var bindings: [[String: String]] = [[:]]
        if let pathPattern {
            bindings = []
            if let (alias, pattern) = Self.split(pathPattern), local.contains(alias), let matcher = Self.captures(pattern) {
                for directory in directories() {
                    if let values = matcher(directory) { bindings.append(values) }
                }
            }
        }
        var artifacts: [String: ArtifactCopies] = [:]
        for binding in bindings {
            for artifact in resource.value("spec.artifacts")?.items.map(\.resolved) ?? [] {
                guard let template = artifact["name"]?.resolved.string else { continue }
                let artifactName = Self.fill(template, binding.mapValues { $0.lowercased() })
                var rules: [ArtifactCopies.Rule] = []
                for copy in artifact["copy"]?.resolved.items.map(\.resolved) ?? [] {
                    guard let from = copy["from"]?.resolved.string.map({ Self.fill($0, binding) }),
                          let to = copy["to"]?.resolved.string.map({ Self.fill($0, binding) }),
                          let (alias, pattern) = Self.split(from), local.contains(alias),
                          let (target, destination) = Self.split(to), target == "artifact" else { continue }
                    let excludes = copy["exclude"]?.resolved.items.compactMap { $0.resolved.string.map { Self.fill($0, binding) } } ?? []
                    rules.append(ArtifactCopies.Rule(from: pattern, to: destination, excludes: excludes))
                }
                artifacts[artifactName] = ArtifactCopies(rules: (artifacts[artifactName]?.rules ?? []) + rules)
            }
        }
        self.artifacts = artifacts
    }

    /// `{name}` placeholders replaced by their captured values.
    private static func fill(_ text: String, _ values: [String: String]) -> String {
        values.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    /// A matcher for a pathPattern: each `{name}` captures part of one folder name, `*`
    /// matches within one; the whole folder path must match.
    private static func captures(_ pattern: String) -> ((String) -> [String: String]?)? {
        var expression = "^"
        var names: [String] = []
        var rest = Substring(pattern.hasSuffix("/") ? String(pattern.dropLast()) : pattern)
        while let character = rest.first {
            if character == "{", let close = rest.firstIndex(of: "}") {
                names.append(String(rest[rest.index(after: rest.startIndex)..<close]))
                expression += "([^/]+)"
                rest = rest[rest.index(after: close)...]
                continue
            }
            expression += character == "*" ? "[^/]*" : NSRegularExpression.escapedPattern(for: String(character))
            rest = rest.dropFirst()
        }
        guard let regex = try? NSRegularExpression(pattern: expression + "$") else { return nil }
        return { directory in
            let range = NSRange(directory.startIndex..., in: directory)
            guard let match = regex.firstMatch(in: directory, range: range), match.numberOfRanges == names.count + 1 else { return nil }
            var values: [String: String] = [:]
            for (index, name) in names.enumerated() {
                guard let captured = Range(match.range(at: index + 1), in: directory) else { return nil }
                values[name] = String(directory[captured])
            }
            return values
        }
    }

    /// `@alias/rest` → (alias, rest); nil without the `@alias/` form.
    private static func split(_ text: String) -> (String, String)? {
        guard text.hasPrefix("@"), let slash = text.firstIndex(of: "/") else { return nil }
        var rest = String(text[text.index(after: slash)...])
        while rest.hasPrefix("./") { rest.removeFirst(2) }
        return (String(text[text.index(after: text.startIndex)..<slash]), rest)
    }
}
