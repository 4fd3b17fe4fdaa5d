internal import CGit2

extension Repository {
    /// The bytes of the file at `path` in a commit's tree; nil when the commit has no such
    /// file (added later, or deleted). Read from the object database; no work tree involved.
    public func fileContents(at path: String, in commitID: ObjectID) throws(GitError) -> [UInt8]? {
        var oid = commitID.raw
        var commit: OpaquePointer?
        try check("look up commit \(commitID)", git_commit_lookup(&commit, pointer, &oid))
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try check("read the tree of \(commitID)", git_commit_tree(&tree, commit))
        defer { git_tree_free(tree) }
        var entry: OpaquePointer?
        let found = git_tree_entry_bypath(&entry, tree, path)
        if found == GIT_ENOTFOUND.rawValue { return nil }
        try check("find \(path) in \(commitID)", found)
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
        var blob: OpaquePointer?
        try check("read \(path) in \(commitID)", git_blob_lookup(&blob, pointer, git_tree_entry_id(entry)))
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }
}
