import Foundation

/// Finds the files to validate under the given paths: YAML and JSON, minus what
/// `.gitignore` ignores, what --exclude names, Helm charts (templates are not YAML;
/// `--helm` renders them instead), CI configuration and values files.
///
/// Symbolic links met while walking are not followed, to directories (as kubeconform does:
/// no loops, no tree counted twice) or to files (a target inside the tree is validated
/// where it lives; one outside is not the tree's, and a hostile tree must not make Capstan
/// read and quote files elsewhere on the CI machine). A path named on the command line is
/// followed: the pipeline chose it.
public struct FileDiscovery {
    public var include: [Glob] = []
    public var exclude: [Glob] = []

    public init(include: [Glob] = [], exclude: [Glob] = []) {
        self.include = include
        self.exclude = exclude
    }

    /// What discovery found: files to read, and Helm chart directories it stepped over.
    public struct Result {
        public var files: [String] = []
        public var charts: [String] = []
        /// Entries (YAML or JSON by their name, or directories) whose names are not UTF-8,
        /// written with `\xNN` escapes: they cannot be read or named, and a reconciler would
        /// still apply them, so the run reports each as an error instead of passing it over.
        public var undecodableNames: [String] = []
        /// Files named on the command line (normalised): these are read whatever they hold,
        /// and one that is not text is an error, not passed over.
        public var named: Set<String> = []
    }

    private static let skippedDirectories: Set<String> = [".git", ".github", ".gitlab", "node_modules", ".terraform", ".idea", ".vscode"]
    private static let skippedNames: Set<String> = [
        "Chart.yaml", "Chart.lock", "values.yaml", "values.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml",
        "docker-compose.yml", "docker-compose.yaml", "mkdocs.yml", ".yamllint", ".yamllint.yaml", "renovate.json",
        "package.json", "tsconfig.json", "package-lock.json", ".travis.yml", "azure-pipelines.yml", "bitbucket-pipelines.yml",
        "codecov.yml", ".goreleaser.yml", ".goreleaser.yaml", "skaffold.yaml",
    ]

    /// Whether a file name is one the validator should never read as Kubernetes.
    static func isNonKubernetesName(_ name: String) -> Bool {
        if skippedNames.contains(name) { return true }
        if name.hasPrefix("values") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) { return true }
        if name.hasPrefix(".argocd-source") { return true }
        return false
    }

    public func discover(_ paths: [String]) -> Result {
        var result = Result()
        // Normalised, so a file named as `x/a.yaml` and reached again through `./x` is read once.
        var seen = Set<String>()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                result.files.append(path)  // reported as unreadable by the run
                result.named.insert(PathNormaliser.normalise(path))
                continue
            }
            if isDirectory.boolValue {
                let root = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
                walk(root: root, directory: root, relative: "", ignores: [], into: &result, seen: &seen)
            } else if seen.insert(PathNormaliser.normalise(path)).inserted {
                result.files.append(path)
                result.named.insert(PathNormaliser.normalise(path))
            }
        }
        return result
    }

    private func walk(root: String, directory: String, relative: String, ignores: [(String, GitIgnore)],
                      into result: inout Result, seen: inout Set<String>) {
        var ignores = ignores
        if let own = GitIgnore(directory: directory) { ignores.append((relative, own)) }
        guard let (names, undecodable) = Self.entries(of: directory) else { return }
        for name in undecodable {
            result.undecodableNames.append(directory == "." ? name : "\(directory)/\(name)")
        }
        if names.contains("Chart.yaml") {
            result.charts.append(directory)
            return
        }
        for name in names.sorted() {
            let path = directory == "." ? name : "\(directory)/\(name)"
            let childRelative = relative.isEmpty ? name : "\(relative)/\(name)"
            guard let entry = EntryType(path) else { continue }  // symlinks, sockets, FIFOs: never read
            let isDirectory = entry == .directory
            if Self.ignored(childRelative, isDirectory: isDirectory, by: ignores) { continue }
            if isDirectory {
                if Self.skippedDirectories.contains(name) { continue }
                if exclude.contains(where: { $0.matches(childRelative) || $0.matches(childRelative + "/") }) { continue }
                walk(root: root, directory: path, relative: childRelative, ignores: ignores, into: &result, seen: &seen)
                continue
            }
            guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.hasSuffix(".json"),
                  !Self.isNonKubernetesName(name) else { continue }
            if exclude.contains(where: { $0.matches(childRelative) }) { continue }
            if !include.isEmpty, !include.contains(where: { $0.matches(childRelative) }) { continue }
            if seen.insert(PathNormaliser.normalise(path)).inserted { result.files.append(path) }
        }
    }

    private static func ignored(_ relative: String, isDirectory: Bool, by ignores: [(String, GitIgnore)]) -> Bool {
        var verdict = false
        for (base, rules) in ignores {
            let local: String
            if base.isEmpty {
                local = relative
            } else if relative.hasPrefix(base + "/") {
                local = String(relative.dropFirst(base.count + 1))
            } else {
                continue
            }
            if let said = rules.verdict(relativePath: local, isDirectory: isDirectory) { verdict = said }
        }
        return verdict
    }

    /// What a directory entry is, from lstat(2) (links are not followed); nil for anything
    /// but a regular file or a directory.
    private enum EntryType {
        case file, directory

        init?(_ path: String) {
            var status = stat()
            guard lstat(path, &status) == 0 else { return nil }
            switch status.st_mode & S_IFMT {
            case S_IFREG: self = .file
            case S_IFDIR: self = .directory
            default: return nil
            }
        }
    }

    /// A directory's entries from readdir(3), as raw bytes: names that are UTF-8, and the
    /// escaped names of those that are not and would be validated (YAML or JSON files,
    /// directories). Foundation's listing mangles such names, which then name nothing.
    private static func entries(of directory: String) -> (names: [String], undecodable: [String])? {
        guard let handle = opendir(directory) else { return nil }
        defer { closedir(handle) }
        var names: [String] = []
        var undecodable: [String] = []
        while let entry = readdir(handle) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if bytes == Array(".".utf8) || bytes == Array("..".utf8) { continue }
            if let name = String(validating: bytes, as: UTF8.self) {
                names.append(name)
                continue
            }
            let kind = entry.pointee.d_type
            let looksValidated = [".yaml", ".yml", ".json"].contains { bytes.ends(with: Array($0.utf8)) }
            guard looksValidated || kind == UInt8(DT_DIR) || kind == UInt8(DT_UNKNOWN) else { continue }
            undecodable.append(bytes.map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16, uppercase: true) }.joined())
        }
        return (names, undecodable)
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
