import YAML

/// A SHA-256 function (lower-case hex), passed in from a layer that links OpenSSL.
public typealias SHA256Hex = @Sendable ([UInt8]) -> String

/// Helm's Chart.lock digest: `sha256:` + hex SHA-256 of Go's `json.Marshal` of
/// `[chartYAMLDependencies, lockDependencies]`, each dependency marshalled as Helm's
/// `chart.Dependency` struct (fields in declaration order, empty ones omitted except
/// `name` and `repository`). `helm dependency build` refuses a lock whose digest does not
/// match, so a chart bump must refresh it.
enum HelmLockDigest {
    /// The digest for a chart's Chart.yaml and Chart.lock, or nil when a dependency holds
    /// something this encoder does not reproduce exactly (then the caller warns).
    static func compute(chart: YAMLFile, lock: YAMLFile, sha256: SHA256Hex) -> String? {
        guard let requested = dependencies(chart), let locked = dependencies(lock) else { return nil }
        let json = "[" + requested + "," + locked + "]"
        return "sha256:" + sha256(Array(json.utf8))
    }

    private static func dependencies(_ file: YAMLFile) -> String? {
        guard let root = file.documents.first?.root.resolved else { return "null" }
        guard let list = root["dependencies"]?.resolved, !(list.isScalar && list.scalarType == .null) else { return "null" }
        guard list.isSequence else { return nil }
        var encoded: [String] = []
        for item in list.items.map(\.resolved) {
            guard let dependency = encode(item) else { return nil }
            encoded.append(dependency)
        }
        return "[" + encoded.joined(separator: ",") + "]"
    }

    private static func encode(_ dependency: Node) -> String? {
        guard dependency.isMapping else { return nil }
        let known: Set<String> = ["name", "version", "repository", "condition", "tags", "enabled", "import-values", "alias"]
        guard dependency.entries.allSatisfy({ known.contains($0.key.string ?? "") }) else { return nil }
        func text(_ key: String) -> String? { dependency[key]?.resolved.string }
        var fields: [String] = []
        fields.append("\"name\":" + goString(text("name") ?? ""))
        if let version = text("version"), !version.isEmpty { fields.append("\"version\":" + goString(version)) }
        fields.append("\"repository\":" + goString(text("repository") ?? ""))
        if let condition = text("condition"), !condition.isEmpty { fields.append("\"condition\":" + goString(condition)) }
        if let tags = dependency["tags"]?.resolved {
            guard tags.isSequence else { return nil }
            let values = tags.items.compactMap { $0.resolved.string }
            guard values.count == tags.items.count else { return nil }
            if !values.isEmpty { fields.append("\"tags\":[" + values.map(goString).joined(separator: ",") + "]") }
        }
        if let enabled = dependency["enabled"]?.resolved {
            guard enabled.scalarType == .bool else { return nil }
            if enabled.string == "true" { fields.append("\"enabled\":true") }
        }
        if let imports = dependency["import-values"]?.resolved {
            guard imports.isSequence else { return nil }
            var values: [String] = []
            for item in imports.items.map(\.resolved) {
                if let value = item.string, item.isScalar {
                    values.append(goString(value))
                } else if item.isMapping {
                    // Go marshals map[string]interface{} with sorted keys.
                    let pairs = item.entries.compactMap { entry -> (String, String)? in
                        guard let key = entry.key.string, let value = entry.value.resolved.string else { return nil }
                        return (key, value)
                    }
                    guard pairs.count == item.entries.count else { return nil }
                    values.append("{" + pairs.sorted { $0.0 < $1.0 }.map { goString($0.0) + ":" + goString($0.1) }.joined(separator: ",") + "}")
                } else {
                    return nil
                }
            }
            if !values.isEmpty { fields.append("\"import-values\":[" + values.joined(separator: ",") + "]") }
        }
        if let alias = text("alias"), !alias.isEmpty { fields.append("\"alias\":" + goString(alias)) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A string as Go's encoding/json writes it (HTML-safe escaping included).
    static func goString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hex4(scalar.value)
            default:
                out += scalar.value < 0x20 ? "\\u" + hex4(scalar.value) : String(scalar)
            }
        }
        return out + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }
}

/// Keeps each chart's Chart.lock in step with its Chart.yaml after an edit: the locked
/// versions were set by the chart edit itself; here the digest is recomputed and set.
enum ChartLockRefresh {
    static func refresh(_ files: inout [FileChange], changes: inout [Change], tree: any EditableTree, sha256: SHA256Hex?, limits: YAMLLimits) throws(EditError) -> [EditWarning] {
        var directories = Set<String>()
        for change in files where change.path.hasSuffix("Chart.yaml") || change.path.hasSuffix("Chart.lock") {
            let name = change.path.split(separator: "/").last.map(String.init) ?? ""
            guard name == "Chart.yaml" || name == "Chart.lock" else { continue }
            directories.insert(String(change.path.dropLast(name.count)))
        }
        var warnings: [EditWarning] = []
        for directory in directories.sorted() {
            let lockPath = directory + "Chart.lock"
            let chartPath = directory + "Chart.yaml"
            func current(_ path: String) throws(EditError) -> [UInt8]? {
                if let change = files.first(where: { $0.path == path }) { return change.edited }
                do { return try tree.read(path, limit: limits.maxBytes) } catch { if case .notFound = error { return nil } else { throw error } }
            }
            guard let lockBytes = try current(lockPath), let chartBytes = try current(chartPath) else { continue }
            let lock: YAMLFile
            let chart: YAMLFile
            do {
                lock = try YAMLFile.parse(lockBytes, path: lockPath, limits: limits)
                chart = try YAMLFile.parse(chartBytes, path: chartPath, limits: limits)
            } catch {
                throw .yaml(error)
            }
            guard let digestNode = lock.documents.first?.root.resolved["digest"]?.resolved else { continue }
            guard let sha256, let digest = HelmLockDigest.compute(chart: chart, lock: lock, sha256: sha256) else {
                warnings.append(EditWarning(file: lockPath, line: digestNode.location.line,
                                            message: "digest is stale; run `helm dependency update \(directory.isEmpty ? "." : String(directory.dropLast()))`"))
                continue
            }
            guard digestNode.string != digest else { continue }
            let edited: [UInt8]
            do { edited = try lock.applying([try digestNode.replacing(with: digest)]) } catch { throw .yaml(error) }
            changes.append(Change(kind: .chart, subject: "Chart.lock", file: lockPath, line: digestNode.location.line,
                                  column: digestNode.location.column, field: "digest", from: digestNode.string, to: digest))
            let original = files.first(where: { $0.path == lockPath })?.original ?? lockBytes
            files.removeAll { $0.path == lockPath }
            files.append(FileChange(path: lockPath, original: original, edited: edited))
        }
        files.sort { $0.path < $1.path }
        return warnings
    }
}
