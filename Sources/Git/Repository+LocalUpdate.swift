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

    /// The branch a non-bare repository has checked out (`refs/heads/…`), nil for a bare one.
    public var checkedOutBranch: String? {
        guard !isBare else { return nil }
        var head: OpaquePointer?
        guard git_reference_lookup(&head, pointer, "HEAD") == 0 else { return nil }
        defer { git_reference_free(head) }
        guard git_reference_type(head) == GIT_REFERENCE_SYMBOLIC, let target = git_reference_symbolic_target(head) else { return nil }
        return String(cString: target)
    }
}
