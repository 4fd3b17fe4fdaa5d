internal import CGit2

extension Repository {
    /// Moves reference `name` from `expected` to `new` as one compare-and-swap under the
    /// reference's lock, as `git push` does on the server side; `expected` nil means the
    /// reference must not exist yet. Returns false, changing nothing, when it had moved:
    /// libgit2's local transport would have overwritten whatever was there.
    public func compareAndSwap(_ name: String, from expected: ObjectID?, to new: ObjectID, message: String) throws(GitError) -> Bool {
        var newID = new.raw
        var reference: OpaquePointer?
        let result: Int32
        if let expected {
            var expectedID = expected.raw
            result = git_reference_create_matching(&reference, pointer, name, &newID, 1, &expectedID, message)
        } else {
            result = git_reference_create(&reference, pointer, name, &newID, 0, message)
        }
        git_reference_free(reference)
        if result == GIT_EMODIFIED.rawValue || result == GIT_EEXISTS.rawValue || result == GIT_ENOTFOUND.rawValue
            || result == GIT_ELOCKED.rawValue {
            return false
        }
        try check("update \(name) in \(path)", result)
        return true
    }

    /// Whether `branch` (`refs/heads/…`) is checked out in this repository's work tree or in
    /// any linked work tree (`git worktree add`), as `git push` checks before moving it. A
    /// bare repository's own HEAD is not a checkout.
    public func isCheckedOut(_ branch: String) -> Bool {
        var reference: OpaquePointer?
        guard git_reference_lookup(&reference, pointer, branch) == 0 else { return false }
        defer { git_reference_free(reference) }
        return git_branch_is_checked_out(reference) == 1
    }
}
