import Foundation
import YAML

/// Finds and compiles the schema for each group/version/kind, once per run, from (in this
/// order) CRDs given with `--crd` or found in the tree, `--schema-dir` folders, the bundled
/// Kubernetes release, and the bundled GitOps CRDs. Safe to call from many threads; the
/// lock is held only while a schema is looked up or compiled for the first time.
public final class SchemaRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private let bundle: SchemaBundle
    private let release: SchemaBundle.Release
    private let strict: Bool
    private let schemaDirectories: [String]
    private let releaseCompiler: SchemaCompiler
    private var customResources: [GroupVersionKind: Schema] = [:]
    private var cache: [GroupVersionKind: Schema?] = [:]
    private let builtInKindsByAPIVersion: [String: [String]]

    /// The Kubernetes release schemas are taken from, as `1.37.0`.
    public var kubernetesVersion: String { release.version }

    public init(kubernetesVersion: String?, strict: Bool, schemaDirectories: [String]) throws(SchemaError) {
        bundle = try SchemaBundle.shared.get()
        release = try bundle.release(kubernetesVersion)
        self.strict = strict
        self.schemaDirectories = schemaDirectories
        builtInKindsByAPIVersion = Dictionary(grouping: release.kinds.keys, by: \.apiVersion).mapValues { $0.map(\.kind).sorted() }
        let bundle = self.bundle
        let definitions = release.definitions
        releaseCompiler = SchemaCompiler(
            source: "Kubernetes \(release.version) schemas", options: .init(strict: strict, draft: release.draft), root: nil,
            definition: { (name: String) throws(SchemaError) -> JSONValue? in
                guard let index = definitions[name] else { return nil }
                return try bundle.body(index)
            })
    }

    /// Adds the schemas of a CustomResourceDefinition (every served version). Returns the
    /// kinds it defined; throws when its schema cannot be compiled.
    @discardableResult
    public func register(definition node: Node) throws(SchemaError) -> [GroupVersionKind] {
        let source = node.location.description
        guard !AliasExpansion.isExcessive(node) else {
            throw .unreadable(source: source, reason: "the CustomResourceDefinition contains excessive aliasing")
        }
        guard let spec = node["spec"]?.resolved, let group = spec["group"]?.string,
              let kind = spec["names"]?.resolved["kind"]?.string else {
            throw .unreadable(source: source, reason: "a CustomResourceDefinition needs spec.group and spec.names.kind")
        }
        var found: [(GroupVersionKind, JSONValue)] = []
        let legacySchema = spec["validation"]?.resolved["openAPIV3Schema"]
        for version in spec["versions"]?.resolved.items ?? [] {
            let version = version.resolved
            guard let name = version["name"]?.string, version["served"]?.string != "false" else { continue }
            if let schema = version["schema"]?.resolved["openAPIV3Schema"] ?? legacySchema {
                found.append((GroupVersionKind(group: group, version: name, kind: kind), JSONValue(node: schema)))
            }
        }
        if found.isEmpty, let name = spec["version"]?.string, let legacySchema {
            found.append((GroupVersionKind(group: group, version: name, kind: kind), JSONValue(node: legacySchema)))
        }
        var compiledSchemas: [(GroupVersionKind, Schema)] = []
        for (gvk, json) in found {
            let compiler = SchemaCompiler(source: source, options: .init(strict: strict, draft: ""), root: json)
            let schema = try compiler.compile(json, location: "\(kind.lowercased())_\(gvk.version)")
            schema.embeddedResource = true
            compiledSchemas.append((gvk, schema))
        }
        lock.withLock {
            for (gvk, schema) in compiledSchemas where customResources[gvk] == nil {
                customResources[gvk] = schema
                cache[gvk] = nil
            }
        }
        return compiledSchemas.map(\.0)
    }

    /// Whether `gvk` is a built-in Kubernetes kind of the chosen release.
    func isBuiltIn(_ gvk: GroupVersionKind) -> Bool { release.kinds[gvk] != nil }

    /// The kinds the chosen release serves under `apiVersion` (`apps/v1`, `v1`); empty when
    /// it is not a built-in group/version, so an unknown kind there can only be a CRD's.
    func builtInKinds(apiVersion: String) -> [String] { builtInKindsByAPIVersion[apiVersion] ?? [] }

    /// The schema for `gvk`, or nil when no source has one.
    func schema(for gvk: GroupVersionKind) throws(SchemaError) -> Schema? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[gvk] { return cached }
        let found = try locate(gvk)
        cache[gvk] = .some(found)
        return found
    }

    private func locate(_ gvk: GroupVersionKind) throws(SchemaError) -> Schema? {
        if let custom = customResources[gvk] { return custom }
        for directory in schemaDirectories where gvk.isKubernetesName {
            let name = "\(gvk.kind.lowercased())_\(gvk.version).json"
            for path in ["\(directory)/\(gvk.group)/\(name)", "\(directory)/\(name)"] where FileManager.default.fileExists(atPath: path) {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                let json = try JSONReader.parse([UInt8](data), source: path)
                let compiler = SchemaCompiler(source: path, options: .init(strict: strict, draft: json["$schema"]?.stringValue ?? ""),
                                              root: json, rootName: name.replacingOccurrences(of: ".json", with: ""))
                return try compiler.schema(at: "#")
            }
        }
        if let name = release.kinds[gvk] { return try releaseCompiler.schema(at: "#/$defs/\(name)") }
        if let index = bundle.crds[GroupVersionKind(group: gvk.group, version: gvk.version, kind: gvk.kind.lowercased())] {
            let json = try bundle.body(index)
            let compiler = SchemaCompiler(source: "bundled \(gvk.kind) schema",
                                          options: .init(strict: strict, draft: json["$schema"]?.stringValue ?? ""), root: json,
                                          rootName: "\(gvk.kind.lowercased())_\(gvk.version)")
            return try compiler.schema(at: "#")
        }
        return nil
    }

    /// Validates one resource's root node; nil when no schema is known for its kind.
    public func validate(_ node: Node, as gvk: GroupVersionKind) throws(SchemaError) -> [SchemaViolation]? {
        guard let schema = try schema(for: gvk) else { return nil }
        var validator = InstanceValidator()
        validator.check(node, schema)
        return validator.violations
    }
}
