internal import CGit2

/// One path a diff between two commits touches.
public struct ChangedPath: Sendable, Hashable {
    public enum Status: String, Sendable {
        case added, modified, deleted, renamed, typeChanged
    }

    public let status: Status
    /// The path in the base commit (equal to `newPath` unless renamed; the old path when deleted).
    public let oldPath: String
    /// The path in the head commit.
    public let newPath: String

    public init(status: Status, oldPath: String, newPath: String) {
        self.status = status
        self.oldPath = oldPath
        self.newPath = newPath
    }
}

extension Repository {
    /// The paths that differ between the trees of two commits (`git diff --name-status
    /// BASE HEAD`), read through libgit2's tree-to-tree diff; no work tree is looked at.
    public func changedPaths(from base: ObjectID, to head: ObjectID) throws(GitError) -> [ChangedPath] {
        let baseTree = try rootTree(ofCommit: base)
        defer { git_tree_free(baseTree) }
        let headTree = try rootTree(ofCommit: head)
        defer { git_tree_free(headTree) }
        var options = git_diff_options()
        try check("initialise diff options", git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)))
        var diff: OpaquePointer?
        try check("diff \(base)..\(head)", git_diff_tree_to_tree(&diff, pointer, baseTree, headTree, &options))
        defer { git_diff_free(diff) }
        var found: [ChangedPath] = []
        for index in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, index)?.pointee else { continue }
            let oldPath = delta.old_file.path.map { String(cString: $0) } ?? ""
            let newPath = delta.new_file.path.map { String(cString: $0) } ?? oldPath
            let status: ChangedPath.Status = switch delta.status {
            case GIT_DELTA_ADDED: .added
            case GIT_DELTA_DELETED: .deleted
            case GIT_DELTA_RENAMED: .renamed
            case GIT_DELTA_TYPECHANGE: .typeChanged
            default: .modified
            }
            found.append(ChangedPath(status: status, oldPath: oldPath, newPath: newPath))
        }
        return found
    }

    /// The root tree of a commit; the caller frees it.
    func rootTree(ofCommit id: ObjectID) throws(GitError) -> OpaquePointer? {
        var oid = id.raw
        var commit: OpaquePointer?
        try check("look up commit \(id)", git_commit_lookup(&commit, pointer, &oid))
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try check("read the tree of \(id)", git_commit_tree(&tree, commit))
        return tree
    }
}
