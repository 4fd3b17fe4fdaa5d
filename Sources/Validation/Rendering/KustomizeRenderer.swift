import Foundation
import YAML

/// Renders each kustomization with `kustomize build` (or `kubectl kustomize`) and
/// validates the output. A finding in the output is mapped back to the source: the
/// overlay's patches first, then the resources it includes, looking for the same kind and
/// name and the same field; when no source holds the field it points at the
/// kustomization file itself.
struct KustomizeRenderer {
    let checker: FileChecker
    /// `tool()`'s answer, found before the run; nil only with --render-optional.
    let tool: [String]?

    /// The renderer on PATH: kustomize first, then kubectl.
    static func tool() -> [String]? {
        if let kustomize = ExternalTool.find("kustomize") { return [kustomize, "build"] }
        if let kubectl = ExternalTool.find("kubectl") { return [kubectl, "kustomize"] }
        return nil
    }

    func render(_ kustomizations: [String]) -> RenderOutcome {
        var outcome = RenderOutcome()
        guard !kustomizations.isEmpty else { return outcome }
        guard let tool else {
            outcome.notes.append("--kustomize: neither kustomize nor kubectl is installed; overlays were not rendered")
            return outcome
        }
        for file in kustomizations {
            let directory = PathNormaliser.parent(of: file)
            let overlay = SourceLocation(file: file, line: 1, column: 1)
            let run = ExternalTool.run(tool + [directory.isEmpty ? "." : directory])
            guard run.status == 0 else {
                let message = run.standardError.split(separator: "\n").last(where: { !$0.isEmpty }).map(String.init) ?? "exit status \(run.status)"
                outcome.findings.append(Finding(at: overlay, rule: .renderFailed, message: "\(tool.joined(separator: " ")) failed: \(message)"))
                continue
            }
            let rendered = checker.check(.memory(path: "\(file) (rendered)", bytes: Array(run.standardOutput.utf8)))
            outcome.resources += rendered.resources
            outcome.valid += rendered.valid
            outcome.invalid += rendered.invalid
            let sources = RenderSources(kustomization: file)
            for finding in rendered.findings where finding.rule == RuleID.schema.rawValue {
                let target = sources.locate(resource: finding.resource, path: finding.path ?? []) ?? overlay
                outcome.findings.append(Finding(at: target, rule: .schema,
                                                message: "\(finding.message) (in the output of \(file))",
                                                schemaPath: finding.schemaPath, resource: finding.resource, path: finding.path))
            }
        }
        return outcome
    }
}

/// The source documents an overlay is built from: its patch files, then the files and
/// directories its resources and components name, followed recursively.
struct RenderSources {
    private var patches: [Node] = []
    private var resources: [Node] = []

    init(kustomization: String) {
        var visited = Set<String>()
        collect(kustomization, visited: &visited, depth: 0)
    }

    private mutating func collect(_ kustomization: String, visited: inout Set<String>, depth: Int) {
        guard depth < 16, visited.insert(PathNormaliser.normalise(kustomization)).inserted,
              let root = Self.documents(kustomization).first else { return }
        let directory = PathNormaliser.parent(of: kustomization)
        for reference in KustomizationReferences.references(in: root) where !KustomizationReferences.isRemote(reference.path) {
            let full = directory.isEmpty ? reference.path : "\(directory)/\(reference.path)"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                for name in ["kustomization.yaml", "kustomization.yml", "Kustomization"]
                where FileManager.default.fileExists(atPath: "\(full)/\(name)") {
                    collect("\(full)/\(name)", visited: &visited, depth: depth + 1)
                    break
                }
            } else if reference.isPatch {
                patches += Self.documents(full)
            } else {
                resources += Self.documents(full)
            }
        }
    }

    private static func documents(_ path: String) -> [Node] {
        guard let data = FileManager.default.contents(atPath: path),
              let file = try? YAMLFile.parse([UInt8](data), path: path) else { return [] }
        return file.documents.map { $0.root.resolved }.filter(\.isMapping)
    }

    /// Where `path` of the resource labelled `Kind/namespace/name` is written in a source.
    func locate(resource label: String?, path: [String]) -> SourceLocation? {
        guard let label else { return nil }
        let parts = label.split(separator: "/").map(String.init)
        guard let kind = parts.first, let name = parts.last else { return nil }
        for document in patches + resources where document["kind"]?.resolved.string == kind {
            let sourceName = document["metadata"]?.resolved["name"]?.resolved.string ?? ""
            // Overlays may add a namePrefix or nameSuffix.
            guard !sourceName.isEmpty, name.contains(sourceName) else { continue }
            if let node = document.descendant(path) { return node.location }
        }
        return nil
    }
}
