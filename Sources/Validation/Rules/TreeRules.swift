import Foundation
import YAML

/// Rules that need the whole tree: duplicate resources, HelmRelease sources, and Flux and
/// Argo CD paths into this repository.
struct TreeRules {
    let facts: TreeFacts
    /// `--repo-root`: where every Flux and Argo CD path starts. Without it each path starts
    /// at the root of the repository holding the object that names it (`RepositoryRoots`),
    /// else at `fallbackRoot`.
    let explicitRoot: String?
    let fallbackRoot: String
    /// URLs that mean "this repository" wherever it is (--repo-url); each root's own
    /// remotes in its `.git/config` are added to them.
    let configuredURLs: [String]
    private let roots = RepositoryRoots()

    init(facts: TreeFacts, explicitRoot: String?, fallbackRoot: String, configuredURLs: [String]) {
        self.facts = facts
        self.explicitRoot = explicitRoot
        self.fallbackRoot = fallbackRoot
        self.configuredURLs = configuredURLs
    }

    func check() -> [Finding] {
        var urls: [String: [String]] = [:]
        for reference in facts.fluxPaths + facts.argoPaths {
            let root = root(of: reference)
            if urls[root] == nil { urls[root] = configuredURLs + Self.remoteURLs(repositoryRoot: root) }
        }
        return duplicates(urls: urls) + helmSources() + fluxPaths(urls: urls) + argoPaths(urls: urls)
    }

    /// The absolute root a path named in this object starts from.
    private func root(of reference: TreeFacts.PathRef) -> String {
        if let explicitRoot { return roots.absolute(explicitRoot) }
        return roots.root(ofDirectory: PathNormaliser.directory(of: reference.location.file)) ?? roots.absolute(fallbackRoot)
    }

    /// The absolute folder a path in this repository names.
    private func target(of reference: TreeFacts.PathRef) -> String {
        let relative = reference.path.hasPrefix("/") ? String(reference.path.dropFirst()) : reference.path
        return PathNormaliser.normalise("\(root(of: reference))/\(relative)")
    }

    /// Resources collide only when they would be applied together: in one kustomization;
    /// outside any, under one Flux Kustomization path or Argo CD Application source of
    /// this repository; outside those, in one folder (what `kubectl apply -f DIR` applies).
    /// Sibling folders (environments, clusters, examples) are never applied together
    /// unless a reconciler path or a kustomization takes them both.
    private func duplicates(urls: [String: [String]]) -> [Finding] {
        var recursivePaths = Set<String>()
        var folderPaths = Set<String>()
        for reference in facts.fluxPaths {
            guard let source = reference.source, source.kind == "GitRepository",
                  readsThisRepository(source, urls: urls[root(of: reference)] ?? []) else { continue }
            recursivePaths.insert(target(of: reference))
        }
        for reference in facts.argoPaths {
            guard let url = reference.repoURL, (urls[root(of: reference)] ?? []).contains(where: { Self.sameRepository($0, url) }) else { continue }
            if reference.recursive { recursivePaths.insert(target(of: reference)) } else { folderPaths.insert(target(of: reference)) }
        }
        var unitOfDirectory: [String: String] = [:]
        func unit(_ identity: TreeFacts.Identity) -> String {
            if let kustomization = identity.kustomization { return "k:" + roots.absolute(kustomization) }
            let raw = PathNormaliser.directory(of: identity.location.file)
            if let known = unitOfDirectory[raw] { return known }
            let own = roots.absolute(raw)
            var found = folderPaths.contains(own) ? "p:" + own : "d:" + own
            var directory = own
            while true {
                if recursivePaths.contains(directory) {
                    found = "p:" + directory
                    break
                }
                guard directory != "/" else { break }
                directory = PathNormaliser.directory(of: directory)
            }
            unitOfDirectory[raw] = found
            return found
        }
        var first: [String: TreeFacts.Identity] = [:]
        var findings: [Finding] = []
        for identity in facts.identities {
            let key = [unit(identity), identity.group, identity.kind, identity.namespace, identity.name].joined(separator: "\u{1F}")
            if let earlier = first[key] {
                findings.append(Finding(at: identity.location, rule: .duplicateResource,
                                        message: "\(identity.label) is already defined at \(earlier.location)", resource: identity.label))
            } else {
                first[key] = identity
            }
        }
        return findings
    }

    private func helmSources() -> [Finding] {
        facts.helmReleaseSources.compactMap { reference in
            let namespace = reference.namespace ?? reference.ownNamespace
            let defined = facts.definedSources.contains { source in
                source.kind == reference.kind && source.name == reference.name
                    && (namespace == nil || source.namespace == nil || source.namespace == namespace)
            }
            if defined { return nil }
            return Finding(at: reference.location, rule: .helmSourceMissing,
                           message: "sourceRef \(reference.kind)/\(reference.name) is not defined anywhere in the validated tree",
                           resource: reference.label)
        }
    }

    private func fluxPaths(urls: [String: [String]]) -> [Finding] {
        facts.fluxPaths.compactMap { reference in
            guard let source = reference.source, source.kind == "GitRepository",
                  readsThisRepository(source, urls: urls[root(of: reference)] ?? []) else { return nil }
            return missingDirectory(reference, rule: .fluxPathMissing)
        }
    }

    private func argoPaths(urls: [String: [String]]) -> [Finding] {
        facts.argoPaths.compactMap { reference in
            guard let url = reference.repoURL, (urls[root(of: reference)] ?? []).contains(where: { Self.sameRepository($0, url) }) else { return nil }
            return missingDirectory(reference, rule: .argoPathMissing)
        }
    }

    /// A Flux source reads this repository when it is the bootstrap `flux-system`
    /// GitRepository or its URL is one of this repository's URLs.
    private func readsThisRepository(_ source: TreeFacts.SourceRef, urls: [String]) -> Bool {
        let repository = facts.gitRepositories.first { $0.name == source.name && (source.namespace == nil || $0.namespace == source.namespace) }
        if let repository, urls.contains(where: { Self.sameRepository($0, repository.url) }) { return true }
        return source.name == "flux-system" && repository != nil
    }

    private func missingDirectory(_ reference: TreeFacts.PathRef, rule: RuleID) -> Finding? {
        let full = target(of: reference)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue { return nil }
        return Finding(at: reference.location, rule: rule,
                       message: "path \"\(reference.path)\" is not a directory in this repository (\(root(of: reference)))",
                       resource: reference.label)
    }

    /// Compares Git URLs loosely: scheme, user, `.git` suffix, trailing slash and case of
    /// the host do not matter; `git@host:owner/repo` equals `https://host/owner/repo`.
    static func sameRepository(_ a: String, _ b: String) -> Bool {
        normalise(a) == normalise(b)
    }

    static func normalise(_ url: String) -> String {
        var text = url.trimmingCharacters(in: .whitespaces)
        if let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
        if let at = text.firstIndex(of: "@"), !text[..<at].contains("/") { text = String(text[text.index(after: at)...]) }
        if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") {
            let after = text[text.index(after: colon)...]
            if !(after.first?.isNumber ?? false) { text = text[..<colon] + "/" + after }
        }
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix(".git") { text.removeLast(4) }
        return text.lowercased()
    }

    /// The `url` of every remote in `<root>/.git/config`, read as text (no git involved).
    static func remoteURLs(repositoryRoot: String) -> [String] {
        var gitDirectory = "\(repositoryRoot)/.git"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: gitDirectory, isDirectory: &isDirectory) else { return [] }
        if !isDirectory.boolValue {
            // A worktree or submodule: `.git` is a file saying `gitdir: <path>`; remotes live in the common dir.
            guard let data = FileManager.default.contents(atPath: gitDirectory),
                  let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first(where: { $0.hasPrefix("gitdir:") }) else { return [] }
            var target = line.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespaces)
            if !target.hasPrefix("/") { target = "\(repositoryRoot)/\(target)" }
            if let common = FileManager.default.contents(atPath: "\(target)/commondir") {
                let relative = String(decoding: common, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                target = relative.hasPrefix("/") ? relative : "\(target)/\(relative)"
            }
            gitDirectory = target
        }
        guard let data = FileManager.default.contents(atPath: "\(gitDirectory)/config") else { return [] }
        var urls: [String] = []
        var inRemote = false
        for raw in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") { inRemote = line.hasPrefix("[remote ") ; continue }
            guard inRemote, let equals = line.firstIndex(of: "="), line[..<equals].trimmingCharacters(in: .whitespaces) == "url" else { continue }
            urls.append(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
        }
        return urls
    }
}
