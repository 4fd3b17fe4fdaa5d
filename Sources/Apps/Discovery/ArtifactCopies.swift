import Validation

/// The copy rules of one Flux ArtifactGenerator artifact that read this repository: which
/// repository file lands where in the ExternalArtifact. Semantics as source-watcher
/// documents them (`cp`-like): `@src/dir/**` copies the contents of `dir`, `@src/dir/`
/// copies `dir` itself as a subfolder, a glob copies what it matches relative to its
/// non-glob prefix, a file is copied to a file or into a folder; `exclude` patterns match
/// the path from the source root or from the non-glob prefix, or (without `/`) the name.
struct ArtifactCopies: Sendable {
    struct Rule: Sendable {
        /// Repository-relative pattern (the `@alias/` stripped).
        let from: String
        /// Artifact-relative destination ("" for the artifact root); a trailing `/` means a folder.
        let to: String
        let excludes: [Glob]
        let excludedNames: [Glob]
        private let pattern: Glob

        init(from: String, to: String, excludes: [String]) {
            self.from = from
            self.to = to
            self.pattern = Glob(from)
            self.excludes = excludes.filter { $0.contains("/") }.map(Glob.init)
            self.excludedNames = excludes.filter { !$0.contains("/") }.map(Glob.init)
        }

        private var destinationFolder: String {
            var folder = to
            while folder.hasSuffix("/") { folder.removeLast() }
            return folder
        }

        private static func isGlob(_ text: Substring) -> Bool {
            text.contains { "*?[{".contains($0) }
        }

        /// `from` up to its first component holding a glob character.
        private var literalPrefix: String {
            let components = from.split(separator: "/", omittingEmptySubsequences: true)
            return components.prefix { !Self.isGlob($0) }.joined(separator: "/")
        }

        private var hasGlob: Bool { Self.isGlob(Substring(from)) }

        private func excluded(_ path: String, relative: String) -> Bool {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return excludes.contains { $0.matches(path) || $0.matches(relative) } || excludedNames.contains { $0.matches(name) }
        }

        private static func join(_ folder: String, _ rest: String) -> String {
            folder.isEmpty ? rest : rest.isEmpty ? folder : "\(folder)/\(rest)"
        }

        private static func below(_ path: String, _ folder: String) -> String? {
            if folder.isEmpty { return path }
            return path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : nil
        }

        /// Where `path` (repository-relative) lands in the artifact, or nil when this rule does not copy it.
        func artifactPath(of path: String) -> String? {
            if hasGlob {
                let prefix = literalPrefix
                guard pattern.matches(path), let relative = Self.below(path, prefix), !excluded(path, relative: relative) else { return nil }
                return Self.join(destinationFolder, relative)
            }
            let source = from.hasSuffix("/") ? String(from.dropLast()) : from
            let name = source.split(separator: "/").last.map(String.init) ?? source
            if path == source {
                guard !excluded(path, relative: name) else { return nil }
                return to.hasSuffix("/") || to.isEmpty ? Self.join(destinationFolder, name) : to
            }
            guard let relative = Self.below(path, source), !excluded(path, relative: relative) else { return nil }
            // A folder is copied as a subfolder into a destination folder, or becomes the destination.
            let base = to.hasSuffix("/") || to.isEmpty ? Self.join(destinationFolder, name) : destinationFolder
            return Self.join(base, relative)
        }

        /// The repository folder whose contents this rule puts at artifact folder `folder`, if it copies a folder whole.
        func repositoryFolder(of folder: String) -> String? {
            if hasGlob {
                guard from.hasSuffix("/**"), String(from.dropLast(3)) == literalPrefix,
                      let rest = Self.below(folder, destinationFolder) ?? (folder == destinationFolder ? "" : nil) else { return nil }
                return Self.join(literalPrefix, rest)
            }
            guard from.hasSuffix("/") || !to.hasSuffix("/") else { return nil }
            let source = from.hasSuffix("/") ? String(from.dropLast()) : from
            let name = source.split(separator: "/").last.map(String.init) ?? source
            let base = to.hasSuffix("/") || to.isEmpty ? Self.join(destinationFolder, name) : destinationFolder
            guard let rest = folder == base ? "" : Self.below(folder, base) else { return nil }
            return Self.join(source, rest)
        }
    }

    let rules: [Rule]

    /// Every place `path` lands in the artifact (later rules overwrite earlier ones at the same place).
    func artifactPaths(of path: String) -> [String] {
        rules.compactMap { $0.artifactPath(of: path) }
    }

    /// Whether `path` is copied into the artifact under `folder` ("" for the whole artifact).
    func copies(_ path: String, under folder: String) -> Bool {
        artifactPaths(of: path).contains { folder.isEmpty || $0 == folder || $0.hasPrefix(folder + "/") }
    }
}
