import Validation
import YAML

/// An ApplicationSet as linked apps: the set itself (tied to its definition and to the
/// files its git generators match, so added and removed generator files count) and one
/// Application per parameter set its generators give offline.
struct ApplicationSetBuilder {
    let tree: ReleaseTree
    let argo: ArgoAppBuilder
    let isThisRepository: (String?) -> Bool

    func apps(_ found: ReconcilerObjects.Found) throws(AppsError) -> [LinkedApp] {
        let resource = found.resource
        let name = resource.name ?? "(unnamed)"
        let generators = resource.value("spec.generators")?.items ?? []
        let template = resource.value("spec.template")
        var setTies = [Tie(rule: .file(found.file), reason: .definition)]
        var generated: [LinkedApp] = []
        var dependencies: [String] = []
        var producedBy: [String] = []
        let expansion = GeneratorExpansion(tree: tree, isThisRepository: isThisRepository)
        for generator in generators {
            switch try expansion.expand(generator) {
            case let .dependsOn(what):
                dependencies.append(what)
            case let .expanded(sets):
                guard let template else { continue }
                for set in sets {
                    producedBy += [set.origin, set.directory].compactMap { $0 }
                    let render = GeneratorTemplate(parameters: set.values).render
                    var spec = ArgoAppSpec(object: template, render: render)
                    if spec.namespace == nil { spec.namespace = resource.namespace }
                    let extra = set.origin.map { [Tie(rule: .file($0), reason: .generatorFile)] } ?? []
                    generated.append(try argo.app(spec, definedIn: found.file, generatedBy: name, extraTies: extra))
                }
            }
        }
        let produced = Set(producedBy)
        for watched in generators.flatMap(GeneratorExpansion.watchedGlobs) {
            setTies.append(Tie(rule: .generatorPath(Glob(watched.pattern), pattern: watched.pattern, excludes: watched.excludes.map(Glob.init),
                                                    directories: watched.directories, produced: produced),
                               reason: .generatorFile))
        }
        let note = dependencies.isEmpty ? nil : "depends on " + dependencies.joined(separator: ", ")
        var setSources = generators.flatMap(GeneratorExpansion.watchedGlobs).map { "\($0.directories ? "directories" : "files") \($0.pattern)" }
        if let template {
            let raw = ArgoAppSpec(object: template, render: { $0 })
            setSources += raw.sources.compactMap { $0.path ?? $0.chart }
            if !dependencies.isEmpty {
                // Apps the cluster decides: tie what the raw template names, so their changes still show.
                var spec = raw
                if spec.namespace == nil { spec.namespace = resource.namespace }
                let templated = try argo.app(spec, definedIn: found.file, generatedBy: name)
                setTies += templated.ties.filter { $0.reason != .definition }
            }
        }
        let set = LinkedApp(kind: .argoApplicationSet, name: name, namespace: resource.namespace, project: template.flatMap {
            ArgoAppSpec(object: $0, render: { $0 }).project
        }, cluster: dependencies.contains("cluster list") ? "depends on cluster list" : nil, definedIn: found.file,
        sources: setSources, note: note, ties: setTies)
        return [set] + generated
    }
}
