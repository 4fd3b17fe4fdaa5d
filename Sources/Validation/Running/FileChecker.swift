import Foundation
import YAML

/// Checks one file: parses it, validates each resource against its schema, runs the
/// per-resource rules and collects the facts the cross-file rules need.
struct FileChecker: Sendable {
    let registry: SchemaRegistry
    let options: ValidationOptions
    let kubernetesMinor: Int
    let patchFiles: Set<String>
    /// Files named on the command line (normalised): one that is not text is an error;
    /// a binary file met while walking a directory (git-crypt, images) is passed over.
    var namedFiles: Set<String> = []
    /// Shared across workers: which kustomization each directory belongs to.
    let units = UnitCache()

    struct Result: Sendable {
        var path = ""
        var skipped = false
        var resources = 0
        var valid = 0
        var invalid = 0
        var skippedResources = 0
        var findings: [Finding] = []
        var facts = TreeFacts()
    }

    func check(_ input: FileInput) -> Result {
        let path = input.path
        var result = Result(path: path)
        if case .disk = input, patchFiles.contains(PathNormaliser.normalise(path)) {
            result.skipped = true
            return result
        }
        let bytes: [UInt8]
        do {
            bytes = try input.read()
        } catch {
            result.findings.append(Finding(at: SourceLocation(file: path, line: 1, column: 1), rule: .yamlSyntax,
                                           message: "cannot be read: \(error.reason)"))
            result.resources = 1
            result.invalid = 1
            return result
        }
        let named: Bool = if case .disk = input { namedFiles.contains(PathNormaliser.normalise(path)) } else { false }
        if let nul = named ? bytes.firstIndex(of: 0) : bytes.prefix(8000).firstIndex(of: 0) {
            guard named else {  // binary, met while walking a directory
                result.skipped = true
                return result
            }
            result.findings.append(Finding(at: Self.location(of: nul, in: bytes, file: path), rule: .yamlSyntax,
                                           message: "is not a text file: it holds a NUL byte"))
            result.resources = 1
            result.invalid = 1
            return result
        }
        let file: YAMLFile
        do {
            file = try YAMLFile.parse(bytes, path: path)
        } catch {
            let location: SourceLocation = switch error {
            case let .syntax(at, _, _), let .unknownAlias(at, _), let .tooDeep(at, _): at
            default: SourceLocation(file: path, line: 1, column: 1)
            }
            result.findings.append(Finding(at: location, rule: .yamlSyntax, message: Self.syntaxMessage(error)))
            result.resources = 1
            result.invalid = 1
            return result
        }
        let isKustomization = KustomizationReferences.isKustomizationFile(path)
        let documents = file.documents.map { $0.root.resolved }
        // A file none of whose documents has apiVersion or kind is not Kubernetes (values,
        // CI or tool configuration): skipped, not reported.
        let looksLikeKubernetes = documents.contains { $0.isMapping && ($0["apiVersion"] != nil || $0["kind"] != nil) }
        if !looksLikeKubernetes && !isKustomization {
            result.skipped = true
            return result
        }
        let unit = units.kustomization(above: path)
        let mayHoldNonFinite = DocumentScans.mentionsNonFinite(bytes)
        let mayHoldAliases = bytes.contains(UInt8(ascii: "*"))
        for root in documents {
            if mayHoldAliases, AliasExpansion.isExcessive(root) {
                result.resources += 1
                result.invalid += 1
                result.findings.append(Finding(at: root.location, rule: .yamlSyntax,
                                               message: "document contains excessive aliasing (expands to more than \(AliasExpansion.limit) nodes)"))
                continue
            }
            if isKustomization && root.isMapping {
                result.findings += KustomizationReferences.check(root, file: path)
                if root["kind"] == nil { continue }
            }
            if root.isScalar && InstanceScalar(root) == .null { continue }  // empty document
            checkDocument(root, unit: unit, mayHoldNonFinite: mayHoldNonFinite, into: &result)
        }
        return result
    }

    private func checkDocument(_ root: Node, unit: String?, mayHoldNonFinite: Bool, into result: inout Result) {
        guard let resource = Resource(root) else {
            result.resources += 1
            result.invalid += 1
            let what = !root.isMapping ? "is not a mapping" : root["kind"] == nil ? "has no kind" : "has no apiVersion"
            let kind = root.isMapping ? root["kind"]?.resolved.string : nil
            let name = root.isMapping ? root["metadata"]?.resolved["name"]?.resolved.string : nil
            result.findings.append(Finding(at: root.location, rule: .notAResource, message: "document \(what), so it is not a Kubernetes resource",
                                           resource: kind.map { [$0, name ?? "(unnamed)"].joined(separator: "/") }))
            return
        }
        if resource.kind.hasSuffix("List"), resource.apiVersion == "v1", let items = root["items"]?.resolved, items.isSequence {
            for item in items.items { checkDocument(item.resolved, unit: unit, mayHoldNonFinite: mayHoldNonFinite, into: &result) }
            return
        }
        result.resources += 1
        var findings: [Finding] = []
        var verdictIsInvalid = false
        // JSON has no infinity or NaN: Kubernetes refuses the whole object (sigs.k8s.io/yaml fails to convert it).
        var nonFinite = Set<SourceLocation>()
        if mayHoldNonFinite {
            for node in DocumentScans.nonFiniteNumbers(in: root) {
                nonFinite.insert(node.location)
                findings.append(Finding(at: node.location, rule: .schema, message: "\(node.pathDescription): \(node.string ?? "") is not a JSON number; Kubernetes rejects .inf and .nan",
                                        resource: resource.label))
                verdictIsInvalid = true
            }
        }
        // The API server reads metadata as ObjectMeta even when a CRD's schema says only `type: object`.
        if !registry.isBuiltIn(resource.gvk), let metadata = root["metadata"]?.resolved, metadata.isMapping {
            for field in ["name", "namespace", "generateName"] {
                guard let value = metadata[field]?.resolved, !(value.isScalar && [.string, .null].contains(InstanceScalar(value))) else { continue }
                findings.append(Finding(at: value.location, rule: .schema, message: "metadata.\(field): expected string", resource: resource.label))
                verdictIsInvalid = true
            }
        }
        if options.strict || options.rules.isOn(.duplicateKey) {
            let duplicates = DocumentScans.duplicateKeys(in: root)
            for key in duplicates {
                findings.append(Finding(at: key.location, rule: .duplicateKey, severity: options.strict ? .error : nil,
                                        message: "key \"\(key.string ?? "")\" repeats an earlier key of the same mapping",
                                        resource: resource.label))
            }
            if options.strict && !duplicates.isEmpty { verdictIsInvalid = true }
        }
        let gvk = resource.gvk
        if options.skipKinds.contains(gvk.kind) || options.skipKinds.contains("\(gvk.apiVersion)/\(gvk.kind)") {
            result.skippedResources += 1
        } else {
            do {
                if var violations = try registry.validate(root, as: gvk) {
                    if root["sops"] != nil { violations.removeAll(where: Self.isSOPSArtifact) }
                    if !nonFinite.isEmpty { violations.removeAll { nonFinite.contains($0.location) } }
                    for violation in violations {
                        findings.append(Finding(at: violation.location, rule: .schema, message: Self.phrase(violation),
                                                schemaPath: violation.schemaPath, resource: resource.label, path: violation.path))
                    }
                    if !violations.isEmpty { verdictIsInvalid = true }
                    if verdictIsInvalid { result.invalid += 1 } else { result.valid += 1 }
                } else if let unknown = unknownKind(gvk, at: root, resource: resource) {
                    result.invalid += 1
                    findings.append(unknown)
                } else {
                    result.skippedResources += 1
                    findings.append(Finding(at: (root.keyNode("kind") ?? root).location, rule: .schemaMissing,
                                            message: "no schema for \(gvk) (bundled Kubernetes \(registry.kubernetesVersion), bundled CRDs, CRDs in the tree)",
                                            resource: resource.label))
                }
            } catch {
                result.invalid += 1
                findings.append(Finding(at: root.location, rule: .schema, message: "its schema cannot be used: \(error)", resource: resource.label))
            }
        }
        findings += ResourceRules.check(resource, kubernetesMinor: kubernetesMinor)
        result.findings += findings
        result.facts.record(resource, kustomization: unit)
    }

    /// A kind the release does not serve under a built-in Kubernetes group/version
    /// (`apps/v1` `Deploymnet`): the API server rejects it, so it is an error, with the
    /// closest served kind when one is near. Kinds of removed apiVersions are left to
    /// removed-api, `…List` kinds of served kinds to schema-missing.
    private func unknownKind(_ gvk: GroupVersionKind, at root: Node, resource: Resource) -> Finding? {
        let served = registry.builtInKinds(apiVersion: gvk.apiVersion)
        guard !served.isEmpty else { return nil }
        if let entry = APIVersionTable.entry(apiVersion: gvk.apiVersion, kind: gvk.kind), entry.removedIn != nil { return nil }
        if gvk.kind == "List" || (gvk.kind.hasSuffix("List") && served.contains(String(gvk.kind.dropLast(4)))) { return nil }
        let hint = InstanceValidator.closest(to: gvk.kind, in: served).map { " (did you mean \($0)?)" } ?? ""
        return Finding(at: (root["kind"] ?? root).location, rule: .unknownKind,
                       message: "Kubernetes \(registry.kubernetesVersion) serves no kind \(gvk.kind) under \(gvk.apiVersion)\(hint)",
                       resource: resource.label)
    }

    /// SOPS adds a top-level `sops` block and replaces values with `ENC[...]` strings;
    /// neither is a fault of the manifest (kubeconform #98).
    private static func isSOPSArtifact(_ violation: SchemaViolation) -> Bool {
        violation.instancePath == "sops" || violation.instancePath.hasPrefix("sops.") || violation.message.contains("string \"ENC[")
    }

    private static func phrase(_ violation: SchemaViolation) -> String {
        violation.instancePath.isEmpty ? violation.message : "\(violation.instancePath): \(violation.message)"
    }

    /// Line and column (in characters, as libyaml counts them) of a byte offset.
    private static func location(of offset: Int, in bytes: [UInt8], file: String) -> SourceLocation {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let column = bytes[lineStart..<max(lineStart, min(offset, bytes.count))].reduce(1) { $0 + (($1 & 0xC0) == 0x80 ? 0 : 1) }
        return SourceLocation(file: file, line: line, column: column)
    }

    /// The parser's reason without its place: the finding prints `file:line:column` itself.
    private static func syntaxMessage(_ error: YAMLError) -> String { error.reason }
}
