internal import CGit2

extension Repository {
    /// Whether `commit` has `ancestor` in its history (a commit is not its own descendant).
    public func isDescendant(_ commit: ObjectID, of ancestor: ObjectID) throws(GitError) -> Bool {
        var commitID = commit.raw
        var ancestorID = ancestor.raw
        return try check("ancestry of \(commit)", git_graph_descendant_of(pointer, &commitID, &ancestorID)) == 1
    }
}
