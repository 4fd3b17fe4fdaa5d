import Foundation
import YAML

/// Rules that need the whole tree: duplicate resources, HelmRelease sources, and Flux and
/// Argo CD paths into this repository.
struct TreeRules {
    let facts: TreeFacts
    /// The repository's root on disk (paths in Flux Kustomizations and Argo CD apps are relative to it).
    let repositoryRoot: String
    /// URLs that mean "this repository": --repo-url and the origin remote in .git/config.
    let repositoryURLs: [String]

    func check() -> [Finding] {
        duplicates() + helmSources() + fluxPaths() + argoPaths()
    }

    /// Resources collide when they would be applied together: in the same kustomization;
    /// outside any, under the same Flux Kustomization or Argo CD Application path; outside
    /// those, anywhere in the tree.
    private func duplicates() -> [Finding] {
        let deployedPaths = Set((facts.fluxPaths + facts.argoPaths).map { reference in
            PathNormaliser.normalise("\(repositoryRoot)/\(reference.path)")
        })
        var unitOfDirectory: [String: String] = [:]
        func unit(_ identity: TreeFacts.Identity) -> String {
            if let kustomization = identity.kustomization { return "k:" + PathNormaliser.normalise(kustomization) }
            let raw = PathNormaliser.directory(of: identity.location.file)
            if let known = unitOfDirectory[raw] { return known }
            var directory = raw
            var found = "tree"
            while true {
                if deployedPaths.contains(directory) {
                    found = "p:" + directory
                    break
                }
                guard directory != ".", directory != "/" else { break }
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

    private func fluxPaths() -> [Finding] {
        facts.fluxPaths.compactMap { reference in
            guard let source = reference.source, source.kind == "GitRepository", readsThisRepository(source) else { return nil }
            return missingDirectory(reference, rule: .fluxPathMissing)
        }
    }

    private func argoPaths() -> [Finding] {
        facts.argoPaths.compactMap { reference in
            guard let url = reference.repoURL, repositoryURLs.contains(where: { Self.sameRepository($0, url) }) else { return nil }
            return missingDirectory(reference, rule: .argoPathMissing)
        }
    }

    /// A Flux source reads this repository when it is the bootstrap `flux-system`
    /// GitRepository or its URL is one of this repository's URLs.
    private func readsThisRepository(_ source: TreeFacts.SourceRef) -> Bool {
        let repository = facts.gitRepositories.first { $0.name == source.name && (source.namespace == nil || $0.namespace == source.namespace) }
        if let repository, repositoryURLs.contains(where: { Self.sameRepository($0, repository.url) }) { return true }
        return source.name == "flux-system" && repository != nil
    }

    private func missingDirectory(_ reference: TreeFacts.PathRef, rule: RuleID) -> Finding? {
        let relative = reference.path.hasPrefix("/") ? String(reference.path.dropFirst()) : reference.path
        let full = relative.isEmpty || relative == "." || relative == "./" ? repositoryRoot : "\(repositoryRoot)/\(relative)"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue { return nil }
        return Finding(at: reference.location, rule: rule,
                       message: "path \"\(reference.path)\" is not a directory in this repository (\(repositoryRoot))",
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
