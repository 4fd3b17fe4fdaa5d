internal import CGit2

extension Repository {
    /// Makes a commit on top of `base` that undoes `commit`, the way `git revert` does,
    /// without touching the work directory or any reference. For a merge commit the first
    /// parent is the mainline (the branch merged into), so the revert undoes what the merge
    /// brought in. A revert that conflicts with changes made since is an error naming the
    /// conflicting paths.
    public func revert(_ commit: ObjectID, onto base: ObjectID, author: CommitPerson, message: String) throws(GitError) -> ObjectID {
        var revertID = commit.raw
        var revertCommit: OpaquePointer?
        try check("look up \(commit)", git_commit_lookup(&revertCommit, pointer, &revertID))
        defer { git_commit_free(revertCommit) }
        var baseID = base.raw
        var baseCommit: OpaquePointer?
        try check("look up \(base)", git_commit_lookup(&baseCommit, pointer, &baseID))
        defer { git_commit_free(baseCommit) }
        let mainline: UInt32 = git_commit_parentcount(revertCommit) > 1 ? 1 : 0

        var index: OpaquePointer?
        try check("revert \(commit)", git_revert_commit(&index, pointer, revertCommit, baseCommit, mainline, nil))
        defer { git_index_free(index) }
        if git_index_has_conflicts(index) == 1 {
            throw GitError(operation: "revert \(commit.hex.prefix(7)) onto \(base.hex.prefix(7))", code: GIT_EMERGECONFLICT.rawValue,
                           message: "the revert conflicts with later changes in " + conflictedPaths(index).joined(separator: ", "))
        }
        var treeID = git_oid()
        try check("write revert tree", git_index_write_tree_to(&treeID, index, pointer))
        var tree: OpaquePointer?
        try check("look up tree", git_tree_lookup(&tree, pointer, &treeID))
        defer { git_tree_free(tree) }
        let signature = try SignatureHandle(author)
        var parents: [OpaquePointer?] = [baseCommit]
        var result = git_oid()
        try check("create revert commit", git_commit_create(&result, pointer, nil, signature.pointer, signature.pointer, "UTF-8", message, tree, 1,
                                                            &parents))
        return ObjectID(result)
    }

    private func conflictedPaths(_ index: OpaquePointer?) -> [String] {
        var iterator: OpaquePointer?
        guard git_index_conflict_iterator_new(&iterator, index) == 0 else { return [] }
        defer { git_index_conflict_iterator_free(iterator) }
        var paths: [String] = []
        var ancestor: UnsafePointer<git_index_entry>?
        var ours: UnsafePointer<git_index_entry>?
        var theirs: UnsafePointer<git_index_entry>?
        while git_index_conflict_next(&ancestor, &ours, &theirs, iterator) == 0 {
            if let entry = ours ?? theirs ?? ancestor { paths.append(String(cString: entry.pointee.path)) }
        }
        return paths
    }

    /// The first line of a commit's message.
    public func subject(of commit: ObjectID) throws(GitError) -> String {
        let message = try commitInfo(commit).message
        return String(message.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }
}
