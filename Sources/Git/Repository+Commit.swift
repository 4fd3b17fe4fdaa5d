import Foundation
internal import CGit2

/// Signs a commit's bytes, returning the armored signature to store in its `gpgsig` header.
public typealias CommitSigner = @Sendable ([UInt8]) throws -> String

extension Repository {
    /// Points reference `name` at `target`, creating or moving it.
    public func setReference(_ name: String, to target: ObjectID, message: String) throws(GitError) {
        var oid = target.raw
        var reference: OpaquePointer?
        try check("update \(name)", git_reference_create(&reference, pointer, name, &oid, 1, message))
        git_reference_free(reference)
    }

    /// The commit a reference points to, or nil when it does not exist.
    public func target(of name: String) throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, name)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check("read \(name)", result)
        return ObjectID(oid)
    }

    /// Whether the object database holds commit `id`. A fetch stores a commit only with
    /// everything it reaches, and Capstan writes a commit only after its tree, so a commit
    /// present means its tree and blobs are too.
    public func hasCommit(_ id: ObjectID) -> Bool {
        var oid = id.raw
        var commit: OpaquePointer?
        defer { git_commit_free(commit) }
        return git_commit_lookup(&commit, pointer, &oid) == 0
    }

    /// A commit's tree and parents.
    public func commitInfo(_ id: ObjectID) throws(GitError) -> (tree: ObjectID, parents: [ObjectID], message: String) {
        var oid = id.raw
        var commit: OpaquePointer?
        try check("look up \(id)", git_commit_lookup(&commit, pointer, &oid))
        defer { git_commit_free(commit) }
        let tree = ObjectID(git_commit_tree_id(commit).pointee)
        let parents = (0..<git_commit_parentcount(commit)).map { ObjectID(git_commit_parent_id(commit, $0).pointee) }
        let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
        return (tree, parents, message)
    }

    /// The work directory (with a trailing slash removed), nil for a bare repository.
    public var workDirectory: String? {
        guard let path = git_repository_workdir(pointer) else { return nil }
        let text = String(cString: path)
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// A configuration value (the repository's own and global files), nil when unset.
    public func config(_ key: String) throws(GitError) -> String? {
        var config: OpaquePointer?
        try check("open config", git_repository_config(&config, pointer))
        defer { git_config_free(config) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let result = git_config_get_string_buf(&buffer, config, key)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check("read \(key)", result)
        return buffer.ptr.map { String(cString: $0) }
    }

    /// Sets a configuration value in the repository's own config file.
    public func setConfig(_ key: String, _ value: String) throws(GitError) {
        var config: OpaquePointer?
        try check("open config", git_repository_config(&config, pointer))
        defer { git_config_free(config) }
        try check("set \(key)", git_config_set_string(config, key, value))
    }
}

extension Repository {
    /// Deletes reference `name` if it exists.
    public func deleteReference(_ name: String) throws(GitError) {
        var reference: OpaquePointer?
        let result = git_reference_lookup(&reference, pointer, name)
        if result == GIT_ENOTFOUND.rawValue { return }
        try check("look up \(name)", result)
        defer { git_reference_free(reference) }
        try check("delete \(name)", git_reference_delete(reference))
    }
}
