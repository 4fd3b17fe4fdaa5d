internal import CGit2

extension Repository {
    /// The names of the files directly inside the folder `path` of a commit's tree; nil
    /// when the commit has no such folder. Read from the object database, not the work tree.
    public func fileNames(inFolder path: String, in commitID: ObjectID) throws(GitError) -> [String]? {
        var oid = commitID.raw
        var commit: OpaquePointer?
        try check("look up commit \(commitID)", git_commit_lookup(&commit, pointer, &oid))
        defer { git_commit_free(commit) }
        var root: OpaquePointer?
        try check("read the tree of \(commitID)", git_commit_tree(&root, commit))
        defer { git_tree_free(root) }
        var entry: OpaquePointer?
        let found = git_tree_entry_bypath(&entry, root, path)
        if found == GIT_ENOTFOUND.rawValue { return nil }
        try check("find \(path) in \(commitID)", found)
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else { return nil }
        var folder: OpaquePointer?
        try check("read \(path) in \(commitID)", git_tree_lookup(&folder, pointer, git_tree_entry_id(entry)))
        defer { git_tree_free(folder) }
        var names: [String] = []
        for index in 0..<git_tree_entrycount(folder) {
            guard let child = git_tree_entry_byindex(folder, index), git_tree_entry_type(child) == GIT_OBJECT_BLOB,
                  git_tree_entry_filemode(child) != GIT_FILEMODE_LINK, let name = git_tree_entry_name(child) else { continue }
            names.append(String(cString: name))
        }
        return names
    }
}
