internal import CGit2

extension Repository {
    /// The bytes of a commit object that is not yet written: what a signer signs.
    public func commitPayload(tree: ObjectID, parents: [ObjectID], author: CommitPerson, committer: CommitPerson, message: String) throws(GitError) -> [UInt8] {
        var treeOid = tree.raw
        var treeHandle: OpaquePointer?
        try check("read tree \(tree)", git_tree_lookup(&treeHandle, pointer, &treeOid))
        defer { git_tree_free(treeHandle) }
        var parentHandles: [OpaquePointer?] = []
        defer { parentHandles.forEach { git_commit_free($0) } }
        for parent in parents {
            var oid = parent.raw
            var handle: OpaquePointer?
            try check("read parent commit \(parent)", git_commit_lookup(&handle, pointer, &oid))
            parentHandles.append(handle)
        }
        let authorHandle = try SignatureHandle(author)
        let committerHandle = try SignatureHandle(committer)
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let result = parentHandles.withUnsafeMutableBufferPointer { handles in
            git_commit_create_buffer(&buffer, pointer, authorHandle.pointer, committerHandle.pointer, nil, message,
                                     treeHandle, parents.count, handles.baseAddress)
        }
        try check("build commit", result)
        return Self.bytes(of: buffer)
    }

    /// Writes `payload` (from `commitPayload`) with `signature` in its `gpgsig` header, the
    /// way git does, and moves `reference` ("HEAD" or a full ref name) to it when given.
    @discardableResult
    public func writeSignedCommit(payload: [UInt8], signature: String, updating reference: String?) throws(GitError) -> ObjectID {
        var trimmed = Substring(signature)
        while trimmed.last == "\n" || trimmed.last == "\r" { trimmed = trimmed.dropLast() }
        var oid = git_oid()
        let content = String(decoding: payload, as: UTF8.self)
        try check("write signed commit", git_commit_create_with_signature(&oid, pointer, content, String(trimmed), nil))
        let id = ObjectID(oid)
        if let reference { try moveReference(reference, to: id, message: "commit (signed): capstan") }
        return id
    }

    /// Points `name` (following HEAD to its branch) at `id`, creating it when missing.
    public func moveReference(_ name: String, to id: ObjectID, message: String) throws(GitError) {
        var target = name
        if name == "HEAD" {
            var head: OpaquePointer?
            if git_reference_lookup(&head, pointer, "HEAD") == 0 {
                defer { git_reference_free(head) }
                if git_reference_type(head) == GIT_REFERENCE_SYMBOLIC, let symbolic = git_reference_symbolic_target(head) {
                    target = String(cString: symbolic)
                }
            }
        }
        var oid = id.raw
        var reference: OpaquePointer?
        try check("update \(target)", git_reference_create(&reference, pointer, target, &oid, 1, message))
        git_reference_free(reference)
    }

    /// The tree a commit points at.
    public func tree(ofCommit id: ObjectID) throws(GitError) -> ObjectID {
        var oid = id.raw
        var commit: OpaquePointer?
        try check("read commit \(id)", git_commit_lookup(&commit, pointer, &oid))
        defer { git_commit_free(commit) }
        return ObjectID(git_commit_tree_id(commit)!.pointee)
    }
}

extension Repository {
    /// Builds a commit, has `sign` sign its bytes, writes it with the signature and moves
    /// `reference` to it: the whole of `git commit -S` without git or gpg.
    @discardableResult
    public func createSignedCommit<Failure: Error>(
        tree: ObjectID, parents: [ObjectID], author: CommitPerson, committer: CommitPerson, message: String,
        updating reference: String?, sign: ([UInt8]) throws(Failure) -> String
    ) throws -> ObjectID {
        let payload = try commitPayload(tree: tree, parents: parents, author: author, committer: committer, message: message)
        let signature = try sign(payload)
        return try writeSignedCommit(payload: payload, signature: signature, updating: reference)
    }
}
