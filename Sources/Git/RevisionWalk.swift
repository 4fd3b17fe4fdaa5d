internal import CGit2

/// The owner of a `git_revwalk`: lists the commits reachable from some commits and not
/// from others, newest first in topological order.
final class RevisionWalk {
    private let pointer: OpaquePointer
    private let repository: Repository

    init(_ repository: Repository) throws(GitError) {
        var walk: OpaquePointer?
        try check("start revision walk", git_revwalk_new(&walk, repository.pointer))
        guard let walk else { throw GitError(operation: "start revision walk", code: -1, message: "no walker") }
        pointer = walk
        self.repository = repository
        git_revwalk_sorting(pointer, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue)
    }

    deinit { git_revwalk_free(pointer) }

    func push(_ id: ObjectID) throws(GitError) {
        var oid = id.raw
        try check("walk from \(id)", git_revwalk_push(pointer, &oid))
    }

    func hide(_ id: ObjectID) throws(GitError) {
        var oid = id.raw
        try check("hide \(id) from walk", git_revwalk_hide(pointer, &oid))
    }

    func all() throws(GitError) -> [ObjectID] {
        var ids: [ObjectID] = []
        var oid = git_oid()
        while true {
            let result = git_revwalk_next(&oid, pointer)
            if result == GIT_ITEROVER.rawValue { break }
            try check("walk revisions", result)
            ids.append(ObjectID(oid))
        }
        return ids
    }
}

extension Repository {
    /// The commits in `base..head`: reachable from `head`, not from `base` (all of
    /// `head`'s history when `base` is nil), children before parents.
    public func commits(from head: ObjectID, excluding base: ObjectID?) throws(GitError) -> [ObjectID] {
        let walk = try RevisionWalk(self)
        try walk.push(head)
        if let base { try walk.hide(base) }
        return try walk.all()
    }

    /// Every commit reachable from `head` without going past a commit for which
    /// `isBoundary` holds; boundary commits are included, their parents are not.
    public func commits(from head: ObjectID, stoppingAt isBoundary: (SignedCommit) -> Bool) throws(GitError) -> [SignedCommit] {
        var seen: Set<ObjectID> = [head]
        var queue = [head]
        var result: [SignedCommit] = []
        var next = 0
        while next < queue.count {
            let commit = try signedCommit(queue[next])
            next += 1
            result.append(commit)
            if isBoundary(commit) { continue }
            for parent in commit.parents where seen.insert(parent).inserted {
                queue.append(parent)
            }
        }
        return result
    }
}
