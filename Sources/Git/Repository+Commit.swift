import Foundation
internal import CGit2

/// Signs a commit's bytes, returning the armored signature to store in its `gpgsig` header.
public typealias CommitSigner = @Sendable ([UInt8]) throws -> String

extension Repository {
    /// Checks out `commit` with HEAD detached, discarding local changes and untracked
    /// files: the work directory is Capstan's cache, never a person's checkout.
    public func checkoutDetached(_ commit: ObjectID) throws(GitError) {
        var oid = commit.raw
        var object: OpaquePointer?
        try check("look up \(commit)", git_object_lookup(&object, pointer, &oid, GIT_OBJECT_COMMIT))
        defer { git_object_free(object) }
        var options = git_checkout_options()
        git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION))
        options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue | GIT_CHECKOUT_REMOVE_UNTRACKED.rawValue
        try check("check out \(commit)", git_checkout_tree(pointer, object, &options))
        try check("detach HEAD at \(commit)", git_repository_set_head_detached(pointer, &oid))
    }

    /// Records the work directory's version of `paths` in a new commit whose parent is
    /// `parent`, without moving any reference. A signer, when given, signs the commit.
    public func commit(paths: [String], parent: ObjectID, author: CommitPerson, message: String,
                       signer: CommitSigner? = nil) throws(GitError) -> ObjectID {
        var index: OpaquePointer?
        try check("open index", git_repository_index(&index, pointer))
        defer { git_index_free(index) }
        for path in paths {
            try check("stage \(path)", git_index_add_bypath(index, path))
        }
        try check("write index", git_index_write(index))
        var treeID = git_oid()
        try check("write tree", git_index_write_tree(&treeID, index))
        if let signer {
            let now = author.time == nil ? author.at(Int(Date().timeIntervalSince1970)) : author
            let payload = try commitPayload(tree: ObjectID(treeID), parents: [parent], author: now, committer: now, message: message)
            let armored: String
            do {
                armored = try signer(payload)
            } catch {
                throw GitError(operation: "sign commit", code: -1, message: String(describing: error))
            }
            return try writeSignedCommit(payload: payload, signature: armored, updating: nil)
        }
        var tree: OpaquePointer?
        try check("look up tree", git_tree_lookup(&tree, pointer, &treeID))
        defer { git_tree_free(tree) }
        var parentID = parent.raw
        var parentCommit: OpaquePointer?
        try check("look up \(parent)", git_commit_lookup(&parentCommit, pointer, &parentID))
        defer { git_commit_free(parentCommit) }
        let signature = try SignatureHandle(author)
        var parents: [OpaquePointer?] = [parentCommit]
        var result = git_oid()
        try check("create commit", git_commit_create(&result, pointer, nil, signature.pointer, signature.pointer, "UTF-8", message, tree, 1, &parents))
        return ObjectID(result)
    }

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
