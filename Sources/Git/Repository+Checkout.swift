import Foundation
internal import CGit2

extension Repository {
    /// Checks out `commit` with HEAD detached, discarding local changes and untracked
    /// files. Only for work trees Capstan made itself (`capstan wait`'s throw-away
    /// checkout); `update` edits through the object database and never checks out.
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
}
