import Foundation
import Validation
import YAML

/// `.capstan.yaml` at a repository's root: defaults a team sets once instead of repeating
/// flags in every pipeline. Flags given on the command line win over it. Unknown keys are
/// errors (with file:line:column), so a typo never silently does nothing.
///
/// ```yaml
/// validate:
///   kubernetesVersion: "1.30"
///   strict: true
///   schemaDirs: [schemas]
///   crds: [crds/widget.yaml]
///   exclude: ["legacy/**"]
///   skipKinds: [Widget]
///   repoURLs: [https://github.com/acme/release.git]
///   kustomize: true
///   rules: {image-latest: error, plaintext-secret: off}
/// images:                      # where `set image` looks for each image (default: everywhere)
///   ghcr.io/acme/checkout: [envs/, charts/checkout/]
/// commit:
///   author: "Release Bot <release-bot@acme.example>"
///   message: "{summary}"
///   signingKeyEnv: RELEASE_BOT_SIGNING_KEY
/// verify:
///   keys: [.signing/keys]
///   allowedSigners: .signing/allowed_signers
///   mergeKeys: [.signing/github-web-flow.asc]
///   mode: range
/// pullRequest:
///   title: "{summary}"
///   labels: [release]
///   mergeMethod: squash
/// ```
public struct RepositoryConfig: Sendable {
    /// A value and the line of .capstan.yaml it came from.
    public struct Setting<Value: Sendable>: Sendable {
        public let value: Value
        public let line: Int
    }

    public static let fileName = ".capstan.yaml"

    /// The file read, and the directory relative paths in it start from.
    public let path: String
    public let directory: String
    public private(set) var strings: [String: Setting<String>] = [:]
    public private(set) var lists: [String: Setting<[String]>] = [:]
    public private(set) var flags: [String: Setting<Bool>] = [:]
    public private(set) var maps: [String: Setting<[String: String]>] = [:]
    public private(set) var imagePaths: [String: Setting<[String]>] = [:]

    /// Every key the file may hold, with its kind.
    public enum Kind: Sendable { case string, list, flag, map }
    public static let keys: [(key: String, kind: Kind, meaning: String)] = [
        ("validate.kubernetesVersion", .string, "Kubernetes release whose schemas validate uses"),
        ("validate.strict", .flag, "reject unknown fields and duplicate keys"),
        ("validate.schemaDirs", .list, "extra schema folders"),
        ("validate.crds", .list, "extra CRD files"),
        ("validate.exclude", .list, "globs validate skips"),
        ("validate.skipKinds", .list, "kinds validate does not check against a schema"),
        ("validate.repoURLs", .list, "Git URLs that mean this repository"),
        ("validate.kustomize", .flag, "render kustomizations before validating"),
        ("validate.rules", .map, "rule → off, error, warning or info"),
        ("commit.author", .string, "author and committer of Capstan's commits"),
        ("commit.message", .string, "commit message template"),
        ("commit.signingKeyEnv", .string, "environment variable holding the signing key (a path, or the armored key)"),
        ("verify.keys", .list, "trusted keys for verify"),
        ("verify.allowedSigners", .string, "git allowed_signers file for verify"),
        ("verify.mergeKeys", .list, "keys trusted only for merge commits"),
        ("verify.mode", .string, "head, tag, range or strict"),
        ("pullRequest.title", .string, "pull request title template"),
        ("pullRequest.body", .string, "pull request body template"),
        ("pullRequest.labels", .list, "labels for Capstan's pull requests"),
        ("pullRequest.reviewers", .list, "reviewers for Capstan's pull requests"),
        ("pullRequest.draft", .flag, "open pull requests as drafts"),
        ("pullRequest.mergeMethod", .string, "merge, squash or rebase: how pr merge and pr revert --merge merge without --method"),
    ]

    /// Settings with a closed set of values, checked when the file is read (so `config
    /// explain` and every command refuse a typo, not only the one that uses it).
    static let allowedValues: [String: [String]] = [
        "pullRequest.mergeMethod": ["merge", "squash", "rebase"],
        "verify.mode": ["head", "tag", "range", "strict"],
    ]

    /// The nearest .capstan.yaml from `directory` up to the repository root (the first
    /// directory holding `.git`), or nil.
    public static func find(from directory: String) -> String? {
        var current = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            let candidate = current.appendingPathComponent(fileName).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            if FileManager.default.fileExists(atPath: current.appendingPathComponent(".git").path) { return nil }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    /// Reads the nearest .capstan.yaml, if there is one.
    public static func load(near directory: String) throws(ConfigError) -> RepositoryConfig? {
        try find(from: directory).map { path throws(ConfigError) in try load(path) }
    }

    public static func load(_ path: String) throws(ConfigError) -> RepositoryConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        return try parse(Array(data), path: path, directory: PathNormaliser.parent(of: path))
    }

    /// Reads .capstan.yaml from bytes that are not in a local file (a commit of a remote);
    /// `path` names it in messages, relative paths in it start from `directory`.
    public static func parse(_ bytes: [UInt8], path: String, directory: String) throws(ConfigError) -> RepositoryConfig {
        let file: YAMLFile
        do { file = try YAMLFile.parse(bytes, path: path) } catch { throw .yaml(error) }
        var config = RepositoryConfig(path: path, directory: directory)
        guard let root = file.documents.first?.root.resolved, !(root.isScalar && root.scalarType == .null) else { return config }
        guard root.isMapping else { throw .wrongType(at: root.location, key: "(top level)", expected: "a mapping") }
        for (key, value) in root.entries {
            let section = key.string ?? ""
            if section == "images" {
                try config.readImages(value.resolved)
                continue
            }
            guard Self.keys.contains(where: { $0.key.hasPrefix(section + ".") }) else {
                throw .unknownKey(at: key.location, key: section, known: ["validate", "images", "commit", "verify", "pullRequest"])
            }
            guard value.resolved.isMapping else { throw .wrongType(at: value.location, key: section, expected: "a mapping") }
            for (childKey, child) in value.resolved.entries {
                let name = section + "." + (childKey.string ?? "")
                guard let known = Self.keys.first(where: { $0.key == name }) else {
                    let siblings = Self.keys.filter { $0.key.hasPrefix(section + ".") }.map { String($0.key.dropFirst(section.count + 1)) }
                    throw .unknownKey(at: childKey.location, key: name, known: siblings)
                }
                try config.read(child.resolved, as: known.kind, key: name)
            }
        }
        return config
    }

    private mutating func read(_ node: Node, as kind: Kind, key: String) throws(ConfigError) {
        let line = node.location.line
        switch kind {
        case .string:
            guard node.isScalar, let text = node.string else { throw .wrongType(at: node.location, key: key, expected: "a string") }
            if let allowed = Self.allowedValues[key], !allowed.contains(text) {
                throw .wrongType(at: node.location, key: key, expected: "one of " + allowed.joined(separator: ", "))
            }
            strings[key] = Setting(value: text, line: line)
        case .flag:
            guard node.scalarType == .bool, let text = node.string else { throw .wrongType(at: node.location, key: key, expected: "true or false") }
            flags[key] = Setting(value: ["true", "True", "TRUE", "yes", "on"].contains(text), line: line)
        case .list:
            let items = node.isSequence ? node.items.map(\.resolved) : [node]
            let texts = items.compactMap { $0.isScalar ? $0.string : nil }
            guard texts.count == items.count else { throw .wrongType(at: node.location, key: key, expected: "a list of strings") }
            lists[key] = Setting(value: texts, line: line)
        case .map:
            guard node.isMapping else { throw .wrongType(at: node.location, key: key, expected: "a mapping") }
            var values: [String: String] = [:]
            for (name, value) in node.entries {
                guard let name = name.string, let text = value.resolved.string else {
                    throw .wrongType(at: value.location, key: key, expected: "name: value pairs")
                }
                values[name] = text
            }
            maps[key] = Setting(value: values, line: line)
        }
    }

    private mutating func readImages(_ node: Node) throws(ConfigError) {
        guard node.isMapping else { throw .wrongType(at: node.location, key: "images", expected: "image: [paths]") }
        for (name, value) in node.entries {
            guard let image = name.string else { continue }
            let items = value.resolved.isSequence ? value.resolved.items.map(\.resolved) : [value.resolved]
            let paths = items.compactMap(\.string)
            guard paths.count == items.count else { throw .wrongType(at: value.location, key: "images.\(image)", expected: "a list of paths") }
            imagePaths[image] = Setting(value: paths, line: name.location.line)
        }
    }

    /// A path from the file, made absolute against the file's directory.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : directory + "/" + path
    }

    /// `file:line` for a key, for explanations.
    public func source(of key: String) -> String? {
        let line = strings[key]?.line ?? lists[key]?.line ?? flags[key]?.line ?? maps[key]?.line ?? imagePaths[key]?.line
        return line.map { "\(path):\($0)" }
    }
}

/// Why .capstan.yaml could not be used.
public enum ConfigError: Error, Sendable, CustomStringConvertible {
    case unreadable(String)
    case yaml(YAMLError)
    case unknownKey(at: SourceLocation, key: String, known: [String])
    case wrongType(at: SourceLocation, key: String, expected: String)

    public var description: String {
        switch self {
        case let .unreadable(path): "\(path): cannot be read"
        case let .yaml(error): error.description
        case let .unknownKey(at, key, known): "\(at): unknown key \(key) (known here: \(known.joined(separator: ", ")))"
        case let .wrongType(at, key, expected): "\(at): \(key) must be \(expected)"
        }
    }
}
