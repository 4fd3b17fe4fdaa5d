import Validation
import YAML

/// The parameter sets an ApplicationSet's generators produce, worked out from the
/// repository alone. Generators that need the cluster (clusters, pull requests, SCM
/// providers, plugins) cannot be expanded offline and say what they depend on.
struct GeneratorExpansion {
    struct ParameterSet {
        var values: [String: String]
        /// The generator file that produced it (git files generator).
        var origin: String?
        /// The directory that produced it (git directories generator).
        var directory: String? = nil
    }

    enum Result {
        case expanded([ParameterSet])
        case dependsOn(String)
    }

    /// A glob an ApplicationSet git generator matches, with its excludes.
    struct WatchedGlob {
        let pattern: String
        let excludes: [String]
        let directories: Bool
    }

    let tree: ReleaseTree
    let isThisRepository: (String?) -> Bool

    func expand(_ generator: Node) throws(AppsError) -> Result {
        let generator = generator.resolved
        if let git = generator["git"]?.resolved {
            guard isThisRepository(git["repoURL"]?.resolved.string) else {
                return .dependsOn("repository \(git["repoURL"]?.resolved.string ?? "?")")
            }
            return try .expanded(expandGit(git))
        }
        if let list = generator["list"]?.resolved {
            let elements = list["elements"]?.resolved.items ?? []
            if elements.isEmpty, list["elementsYaml"] != nil { return .dependsOn("elementsYaml") }
            return .expanded(elements.map { ParameterSet(values: Self.flatten($0), origin: nil) })
        }
        if let matrix = generator["matrix"]?.resolved {
            var product: [ParameterSet] = [ParameterSet(values: [:], origin: nil)]
            for child in matrix["generators"]?.resolved.items ?? [] {
                switch try expand(child) {
                case let .dependsOn(what): return .dependsOn(what)
                case let .expanded(sets):
                    product = product.flatMap { left in
                        sets.map { right in
                            ParameterSet(values: left.values.merging(right.values) { _, new in new }, origin: right.origin ?? left.origin,
                                         directory: right.directory ?? left.directory)
                        }
                    }
                }
            }
            return .expanded(product)
        }
        if generator["clusters"] != nil { return .dependsOn("cluster list") }
        for (key, what) in [("merge", "merge generator"), ("pullRequest", "pull requests"), ("scmProvider", "SCM provider"),
                            ("clusterDecisionResource", "cluster decision resource"), ("plugin", "plugin")]
        where generator[key] != nil {
            return .dependsOn(what)
        }
        return .dependsOn("unknown generator")
    }

    /// The globs git generators under `generator` watch (nested matrix generators too).
    static func watchedGlobs(_ generator: Node) -> [WatchedGlob] {
        let generator = generator.resolved
        if let git = generator["git"]?.resolved {
            var found: [WatchedGlob] = []
            for key in ["files", "directories"] {
                let entries = git[key]?.resolved.items.map(\.resolved) ?? []
                let excludes = entries.filter { $0["exclude"]?.resolved.string == "true" }.compactMap { $0["path"]?.resolved.string }
                for entry in entries where entry["exclude"]?.resolved.string != "true" {
                    guard let path = entry["path"]?.resolved.string else { continue }
                    found.append(WatchedGlob(pattern: path, excludes: excludes, directories: key == "directories"))
                }
            }
            return found
        }
        return generator["matrix"]?.resolved["generators"]?.resolved.items.flatMap(watchedGlobs) ?? []
    }

    private func expandGit(_ git: Node) throws(AppsError) -> [ParameterSet] {
        var sets: [ParameterSet] = []
        let all = tree.allFiles
        if let files = git["files"]?.resolved.items.map(\.resolved) {
            let includes = files.filter { $0["exclude"]?.resolved.string != "true" }.compactMap { $0["path"]?.resolved.string }.map(Glob.init)
            let excludes = files.filter { $0["exclude"]?.resolved.string == "true" }.compactMap { $0["path"]?.resolved.string }.map(Glob.init)
            for file in all where includes.contains(where: { $0.matches(file) }) && !excludes.contains(where: { $0.matches(file) }) {
                guard let parsed = try tree.parse(file), let root = parsed.documents.first?.root.resolved else { continue }
                let objects = root.isSequence ? root.items.map(\.resolved) : [root]
                for object in objects {
                    var values = Self.flatten(object)
                    values.merge(Self.pathParameters(directory: PathNormaliser.directory(of: file), file: file)) { own, _ in own }
                    sets.append(ParameterSet(values: values, origin: file))
                }
            }
        }
        if let directories = git["directories"]?.resolved.items.map(\.resolved) {
            let includes = directories.filter { $0["exclude"]?.resolved.string != "true" }.compactMap { $0["path"]?.resolved.string }.map(Glob.init)
            let excludes = directories.filter { $0["exclude"]?.resolved.string == "true" }.compactMap { $0["path"]?.resolved.string }.map(Glob.init)
            for directory in tree.allDirectories where includes.contains(where: { $0.matches(directory) })
                && !excludes.contains(where: { $0.matches(directory) }) {
                sets.append(ParameterSet(values: Self.pathParameters(directory: directory, file: nil), origin: nil, directory: directory))
            }
        }
        return sets
    }

    /// `path`, `path.path`, `path.basename`, `path.filename`, their normalised forms, and `path[n]`.
    static func pathParameters(directory: String, file: String?) -> [String: String] {
        let segments = directory.split(separator: "/").map(String.init)
        let basename = segments.last ?? directory
        var values = ["path": directory, "path.path": directory, "path.basename": basename,
                      "path.basenameNormalized": normalised(basename)]
        if let file {
            let name = file.split(separator: "/").last.map(String.init) ?? file
            values["path.filename"] = name
            values["path.filenameNormalized"] = normalised(name)
        }
        for (index, segment) in segments.enumerated() {
            values["path[\(index)]"] = segment
            values["path.segments.\(index)"] = segment
        }
        return values
    }

    /// Argo CD's normalisation: anything outside [a-zA-Z0-9-] becomes a dash.
    private static func normalised(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "-" })
    }

    /// A mapping's scalars under dotted keys (`image.tag`).
    static func flatten(_ node: Node, prefix: String = "") -> [String: String] {
        let node = node.resolved
        var values: [String: String] = [:]
        for (key, value) in node.entries {
            guard let name = key.resolved.string else { continue }
            let full = prefix.isEmpty ? name : "\(prefix).\(name)"
            let value = value.resolved
            if value.isMapping {
                values.merge(flatten(value, prefix: full)) { _, new in new }
            } else if let text = value.string {
                values[full] = text
            }
        }
        return values
    }
}
