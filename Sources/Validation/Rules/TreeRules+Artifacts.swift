import Foundation

extension TreeRules {
    /// A Flux Kustomization reading an ExternalArtifact (Flux 2.7) builds a path inside it:
    /// when every ArtifactGenerator of that artifact in the tree copies only from this
    /// repository (its URL, or the bootstrap `flux-system` GitRepository) and none copies
    /// anything to that path, the path is missing. Generators
    /// that also copy from elsewhere, or discover folders by pattern, are not judged.
    func artifactPaths(urls: [String: [String]]) -> [Finding] {
        var listings: [String: [String]] = [:]
        return facts.fluxPaths.compactMap { reference in
            guard let source = reference.source, source.kind == "ExternalArtifact" else { return nil }
            let namespace = source.namespace ?? source.ownNamespace
            let generators = facts.generators.filter { generator in
                generator.artifacts[source.name] != nil && (namespace == nil || generator.namespace == nil || generator.namespace == namespace)
            }
            let repositoryURLs = urls[root(of: reference)] ?? []
            guard !generators.isEmpty, generators.allSatisfy({ generator in
                !generator.discoversFolders && (generator.artifacts[source.name] ?? []).allSatisfy { copy in
                    generator.sources[copy.alias].map { source in
                        // flux-system is the bootstrap repository, whose objects may not be committed (gotk-sync.yaml).
                        source.kind == "GitRepository" && (source.name == "flux-system" || readsThisRepository(source, urls: repositoryURLs))
                    } ?? false
                }
            }) else { return nil }
            let root = root(of: reference)
            if listings[root] == nil { listings[root] = Self.files(under: root) }
            let copies = ArtifactCopies(rules: generators.flatMap { ($0.artifacts[source.name] ?? []).map(\.rule) })
            let folder = PathNormaliser.normalise(reference.path)
            if (listings[root] ?? []).contains(where: { copies.copies($0, under: folder == "." ? "" : folder) }) { return nil }
            let named = Array(Set(generators.map { "\($0.location)" })).sorted().joined(separator: ", ")
            return Finding(at: reference.location, rule: .fluxPathMissing,
                           message: "path \"\(reference.path)\" is empty in ExternalArtifact \(source.name): no copy rule of its ArtifactGenerators (\(named)) puts a file of this repository there",
                           resource: reference.label)
        }
    }

    /// Every regular file under `root`, relative to it; links are not followed, `.git` is skipped.
    static func files(under root: String) -> [String] {
        var found: [String] = []
        var pending = [""]
        while let relative = pending.popLast(), found.count < 1_000_000 {
            let directory = relative.isEmpty ? root : "\(root)/\(relative)"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name != ".git" {
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                var info = stat()
                guard lstat("\(root)/\(path)", &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: pending.append(path)
                case S_IFREG: found.append(path)
                default: continue
                }
            }
        }
        return found
    }
}
