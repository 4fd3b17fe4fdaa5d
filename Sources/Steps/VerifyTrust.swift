import Foundation
import Git
import Signatures

/// Where `capstan verify` takes its keys and mode from. Never the revision under test:
/// flags and environment (files outside the checkout), a `--config FILE` the caller names,
/// or `.capstan.yaml` and the key files it names read from a trusted revision's tree
/// (`--trust-from REV`, by default the range's base) through the object database.
struct VerifyTrust {
    var keys = TrustedKeys()
    var mergeKeys = TrustedKeys()
    var mode: VerifyOptions.Mode?
    /// The commit trust was read from, which must not be among the commits judged.
    var commit: ObjectID?
    /// Where the keys came from, for the outcome's notes.
    var origin: String

    /// Resolves the trust `options` describe for `repository`.
    static func resolve(_ options: VerifyOptions, repository: Repository) throws(VerifyError) -> VerifyTrust {
        let flagged = !options.keyPaths.isEmpty || !options.allowedSigners.isEmpty || !options.mergeKeyPaths.isEmpty
        let checkout = repository.workDirectory.map(Self.realPath)
        var trust = VerifyTrust(origin: "")
        // The revision whose tree supplies .capstan.yaml (and relative key paths).
        var revision: String? = options.trustFrom
        if revision == nil, options.configFile == nil, let range = options.revision, let dots = range.range(of: "..") {
            let base = String(range[..<dots.lowerBound])
            // HEAD~5..HEAD names its base from the head under test: the pusher picks it.
            if base.contains("HEAD") || base.hasPrefix("@") {
                if !flagged {
                    throw .usage("the range's base \(base) is named from the head under test, so it cannot supply trust: "
                        + "name a revision the pipeline trusts with --trust-from (the target branch), or give --keys / --config")
                }
            } else if !base.isEmpty {
                revision = base
            }
        }
        if let revision { try refuseAmbiguous(revision, in: repository) }
        var config: RepositoryConfig?
        if let file = options.configFile {
            try refuseInside(checkout, file, what: "--config")
            do { config = try RepositoryConfig.load(file) } catch { throw .usage("\(error)") }
            trust.origin = file
        } else if let revision {
            let commit: ObjectID
            do { commit = try repository.resolve(revision + "^{commit}") } catch { throw .git(error) }
            trust.commit = commit
            trust.origin = "\(revision) (\(commit.hex.prefix(12)))"
            let bytes: [UInt8]?
            do { bytes = try repository.fileContents(at: RepositoryConfig.fileName, in: commit) } catch { throw .git(error) }
            if let bytes {
                do {
                    config = try RepositoryConfig.parse(bytes, path: "\(revision):\(RepositoryConfig.fileName)", directory: "")
                } catch { throw .usage("\(error)") }
            }
        }
        trust.mode = config?.strings["verify.mode"].flatMap { VerifyOptions.Mode(rawValue: $0.value) }

        let source: KeySource
        if flagged {
            source = options.trustFrom != nil && options.configFile == nil
                ? .revision(repository, trust.commit, revision ?? "", checkout: checkout)
                : .disk(checkout: checkout)
            if options.trustFrom == nil || options.configFile != nil { trust.origin = "the --keys, --allowed-signers and --merge-keys given" }
            trust.keys = try source.load(options.keyPaths, allowedSigners: options.allowedSigners)
            trust.mergeKeys = try source.load(options.mergeKeyPaths, allowedSigners: [])
        } else if let config {
            let keys = config.lists["verify.keys"]?.value ?? []
            let signers = config.strings["verify.allowedSigners"].map { [$0.value] } ?? []
            let merge = config.lists["verify.mergeKeys"]?.value ?? []
            source = options.configFile != nil
                ? .disk(checkout: checkout, relativeTo: config.directory)
                : .revision(repository, trust.commit, revision ?? "", checkout: checkout)
            trust.keys = try source.load(keys, allowedSigners: signers)
            trust.mergeKeys = try source.load(merge, allowedSigners: [])
        } else {
            throw .usage(Self.noTrustMessage(options, sawRevision: revision))
        }
        guard !trust.keys.isEmpty || !trust.mergeKeys.isEmpty else {
            throw .usage("no trusted keys in \(trust.origin): give --keys PATH or --allowed-signers FILE, or verify.keys in .capstan.yaml at a trusted revision")
        }
        return trust
    }

    private static func noTrustMessage(_ options: VerifyOptions, sawRevision revision: String?) -> String {
        if let revision {
            return "\(revision) has no \(RepositoryConfig.fileName) with a verify section: give --keys PATH or --allowed-signers FILE (outside the checkout), "
                + "--config FILE, or --trust-from REV naming a revision whose \(RepositoryConfig.fileName) lists the keys"
        }
        return "no trusted source of keys: the checkout's own \(RepositoryConfig.fileName) is not read, because the change being verified could edit it. "
            + "Give --keys PATH or --allowed-signers FILE (outside the checkout), --config FILE, or --trust-from REV (a revision the pipeline trusts, "
            + "such as the target branch), or verify a BASE..HEAD range, whose base supplies .capstan.yaml"
    }

    /// A name like `origin/main` that also names a tag or branch someone could push
    /// (`refs/tags/origin/main`) must not silently pick the other one.
    static func refuseAmbiguous(_ revision: String, in repository: Repository) throws(VerifyError) {
        guard !revision.hasPrefix("refs/"), revision.allSatisfy({ !"~^:@{}".contains($0) }) else { return }
        let candidates = ["refs/\(revision)", "refs/tags/\(revision)", "refs/heads/\(revision)", "refs/remotes/\(revision)",
                          "refs/remotes/\(revision)/HEAD"]
        let targets = Set(candidates.compactMap { try? repository.resolve($0 + "^{commit}") })
        if targets.count > 1 {
            throw .usage("\(revision) is ambiguous (a branch, tag or remote branch of that name name different commits); "
                + "name the trusted revision in full, such as refs/remotes/\(revision)")
        }
    }

    /// A path on disk must not lie inside the checkout under test.
    static func refuseInside(_ checkout: String?, _ path: String, what: String) throws(VerifyError) {
        guard let checkout else { return }
        let real = realPath(path)
        if real == checkout || real.hasPrefix(checkout + "/") {
            throw .usage("\(what) \(path) lies inside the checkout under test (\(checkout)): the change being verified could add its own key there or "
                + "weaken the rules. Keep trusted keys and configuration outside the checkout, or read them from a trusted revision with --trust-from REV")
        }
    }

    /// The path with symbolic links resolved (as far as it exists), absolute.
    static func realPath(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        guard let resolved = realpath(absolute, nil) else { return (absolute as NSString).standardizingPath }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// Where key files are read from: the disk (outside the checkout), or a trusted revision's tree.
enum KeySource {
    case disk(checkout: String?, relativeTo: String? = nil)
    case revision(Repository, ObjectID?, String, checkout: String?)

    func load(_ paths: [String], allowedSigners: [String]) throws(VerifyError) -> TrustedKeys {
        var keys = TrustedKeys()
        do {
            switch self {
            case let .disk(checkout, base):
                for path in paths.map({ resolve($0, base) }) {
                    try VerifyTrust.refuseInside(checkout, path, what: "key path")
                    try Self.loadFromDisk(path, checkout: checkout, into: &keys)
                }
                for path in allowedSigners.map({ resolve($0, base) }) {
                    try VerifyTrust.refuseInside(checkout, path, what: "allowed signers file")
                    try keys.loadAllowedSigners(path: path)
                }
            case let .revision(repository, commit, name, checkout):
                for path in paths {
                    if path.hasPrefix("/") {
                        try VerifyTrust.refuseInside(checkout, path, what: "key path")
                        try Self.loadFromDisk(path, checkout: checkout, into: &keys)
                    } else {
                        try Self.loadFromTree(repository, commit, name, path, into: &keys)
                    }
                }
                for path in allowedSigners {
                    if path.hasPrefix("/") {
                        try VerifyTrust.refuseInside(checkout, path, what: "allowed signers file")
                        try keys.loadAllowedSigners(path: path)
                    } else {
                        guard let commit, let bytes = try repository.fileContents(at: Self.treePath(path), in: commit) else {
                            throw VerifyError.usage("\(name) has no file \(path)")
                        }
                        keys.addAllowedSigners(bytes, named: "\(name):\(Self.treePath(path))")
                    }
                }
            }
        } catch let error as SignatureError {
            throw .keys(error)
        } catch let error as GitError {
            throw .git(error)
        } catch let error as VerifyError {
            throw error
        } catch {
            throw .usage("\(error)")
        }
        return keys
    }

    private func resolve(_ path: String, _ base: String?) -> String {
        guard let base, !path.hasPrefix("/") else { return path }
        return base + "/" + path
    }

    /// `./a/b/` → `a/b`: paths in a tree have no leading `./` or trailing `/`.
    static func treePath(_ path: String) -> String {
        var parts = path.split(separator: "/").filter { $0 != "." }
        while parts.last == "" { parts.removeLast() }
        return parts.joined(separator: "/")
    }

    /// A key file, or a folder's key files, each checked to lie outside the checkout (a
    /// folder outside may hold a link into it).
    private static func loadFromDisk(_ path: String, checkout: String?, into keys: inout TrustedKeys) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            try keys.load(path: path)
            return
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
        for name in names where TrustedKeys.isKeyFileName(name) {
            let file = (path as NSString).appendingPathComponent(name)
            try VerifyTrust.refuseInside(checkout, file, what: "key file")
            try keys.load(path: file)
        }
    }

    /// A key file, or a folder's key files, from the trusted revision's tree.
    private static func loadFromTree(_ repository: Repository, _ commit: ObjectID?, _ name: String, _ path: String,
                                     into keys: inout TrustedKeys) throws {
        guard let commit else { throw VerifyError.usage("\(path): no trusted revision to read it from") }
        let inTree = treePath(path)
        if let names = try repository.fileNames(inFolder: inTree, in: commit) {
            for file in names.sorted() where TrustedKeys.isKeyFileName(file) {
                let filePath = inTree.isEmpty ? file : inTree + "/" + file
                guard let bytes = try repository.fileContents(at: filePath, in: commit) else { continue }
                try keys.add(file: bytes, named: "\(name):\(filePath)")
            }
        } else if let bytes = try repository.fileContents(at: inTree, in: commit) {
            try keys.add(file: bytes, named: "\(name):\(inTree)")
        } else {
            throw VerifyError.usage("\(name) has no file or folder \(path)")
        }
    }
}
